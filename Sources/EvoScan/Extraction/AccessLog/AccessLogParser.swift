/// Reads access-log lines in any supported format (the last format that matched is tried
/// first) and turns them into `AccessRequest`s with the Evolution endpoint and instance.
public final class AccessLogParser {
    static let formats: [AccessLogFormat] = [
        TraefikCLFFormat(), CombinedLogFormat(), NginxProxyManagerFormat(), TraefikJSONFormat(), CaddyJSONFormat(),
    ]
    private let scratch: RegexScratch
    private let redactor: Redactor
    private var last = 0
    public private(set) var linesParsed = 0
    public private(set) var formatsSeen: [String: Int] = [:]

    public init(scratch: RegexScratch, redactor: Redactor) {
        self.scratch = scratch
        self.redactor = redactor
    }

    /// The request in one line (no newline, prefixes and ANSI already removed).
    public func parse(_ line: UnsafeRawBufferPointer, input: String) -> AccessRequest? {
        let order = [last] + Self.formats.indices.filter { $0 != last }
        for i in order {
            guard let p = Self.formats[i].parse(line, scratch: scratch) else { continue }
            last = i
            linesParsed += 1
            formatsSeen[Self.formats[i].name, default: 0] += 1
            let path = String(p.uri.prefix { $0 != "?" && $0 != "#" })
            let (endpoint, instance) = EvolutionEndpoints.classify(method: p.method, path: path, scratch: scratch)
            return AccessRequest(end: p.end, method: p.method, path: path, status: p.status, endpoint: endpoint, instance: instance,
                                 referer: p.referer, managerInstanceId: EvolutionEndpoints.managerInstanceId(p.referer, scratch: scratch),
                                 format: Self.formats[i].name, line: redactor.redact(Bytes.string(line)), input: input)
        }
        return nil
    }
}
