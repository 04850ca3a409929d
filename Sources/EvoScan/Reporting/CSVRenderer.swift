/// `--format csv`: one row per failure event, RFC 4180 (CRLF line ends, fields with a
/// comma, quote or line break quoted, quotes doubled).
public enum CSVRenderer {
    public static let header = [
        "time", "instance", "app_version", "context", "level", "error_class", "code", "model", "fields", "constraint",
        "operation", "method", "client_version", "source_file", "source_line", "outcome", "silent_instance",
        "silent_confidence", "endpoint", "status", "request_time", "input", "message",
    ]

    public static func headerLine() -> String { line(header) }

    public static func row(_ e: FailureEvent) -> String {
        let f = e.facts
        let s = e.silent
        return line([
            e.time?.iso8601 ?? "", e.instance ?? "", e.appVersion ?? "", e.context ?? "", e.level ?? "", f.errorClass ?? "",
            f.code ?? "", f.model ?? "", f.fields.joined(separator: ";"), f.constraint ?? "", f.operation ?? "", f.method ?? "",
            f.clientVersion ?? "", f.sourceFile ?? "", f.sourceLine.map(String.init) ?? "", e.outcome?.rawValue ?? "",
            s?.instance ?? (s?.candidates.joined(separator: ";") ?? ""), s?.confidence.rawValue ?? "", s?.endpoint ?? "",
            s?.status.map(String.init) ?? "", s?.requestTime?.iso8601 ?? "", e.input, f.message ?? "",
        ])
    }

    static func line(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",") + "\r\n"
    }

    static func quote(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
