import Foundation

/// Reads a `--format json` summary back into a report, for `evoscan merge` and
/// `evoscan report`. A document of another schema is refused with a clear error.
public enum SummaryReader {
    public struct ReadError: Error, CustomStringConvertible {
        public let file: String
        public let problem: String
        public var description: String { "\(file): \(problem)" }
    }

    public static func read(_ data: Data, name: String) throws -> ScanReport {
        guard let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ReadError(file: name, problem: "not a JSON object (expected an evoscan summary written by --format json)")
        }
        guard let schema = doc["schema"] as? String else {
            throw ReadError(file: name, problem: "no \"schema\" field: not an evoscan summary")
        }
        guard schema == SummaryJSON.schema else {
            throw ReadError(file: name, problem: "schema \"\(schema)\" is not supported (this evoscan reads \"\(SummaryJSON.schema)\"); re-run the scan with this version")
        }
        let a = Aggregator()
        a.failuresTotal = int(doc["failures_total"])
        let totals = doc["totals"] as? [String: Any] ?? [:]
        a.truncatedFailures = int(totals["truncated_failures"])
        a.otherGroupFailures = int(totals["other_group_failures"])
        a.otherInstanceFailures = int(totals["other_instance_failures"])
        a.droppedMinuteCounts = int(totals["dropped_minute_counts"])
        let period = doc["period"] as? [String: Any] ?? [:]
        a.firstSeen = time(period["first"])
        a.lastSeen = time(period["last"])
        a.codes = counts(doc["codes"])
        for (k, v) in counts(doc["outcomes"]) { if let o = FailureOutcome(rawValue: k), v > 0 { a.outcomes[o] = v } }
        for (k, v) in counts(doc["silent_by_confidence"]) { if let c = SilentConfidence(rawValue: k), v > 0 { a.silentByConfidence[c] = v } }
        a.silentFailures = (doc["silent_failures"] as? [[String: Any]] ?? []).compactMap(silent)
        a.surfaced = (doc["surfaced_failures"] as? [[String: Any]] ?? []).map(surfaced)
        a.unattributedMinutes = minutes(doc["unattributed_minutes"])
        for (code, m) in doc["code_minutes"] as? [String: Any] ?? [:] { a.codeMinutes[code] = minutes(m) }
        for g in doc["groups"] as? [[String: Any]] ?? [] {
            let key = Aggregator.GroupKey(code: g["code"] as? String, model: g["model"] as? String, fields: g["fields"] as? [String] ?? [])
            let group = Aggregator.Group(key: key)
            group.count = int(g["count"])
            group.firstSeen = time(g["first_seen"])
            group.lastSeen = time(g["last_seen"])
            group.instances = counts(g["instance_counts"])
            group.otherInstances = int(g["other_instances"])
            group.unattributed = int(g["unattributed"])
            group.constraint = g["constraint"] as? String
            group.errorClasses = counts(g["error_classes"])
            group.methods = counts(g["methods"])
            group.operations = counts(g["operations"])
            group.contexts = counts(g["contexts"])
            group.appVersions = counts(g["app_versions"])
            group.samples = (g["samples"] as? [[String: Any]] ?? []).map { (time($0["time"]), $0["text"] as? String ?? "") }
            a.groups[key] = group
        }
        for i in doc["instances"] as? [[String: Any]] ?? [] {
            guard let name = i["instance"] as? String else { continue }
            var s = Aggregator.InstanceStats()
            s.failures = int(i["failures"])
            s.silent = int(i["silent_failures"])
            s.codes = counts(i["codes"])
            s.firstSeen = time(i["first_seen"])
            s.lastSeen = time(i["last_seen"])
            s.minutes = minutes(i["minutes"])
            a.instances[name] = s
        }
        a.minuteEntries = a.instances.values.reduce(a.unattributedMinutes.count) { $0 + $1.minutes.count }
            + a.codeMinutes.values.reduce(0) { $0 + $1.count }

        var t = ScanTotals()
        t.inputs = int(totals["inputs"])
        t.inputErrors = int(totals["input_errors"])
        t.bytes = int(totals["bytes"])
        t.lines = int(totals["lines"])
        t.records = int(totals["records"])
        t.truncatedRecords = int(totals["truncated_records"])
        t.truncatedLines = int(totals["truncated_lines"])
        t.recordsWithPrismaText = int(totals["records_with_prisma_text"])
        t.regexLimitHits = int(totals["regex_limit_hits"])
        t.failuresOutsideWindow = int(totals["failures_outside_window"])
        t.untimedFailuresExcluded = int(totals["untimed_failures_excluded"])
        t.failuresDecidedEarly = int(totals["failures_decided_early"])
        t.accessRequestsDropped = int(totals["access_requests_dropped"])
        let correlation = doc["correlation"] as? [String: Any] ?? [:]
        t.accessLogLines = int(correlation["access_log_lines"])
        t.accessRequests = int(correlation["access_requests"])
        t.accessFormats = counts(correlation["access_formats"])

        let inputs: [ScanReport.InputSummary] = (doc["inputs"] as? [[String: Any]] ?? []).map { i in
            var identity: InputIdentity? = nil
            if let id = i["identity"] as? [String: Any], let fp = id["fingerprint"] as? String {
                identity = InputIdentity(device: UInt64(truncatingIfNeeded: int(id["device"])), inode: UInt64(truncatingIfNeeded: int(id["inode"])),
                                         fingerprint: fp, fingerprintBytes: int(id["fingerprint_bytes"]))
            }
            let range = i["range"] as? [String: Any] ?? [:]
            var summary = ScanReport.InputSummary(name: i["name"] as? String ?? "?", transport: i["transport"] as? String ?? "?",
                                           compression: i["compression"] as? String ?? "?", bytes: int(i["bytes"]),
                                           error: i["error"] as? String, source: i["source"] as? String, identity: identity,
                                           rangeStart: int(range["start"]), isEvidence: i["role"] as? String == "access-log",
                                           rangeEnd: int(range["end"]))
            if let c = i["journal_cursors"] as? [String: Any], let first = c["first"] as? String, let last = c["last"] as? String {
                summary.journalCursors = (first, last)
            }
            return summary
        }
        let zoneDoc = (doc["time_zone"] as? [String: Any])?["zones"] as? [String: String] ?? [:]
        var zones: [String: ZoneResolver.Source] = [:]
        for (k, v) in zoneDoc { if let s = ZoneResolver.Source(rawValue: v) { zones[k] = s } }
        let window = TimeWindow(since: time(period["since"]), until: time(period["until"]))
        var report = ScanReport(tool: doc["tool"] as? String ?? "?", totals: t, inputs: inputs, aggregate: a, zones: zones,
                                window: Int64(int(correlation["window_seconds"])), timeWindow: window)
        // Absent from summaries written before config files existed: built-in only.
        report.configFiles = doc["config_files"] as? [String] ?? []
        return report
    }

    static func int(_ v: Any?) -> Int { (v as? NSNumber)?.intValue ?? 0 }

    static func time(_ v: Any?) -> Instant? { (v as? String).flatMap(Timestamps.parseRFC3339) }

    static func counts(_ v: Any?) -> [String: Int] {
        var out: [String: Int] = [:]
        for (k, n) in v as? [String: Any] ?? [:] { out[k] = int(n) }
        return out
    }

    /// `{"2025-06-10T17:07Z": 3}` → epoch minute → count.
    static func minutes(_ v: Any?) -> [Int64: Int] {
        var out: [Int64: Int] = [:]
        for (k, n) in v as? [String: Any] ?? [:] {
            let iso = String(k.dropLast()) + ":00Z"
            if let t = Timestamps.parseRFC3339(iso) { out[t.seconds.floorDiv(60), default: 0] += int(n) }
        }
        return out
    }

    static func silent(_ d: [String: Any]) -> SilentFailureEntry? {
        guard let endpoint = d["endpoint"] as? String, let c = d["confidence"] as? String, let confidence = SilentConfidence(rawValue: c) else { return nil }
        return SilentFailureEntry(failureTime: time(d["failure_time"]), instance: d["instance"] as? String, endpoint: endpoint,
                                  status: (d["status"] as? NSNumber)?.intValue, requestTime: time(d["request_time"]),
                                  code: d["code"] as? String, model: d["model"] as? String, fields: d["fields"] as? [String] ?? [],
                                  confidence: confidence, candidates: d["candidates"] as? [String] ?? [],
                                  managerInstanceIds: d["manager_instance_ids"] as? [String] ?? [], appVersion: d["app_version"] as? String,
                                  method: d["method"] as? String, errorClass: d["error_class"] as? String,
                                  evidence: d["evidence"] as? [String] ?? [], evidenceMissing: d["evidence_missing"] as? String,
                                  remediation: d["remediation"] as? String, input: d["input"] as? String ?? "?")
    }

    static func surfaced(_ d: [String: Any]) -> SurfacedFailureEntry {
        SurfacedFailureEntry(time: time(d["time"]), context: d["context"] as? String, code: d["code"] as? String,
                             model: d["model"] as? String, fields: d["fields"] as? [String] ?? [], reason: d["reason"] as? String,
                             input: d["input"] as? String ?? "?")
    }
}
