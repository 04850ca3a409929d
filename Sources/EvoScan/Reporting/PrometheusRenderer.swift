/// `--format prometheus`: the node_exporter textfile-collector format, to alert on
/// silent failures. Values are the totals of this scan (or merged summary); write it with
/// `--output` into the collector's directory, which is replaced atomically.
public enum PrometheusRenderer {
    public static func render(_ r: ScanReport, now: Int64) -> String {
        let a = r.aggregate
        var out = ""
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: [(String, String)], value: String)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            for s in samples {
                let labels = s.labels.isEmpty ? "" : "{" + s.labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",") + "}"
                out += "\(name)\(labels) \(s.value)\n"
            }
        }
        var byCodeModel: [String: [String: Int]] = [:]
        for g in a.groups.values { byCodeModel[g.key.code ?? "none", default: [:]][g.key.model ?? "unknown", default: 0] += g.count }
        metric("evoscan_failures_total", "counter", "Prisma failures found in the scanned logs, by error code and model.",
               byCodeModel.sorted { $0.key < $1.key }.flatMap { code, models in
                   models.sorted { $0.key < $1.key }.map { ([("code", code), ("model", $0.key)], String($0.value)) }
               })
        var silent: [String: [String: Int]] = [:]
        var silentConfidence: [String: Int] = [:]
        for s in a.silentFailures {
            silent[s.instance ?? "", default: [:]][s.endpoint, default: 0] += 1
            silentConfidence[s.confidence.rawValue, default: 0] += 1
        }
        metric("evoscan_silent_failures_total", "counter",
               "Silent failures (the client was told success, the database write failed), by instance (empty when unknown) and endpoint.",
               silent.sorted { $0.key < $1.key }.flatMap { inst, eps in
                   eps.sorted { $0.key < $1.key }.map { ([("instance", inst), ("endpoint", $0.key)], String($0.value)) }
               })
        metric("evoscan_silent_failures_by_confidence_total", "counter", "Silent failures by confidence (confirmed, ambiguous, probable).",
               ["confirmed", "ambiguous", "probable"].map { ([("confidence", $0)], String(a.silentByConfidence[SilentConfidence(rawValue: $0)!] ?? 0)) })
        metric("evoscan_failures_by_outcome_total", "counter", "Failures by what the client was told: silent, surfaced, background, logged, unattributed.",
               FailureOutcome.allCases.map { ([("outcome", $0.rawValue)], String(a.outcomes[$0] ?? 0)) })
        metric("evoscan_instance_failures_total", "counter", "Prisma failures attributed to each Evolution instance.",
               a.sortedInstances.prefix(1000).map { ([("instance", $0.name)], String($0.stats.failures)) })
        let t = r.totals
        metric("evoscan_scanned_bytes_total", "counter", "Bytes of log read by the scan.", [([], String(t.bytes))])
        metric("evoscan_scanned_lines_total", "counter", "Log lines read by the scan.", [([], String(t.lines))])
        metric("evoscan_truncated_records_total", "counter", "Records longer than the record cap, cut and counted.", [([], String(t.truncatedRecords))])
        metric("evoscan_input_errors", "gauge", "Inputs that could not be read in the scan.", [([], String(t.inputErrors))])
        if let last = a.lastSeen {
            metric("evoscan_last_failure_timestamp_seconds", "gauge", "Unix time of the latest failure seen.", [([], String(last.seconds))])
        }
        metric("evoscan_last_scan_timestamp_seconds", "gauge", "Unix time when this report was written.", [([], String(now))])
        return out
    }

    /// Label values: backslash, double quote and line feed escaped.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }
}
