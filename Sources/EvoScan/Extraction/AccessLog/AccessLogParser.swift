/// Reads access-log lines in any supported format (the last format that matched is tried
/// first) and turns them into `AccessRequest`s with the Evolution endpoint and instance.
public final class AccessLogParser {
    static let formats: [AccessLogFormat] = [
        TraefikCLFFormat(), CombinedLogFormat(), NginxProxyManagerFormat(), TraefikJSONFormat(), CaddyJSONFormat(),
    ]
    private let scratch: RegexScratch
    private var last = 0
    public private(set) var linesParsed = 0
    /// Lines per format, by index in `formats` (a String-keyed dictionary per line cost
    /// more than the regex).
    private var perFormat = [Int](repeating: 0, count: AccessLogParser.formats.count)
    public var formatsSeen: [String: Int] {
        var out: [String: Int] = [:]
        for (i, n) in perFormat.enumerated() where n > 0 { out[Self.formats[i].name, default: 0] += n }
        return out
    }

    public init(scratch: RegexScratch) {
        self.scratch = scratch
    }

    /// The request in one line (no newline, prefixes and ANSI already removed).
    public func parse(_ line: UnsafeRawBufferPointer, input: String) -> AccessRequest? {
        // The format that matched last first: a file is in one format.
        for k in 0..<Self.formats.count {
            let i = k == 0 ? last : (k <= last ? k - 1 : k)
            guard let p = Self.formats[i].parse(line, scratch: scratch) else { continue }
            last = i
            linesParsed += 1
            perFormat[i] += 1
            return Self.request(p, format: i, rawLine: Bytes.string(line), input: input)
        }
        return nil
    }

    /// A request kept by the correlator (`KeptRequest`) as it was first parsed: its line
    /// read again in the format that read it then.
    static func request(kept: KeptRequest, scratch: RegexScratch) -> AccessRequest? {
        var line = kept.line
        return line.withUTF8 { utf8 in
            formats[kept.format].parse(UnsafeRawBufferPointer(utf8), scratch: scratch)
        }.map { request($0, format: kept.format, rawLine: kept.line, input: kept.input) }
    }

    private static func request(_ p: ParsedRequest, format: Int, rawLine: String, input: String) -> AccessRequest {
        let path = Self.path(of: p.uri)
        let (endpoint, instance) = EvolutionEndpoints.classify(method: p.method, path: path)
        return AccessRequest(end: p.end, method: p.method, path: path, status: p.status, endpoint: endpoint, instance: instance,
                             referer: p.referer, format: formats[format].name, formatIndex: format, rawLine: rawLine, input: input)
    }

    /// The URI up to its query string or fragment (bytes: a `String.firstIndex(where:)` cost
    /// a tenth of a request's parse).
    static func path(of uri: String) -> String {
        var uri = uri
        return uri.withUTF8 { b in
            guard let cut = b.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: b[..<cut]), as: UTF8.self)
        } ?? uri
    }
}
