/// The readable report for a terminal: a headline, the (code, model, fields) groups, then
/// the instances, in aligned columns. Control characters from the log are never printed
/// raw (an instance name could hold an escape sequence).
public enum TableRenderer {
    public static func render(_ r: ScanReport, style: TerminalStyle, maxRows: Int = 50) -> String {
        let a = r.aggregate
        let t = r.totals
        var out = ""
        let mb = String(format1(Double(t.bytes) / 1_000_000))
        out += style.bold("evoscan") + ": \(a.failuresTotal) Prisma failure\(a.failuresTotal == 1 ? "" : "s") in \(t.records) records (\(t.lines) lines, \(mb) MB, \(t.inputs) input\(t.inputs == 1 ? "" : "s"))\n"
        if let first = a.firstSeen, let last = a.lastSeen {
            out += "period: \(first.iso8601) → \(last.iso8601)\n"
        }
        out += "times: \(r.zoneDescription)\n"
        if !r.configFiles.isEmpty { out += sanitize("config: " + r.configFiles.joined(separator: ", ")) + "\n" }
        if !r.timeWindow.isUnbounded {
            out += "window: \(r.timeWindow.since?.iso8601 ?? "…") → \(r.timeWindow.until?.iso8601 ?? "…") (\(t.failuresOutsideWindow) failures outside left out\(t.untimedFailuresExcluded > 0 ? ", \(t.untimedFailuresExcluded) without a time" : ""))\n"
        }
        if t.truncatedRecords > 0 { out += style.yellow("truncated records: \(t.truncatedRecords) (cut at the record size cap)") + "\n" }
        if t.inputErrors > 0 { out += style.red("inputs with errors: \(t.inputErrors) (see stderr)") + "\n" }
        if a.otherGroupFailures > 0 { out += style.yellow("other (group cap reached): \(a.otherGroupFailures) failures") + "\n" }
        if let limits = limitsReached(r) { out += style.yellow("limits reached: " + limits) + "\n" }
        out += silentHeadline(r, style: style)
        guard a.failuresTotal > 0 else {
            out += "\nNo Prisma errors found.\n"
            return out
        }
        out += silentSection(r, style: style, maxRows: maxRows)
        out += "\n" + style.bold("Failures by code, model and fields") + "\n"
        var rows: [[String]] = [["COUNT", "CODE", "MODEL", "FIELDS", "TITLE", "INSTANCES", "FIRST", "LAST"]]
        for g in a.sortedGroups.prefix(maxRows) {
            let inst = g.instances.count + (g.otherInstances > 0 ? 1 : 0)
            rows.append([
                String(g.count), g.key.code ?? "-", g.key.model ?? "-",
                g.key.fields.isEmpty ? "-" : g.key.fields.joined(separator: ","),
                DisplayWidth.clip(GroupTitle.of(g), 34),
                inst == 0 ? "-" : String(inst),
                g.firstSeen?.iso8601 ?? "-", g.lastSeen?.iso8601 ?? "-",
            ].map(sanitize))
        }
        out += table(rows, style: style, rightAligned: [0, 5])
        if a.groups.count > maxRows { out += style.dim("… \(a.groups.count - maxRows) more groups (use --format json)") + "\n" }

        let instances = a.sortedInstances
        out += "\n" + style.bold("Failures by instance") + "\n"
        if instances.isEmpty {
            out += "(no failure record carried an instance name)\n"
        } else {
            var irows: [[String]] = [["FAILURES", "SILENT", "INSTANCE", "CODES", "FIRST", "LAST"]]
            for (name, s) in instances.prefix(maxRows) {
                let codes = s.codes.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
                irows.append([String(s.failures), s.silent == 0 ? "-" : String(s.silent), DisplayWidth.clip(name, 40), codes, s.firstSeen?.iso8601 ?? "-", s.lastSeen?.iso8601 ?? "-"].map(sanitize))
            }
            out += table(irows, style: style, rightAligned: [0, 1])
            if instances.count > maxRows { out += style.dim("… \(instances.count - maxRows) more instances") + "\n" }
        }
        let unattributed = a.failuresTotal - instances.reduce(0) { $0 + $1.stats.failures } - a.otherInstanceFailures
        if unattributed > 0 { out += "without instance name: \(unattributed) (unhandledRejection, SERVER and controller records carry none; an access log names the instance of a silent failure)\n" }
        return out
    }

    static func silentHeadline(_ r: ScanReport, style: TerminalStyle) -> String {
        let a = r.aggregate
        let n = a.silentFailures.count
        let by = a.silentByConfidence
        let access = r.totals.accessRequests > 0
            ? "\(r.totals.accessRequests) access-log requests, window ±\(r.window) s"
            : "no access log given: instances cannot be confirmed (--access-log)"
        let line = "silent failures: \(n) (confirmed \(by[.confirmed] ?? 0), ambiguous \(by[.ambiguous] ?? 0), probable \(by[.probable] ?? 0)); \(access)"
        return (n > 0 ? style.red(line) : line) + "\n"
    }

    static func silentSection(_ r: ScanReport, style: TerminalStyle, maxRows: Int) -> String {
        let a = r.aggregate
        var out = ""
        if !a.silentFailures.isEmpty {
            out += "\n" + style.bold("Silent failures: the client was told success, the write failed") + "\n"
            var rows: [[String]] = [["INSTANCE", "ENDPOINT", "STATUS", "REQUEST", "FAILURE", "CODE", "MODEL", "FIELDS", "CONFIDENCE"]]
            var notes: [[String]] = []
            // Per instance, then in time order; unknown instances last.
            let ordered = a.silentFailures.sorted { (x: SilentFailureEntry, y: SilentFailureEntry) -> Bool in
                let kx = (x.instance ?? "\u{10FFFF}", x.failureTime?.micros ?? 0)
                let ky = (y.instance ?? "\u{10FFFF}", y.failureTime?.micros ?? 0)
                return kx < ky
            }
            for sf in ordered.prefix(maxRows) {
                let who = sf.instance ?? (sf.candidates.isEmpty ? "(unknown)" : sf.candidates.joined(separator: " | "))
                let fields = sf.fields.isEmpty ? "-" : sf.fields.joined(separator: ",")
                let cells: [String] = [DisplayWidth.clip(who, 40), sf.endpoint, sf.status.map(String.init) ?? "-",
                                       sf.requestTime?.iso8601 ?? "-", sf.failureTime?.iso8601 ?? "-", sf.code ?? "-",
                                       sf.model ?? "-", fields, sf.confidence.rawValue]
                rows.append(cells.map(sanitize))
                var n: [String] = []
                if let missing = sf.evidenceMissing { n.append("  note: " + missing) }
                if let fix = sf.remediation { n.append("  fix: " + fix) }
                if let first = sf.evidence.first { n.append("  evidence: " + DisplayWidth.clip(first.split(separator: "\n").first.map(String.init) ?? first, 160)) }
                notes.append(n.map(sanitize))
            }
            let lines = table(rows, style: style, rightAligned: []).split(separator: "\n", omittingEmptySubsequences: false)
            out += lines[0] + "\n"
            for (i, line) in lines.dropFirst().enumerated() where !line.isEmpty {
                out += line + "\n"
                if i < notes.count { for n in notes[i] { out += style.dim(n) + "\n" } }
            }
        }
        if !a.surfaced.isEmpty {
            out += "\n" + style.bold("Failures the client saw (error responses)") + "\n"
            for e in a.surfaced.sorted(by: SurfacedFailureEntry.order).prefix(maxRows) {
                let what = [e.code ?? "-", e.model ?? "-", e.fields.joined(separator: ",")].filter { !$0.isEmpty }.joined(separator: " ")
                out += sanitize("\(e.time?.iso8601 ?? "-")  \(what)  — \(e.reason ?? "")") + "\n"
            }
        }
        let unattributed = a.outcomes[.unattributed] ?? 0
        if unattributed > 0 {
            out += style.yellow("\(unattributed) failure(s) on a silent path had no matching request in the access log (check --log-tz and --window)") + "\n"
        }
        return out
    }

    static func table(_ rows: [[String]], style: TerminalStyle, rightAligned: Set<Int>) -> String {
        guard let head = rows.first else { return "" }
        var widths = head.map { DisplayWidth.of($0) }
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) } }
        var out = ""
        for (k, row) in rows.enumerated() {
            var line = ""
            for (i, cell) in row.enumerated() {
                let last = i == row.count - 1
                let padded = last && !rightAligned.contains(i) ? cell : DisplayWidth.pad(cell, widths[i], right: rightAligned.contains(i))
                line += (i > 0 ? "  " : "") + padded
            }
            out += (k == 0 ? style.bold(line) : line) + "\n"
        }
        return out
    }

    /// The same, keeping line breaks (evidence blocks).
    static func sanitizeKeepingNewlines(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7F ? "\u{FFFD}" : $0 }))
    }

    /// Replaces control characters so log text cannot drive the terminal.
    static func sanitize(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "\u{FFFD}" : $0 }))
    }

    static func format1(_ d: Double) -> String {
        let tenths = Int((d * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// The bounds that kept work and memory flat on this input, when any was reached
    /// (README "Reliability"): what they left out is counted, never silently dropped.
    static func limitsReached(_ r: ScanReport) -> String? {
        let t = r.totals, a = r.aggregate
        let parts = [
            (t.regexLimitHits, "pattern match limit hit \(t.regexLimitHits)× (those regions skipped)"),
            (a.otherInstanceFailures, "\(a.otherInstanceFailures) failures of instances past the \(Aggregator.maxInstances)-instance cap"),
            (a.droppedMinuteCounts, "\(a.droppedMinuteCounts) per-minute counts past the trend table's cap"),
            (t.failuresDecidedEarly, "\(t.failuresDecidedEarly) failures decided before their evidence window closed (burst)"),
            (t.accessRequestsDropped, "\(t.accessRequestsDropped) access-log requests not kept as evidence"),
        ].filter { $0.0 > 0 }.map(\.1)
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
