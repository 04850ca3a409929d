/// One readable line per failure for `--follow` at a terminal:
/// `2025-06-10T17:07:31Z  P2002 Proxy(instanceId)  [unhandledRejection] setProxy  SILENT loja-centro POST /proxy/set 201 (confirmed)`.
public enum LiveLine {
    public static func render(_ e: FailureEvent, style: TerminalStyle) -> String {
        let f = e.facts
        var what = "\(f.code ?? f.errorClass ?? "-") \(f.model ?? "-")"
        if !f.fields.isEmpty { what += "(\(f.fields.joined(separator: ",")))" }
        var parts = [e.time?.iso8601 ?? "-", what]
        if let context = e.context { parts.append("[\(context)]" + (e.instance.map { " \($0)" } ?? "")) }
        if let method = f.method { parts.append(method) }
        if let s = e.silent {
            let who = s.instance ?? (s.candidates.isEmpty ? "instance unknown" : s.candidates.joined(separator: "|"))
            parts.append(style.red("SILENT \(who) \(s.endpoint)\(s.status.map { " \($0)" } ?? "") (\(s.confidence.rawValue))"))
        } else if let outcome = e.outcome {
            parts.append(outcome.rawValue)
        }
        return TableRenderer.sanitize(parts.joined(separator: "  "))
    }

    /// `{"kind":"summary", …}`: the last ndjson line of a `--follow` run.
    public static func summary(_ r: ScanReport) -> JSONValue {
        let a = r.aggregate
        return .object([
            ("kind", .string("summary")),
            ("failures_total", .int(a.failuresTotal)),
            ("silent_failures", .int(a.silentFailures.count)),
            ("silent_by_confidence", .object(["confirmed", "ambiguous", "probable"].map { ($0, .int(a.silentByConfidence[SilentConfidence(rawValue: $0)!] ?? 0)) })),
            ("outcomes", .object(FailureOutcome.allCases.map { ($0.rawValue, .int(a.outcomes[$0] ?? 0)) })),
            ("codes", .counts(a.codes)),
            ("lines", .int(r.totals.lines)),
            ("records", .int(r.totals.records)),
            ("period", .object([("first", .time(a.firstSeen)), ("last", .time(a.lastSeen))])),
        ])
    }
}
