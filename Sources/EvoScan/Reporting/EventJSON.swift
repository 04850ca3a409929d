/// The stable JSON shape of one failure event (`--format ndjson`). Field names are kept:
/// users' scripts and later features rely on them; fields are only ever added.
public enum EventJSON {
    public static func failure(_ e: FailureEvent) -> JSONValue {
        let f = e.facts
        var source: JSONValue = .null
        if let file = f.sourceFile {
            source = .object([("file", .string(file)), ("line", .optional(f.sourceLine))])
        }
        return .object([
            ("kind", .string("failure")),
            ("time", .time(e.time)),
            ("instance", .optional(e.instance)),
            ("app_version", .optional(e.appVersion)),
            ("context", .optional(e.context)),
            ("level", .optional(e.level)),
            ("error_class", .optional(f.errorClass)),
            ("code", .optional(f.code)),
            ("model", .optional(f.model)),
            ("fields", .strings(f.fields)),
            ("constraint", .optional(f.constraint)),
            ("operation", .optional(f.operation)),
            ("method", .optional(f.method)),
            ("client_version", .optional(f.clientVersion)),
            ("source", source),
            ("message", .optional(f.message)),
            ("transport_time", e.transportTime.map { .string($0.iso8601Micros) } ?? .null),
            ("pid", .optional(e.pid)),
            ("input", .string(e.input)),
            ("truncated", .bool(e.truncated)),
            ("outcome", .optional(e.outcome?.rawValue)),
            ("outcome_reason", .optional(e.outcomeReason)),
        ])
    }

    /// The `kind: silent_failure` object (`--format ndjson` line; the same object as in
    /// the summary's `silent_failures[]`).
    public static func silentFailure(_ e: FailureEvent) -> JSONValue? {
        guard let s = e.silent else { return nil }
        return SummaryJSON.silent(SilentFailureEntry(e, s))
    }
}
