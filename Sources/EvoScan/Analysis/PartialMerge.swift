/// `evoscan merge`: combines partial summaries (several nights, several hosts) into one,
/// equal to a single run over all their inputs. Coverage is checked first: two partials
/// that read the same bytes of the same input would count them twice, so an exact
/// duplicate partial is dropped (with a warning) and any other overlap is refused.
public enum PartialMerge {
    public struct Partial {
        public var name: String
        public var report: ScanReport
        /// The document's bytes, to recognise an exact duplicate.
        public var bytes: [UInt8]

        public init(name: String, report: ScanReport, bytes: [UInt8]) {
            self.name = name
            self.report = report
            self.bytes = bytes
        }
    }

    public struct OverlapError: Error, CustomStringConvertible {
        public let description: String
    }

    public static func merge(_ partials: [Partial], tool: String) throws -> (report: ScanReport, warnings: [String]) {
        var kept: [Partial] = []
        var warnings: [String] = []
        for p in partials {
            if let twin = kept.first(where: { $0.bytes == p.bytes }) {
                warnings.append("\(p.name): the same partial as \(twin.name); counted once")
                continue
            }
            for other in kept {
                if let clash = overlap(other.report, p.report) {
                    throw OverlapError(description: "\(other.name) and \(p.name) both cover \(clash): merging them would count those lines twice")
                }
            }
            kept.append(p)
        }
        let aggregate = Aggregator()
        var totals = ScanTotals()
        var inputs: [ScanReport.InputSummary] = []
        var zones: [String: ZoneResolver.Source] = [:]
        var window: Int64 = 0
        var timeWindow: TimeWindow? = nil
        var configFiles: [String] = []
        for p in kept {
            let r = p.report
            aggregate.absorb(r.aggregate)
            totals.add(r.totals)
            inputs += r.inputs
            for (k, v) in r.zones { zones[k] = zones[k] ?? v }
            if window != 0 && r.window != window { warnings.append("\(p.name): correlation window ±\(r.window) s differs from ±\(window) s") }
            window = max(window, r.window)
            if p.name != kept[0].name, r.configFiles != kept[0].report.configFiles {
                warnings.append("\(p.name): made with config \(Self.configs(r.configFiles)), \(kept[0].name) with \(Self.configs(kept[0].report.configFiles))")
            }
            for f in r.configFiles where !configFiles.contains(f) { configFiles.append(f) }
            if let w = timeWindow {
                timeWindow = TimeWindow(since: (w.since != nil && r.timeWindow.since != nil) ? min(w.since!, r.timeWindow.since!) : nil,
                                        until: (w.until != nil && r.timeWindow.until != nil) ? max(w.until!, r.timeWindow.until!) : nil)
            } else {
                timeWindow = r.timeWindow
            }
        }
        var merged = ScanReport(tool: tool, totals: totals, inputs: inputs, aggregate: aggregate, zones: zones, window: window,
                                timeWindow: timeWindow ?? TimeWindow())
        merged.configFiles = configFiles
        return (merged, warnings)
    }

    static func configs(_ files: [String]) -> String { files.isEmpty ? "none (built-in only)" : files.joined(separator: ", ") }

    /// A description of the first input both partials read overlapping bytes of, or
    /// overlapping journal entries of (same sequence-number id, intersecting ranges).
    static func overlap(_ a: ScanReport, _ b: ScanReport) -> String? {
        for x in a.inputs where !x.isEvidence {
            guard let cx = x.journalCursors, let rx = cursorRange(cx) else { continue }
            for y in b.inputs where !y.isEvidence {
                guard let cy = y.journalCursors, let ry = cursorRange(cy), rx.id == ry.id else { continue }
                if max(rx.from, ry.from) <= min(rx.to, ry.to) { return "journal entries \(max(rx.from, ry.from))–\(min(rx.to, ry.to)) of \(rx.id)" }
            }
        }
        // Access logs are evidence: reading one twice adds no failure, so they may overlap.
        for x in a.inputs where !x.isEvidence {
            guard let ix = x.identity, x.rangeEnd > x.rangeStart else { continue }
            for y in b.inputs where !y.isEvidence {
                guard let iy = y.identity, y.rangeEnd > y.rangeStart, x.source == y.source,
                      ix.fingerprint == iy.fingerprint, ix.fingerprintBytes == iy.fingerprintBytes else { continue }
                let start = max(x.rangeStart, y.rangeStart), end = min(x.rangeEnd, y.rangeEnd)
                if start < end { return "\(x.name) bytes \(start)–\(end)" }
            }
        }
        return nil
    }
}

/// `s=<seqnum id>;i=<hex seqnum>;…` → the sequence numbers a cursor pair spans.
func cursorRange(_ c: (first: String, last: String)) -> (id: String, from: UInt64, to: UInt64)? {
    func parts(_ cursor: String) -> (String, UInt64)? {
        var id: String?, seq: UInt64?
        for field in cursor.split(separator: ";") {
            if field.hasPrefix("s=") { id = String(field.dropFirst(2)) }
            if field.hasPrefix("i=") { seq = UInt64(field.dropFirst(2), radix: 16) }
        }
        guard let id, let seq else { return nil }
        return (id, seq)
    }
    guard let a = parts(c.first), let b = parts(c.last), a.0 == b.0 else { return nil }
    return (a.0, min(a.1, b.1), max(a.1, b.1))
}

extension ScanTotals {
    mutating func add(_ o: ScanTotals) {
        inputs += o.inputs
        inputErrors += o.inputErrors
        bytes += o.bytes
        lines += o.lines
        records += o.records
        truncatedRecords += o.truncatedRecords
        truncatedLines += o.truncatedLines
        recordsWithPrismaText += o.recordsWithPrismaText
        regexLimitHits += o.regexLimitHits
        accessLogLines += o.accessLogLines
        accessRequests += o.accessRequests
        for (k, v) in o.accessFormats { accessFormats[k, default: 0] += v }
        failuresOutsideWindow += o.failuresOutsideWindow
        untimedFailuresExcluded += o.untimedFailuresExcluded
        failuresDecidedEarly += o.failuresDecidedEarly
        accessRequestsDropped += o.accessRequestsDropped
    }
}
