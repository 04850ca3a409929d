/// One moment in an instance's story (`evoscan timeline`).
public struct TimelineEntry: Sendable {
    public var time: Instant?
    /// `request`, `failure`, `silent`, or the log level of an instance log line.
    public var kind: String
    public var text: String
    /// A redacted evidence line (the access-log line, the failure record's first lines).
    public var detail: String?

    public init(time: Instant?, kind: String, text: String, detail: String?) {
        self.time = time
        self.kind = kind
        self.text = text
        self.detail = detail
    }
}

/// The chronological story of one instance, both clocks shown: requests from the access
/// log, its own log lines (connection state, reconnects), failures and silent failures.
public enum TimelineRenderer {
    public static func render(_ entries: [TimelineEntry], instance: String, zone: LogTimeZone?, style: TerminalStyle) -> String {
        let ordered = entries.enumerated().sorted {
            let a = $0.element.time?.micros ?? .min, b = $1.element.time?.micros ?? .min
            return a != b ? a < b : $0.offset < $1.offset
        }.map(\.element)
        var out = style.bold("Timeline of \(TableRenderer.sanitize(instance))") + " (\(ordered.count) entries; times UTC" + (zone.map { ", then \($0.name)" } ?? "") + ")\n"
        for e in ordered {
            let utc = e.time?.iso8601 ?? "(no time)          "
            let local = e.time.flatMap { t in zone.map { $0.local(t) } } ?? ""
            let kind = e.kind.uppercased().padding(toLength: 8, withPad: " ", startingAt: 0)
            let tag = e.kind == "silent" ? style.red(kind) : e.kind == "failure" ? style.yellow(kind) : kind
            out += "\(utc)  \(local.isEmpty ? "" : local + "  ")\(tag)  \(TableRenderer.sanitize(e.text))\n"
            if let d = e.detail { out += style.dim("    " + TableRenderer.sanitize(d.split(separator: "\n").first.map(String.init) ?? d)) + "\n" }
        }
        if ordered.isEmpty { out += "Nothing about this instance in the inputs.\n" }
        return out
    }
}
