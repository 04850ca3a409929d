#if canImport(Glibc)
import Glibc
#endif

/// Reads access-log lines in any supported format (the last format that matched is tried
/// first) and turns them into `AccessRequest`s with the Evolution endpoint and instance.
/// The formats and the endpoints beyond the built-in ones come from the config
/// (`AccessLogCatalog`).
public final class AccessLogParser {
    private let catalog: AccessLogCatalog
    private let formats: [any AccessLogFormat]
    private let scratch: RegexScratch
    private var last = 0
    public private(set) var linesParsed = 0
    /// Lines per format, by index in `formats` (a String-keyed dictionary per line cost
    /// more than the regex).
    private var perFormat: [Int]
    public var formatsSeen: [String: Int] {
        var out: [String: Int] = [:]
        for (i, n) in perFormat.enumerated() where n > 0 { out[formats[i].name, default: 0] += n }
        return out
    }

    public init(scratch: RegexScratch, catalog: AccessLogCatalog = Knowledge.builtIn.accessLogs) {
        self.scratch = scratch
        self.catalog = catalog
        formats = catalog.formats
        perFormat = [Int](repeating: 0, count: catalog.formats.count)
    }

    /// The request in one line (no newline, prefixes and ANSI already removed).
    public func parse(_ line: UnsafeRawBufferPointer, input: String) -> AccessRequest? {
        for k in 0..<formats.count {
            if let r = parse(line, input: input, only: formatIndex(k)) { return r }
        }
        return nil
    }

    /// The `k`-th format to try: the one that matched last first (a file is in one format).
    private func formatIndex(_ k: Int) -> Int { k == 0 ? last : (k <= last ? k - 1 : k) }

    /// A line read in `format`: counted, and tried first next time.
    private func matched(_ format: Int) {
        last = format
        linesParsed += 1
        perFormat[format] += 1
    }

    /// An `--access-log` file's line as the correlator keeps it: the request's end, and
    /// the `KeptRequest` when its path names an Evolution endpoint; nil when the line is in
    /// no format. The same answers as `parse`, counted the same way, without the parsed
    /// request's strings where the format gives its fields as places in the line: making
    /// and dropping them was most of reading the 30,000 such lines of a 200 MB log.
    func keep(_ line: UnsafeRawBufferPointer, input: String) -> (end: Instant, kept: KeptRequest?)? {
        for k in 0..<formats.count {
            let i = formatIndex(k)
            let format = formats[i]
            guard format.readsFields else {
                guard let r = parse(line, input: input, only: i) else { continue }
                return (r.end, KeptRequest(r))
            }
            guard let f = format.fields(line, scratch: scratch) else { continue }
            matched(i)
            guard let at = EvolutionEndpoints.locate(line, f.uri.lowerBound, Self.pathEnd(line, f.uri), extra: catalog.endpoints) else { return (f.end, nil) }
            let endpoint = endpointText(line, method: f.method, at)
            return (f.end, KeptRequest(end: f.end, endpoint: endpoint, line: Bytes.string(line), input: input, format: i))
        }
        return nil
    }

    /// `parse` in the format at `index` only.
    private func parse(_ line: UnsafeRawBufferPointer, input: String, only index: Int) -> AccessRequest? {
        guard let p = formats[index].parse(line, scratch: scratch) else { return nil }
        matched(index)
        return Self.request(p, format: index, rawLine: Bytes.string(line), input: input, catalog: catalog)
    }

    /// The endpoint's text (`POST /proxy/set`), one String per distinct endpoint: a file
    /// names a dozen, and each kept request shares its endpoint's. Found by comparing the
    /// parts in place with the known ones (building and hashing a key cost as much as
    /// matching the line).
    private func endpointText(_ line: UnsafeRawBufferPointer, method: Range<Int>, _ at: EvolutionEndpoints.Located) -> String {
        let m = UnsafeRawBufferPointer(rebasing: line[method]), n = UnsafeRawBufferPointer(rebasing: line[at.name])
        let suffix = UnsafeRawBufferPointer(start: at.suffix.utf8Start, count: at.suffix.utf8CodeUnitCount)
        let total = m.count + 2 + n.count + suffix.count
        for e in endpoints.indices where endpoints[e].key.count == total {
            let same = endpoints[e].key.withUnsafeBytes { k in
                memcmp(k.baseAddress!, m.baseAddress!, m.count) == 0 && k[m.count] == 0x20 && k[m.count + 1] == 0x2F
                    && memcmp(k.baseAddress! + m.count + 2, n.baseAddress!, n.count) == 0
                    && (suffix.isEmpty || memcmp(k.baseAddress! + m.count + 2 + n.count, suffix.baseAddress!, suffix.count) == 0)
            }
            if same { return endpoints[e].text }
        }
        let key = Array(m) + Array(" /".utf8) + Array(n) + Array(suffix)
        let text = String(decoding: key, as: UTF8.self)
        if endpoints.count < Self.maxEndpoints { endpoints.append((key, text)) }
        return text
    }

    private var endpoints: [(key: [UInt8], text: String)] = []
    /// Distinct endpoints remembered; a hostile log's endless ones are made each time.
    static let maxEndpoints = 64

    /// A request kept by the correlator (`KeptRequest`) as it was first parsed: its line
    /// read again in the format that read it then (of the same `catalog`).
    static func request(kept: KeptRequest, catalog: AccessLogCatalog, scratch: RegexScratch) -> AccessRequest? {
        var line = kept.line
        return line.withUTF8 { utf8 in
            catalog.formats[kept.format].parse(UnsafeRawBufferPointer(utf8), scratch: scratch)
        }.map { request($0, format: kept.format, rawLine: kept.line, input: kept.input, catalog: catalog) }
    }

    private static func request(_ p: ParsedRequest, format: Int, rawLine: String, input: String, catalog: AccessLogCatalog) -> AccessRequest {
        let path = Self.path(of: p.uri)
        let (endpoint, instance) = EvolutionEndpoints.classify(method: p.method, path: path, extra: catalog.endpoints)
        return AccessRequest(end: p.end, method: p.method, path: path, status: p.status, endpoint: endpoint, instance: instance,
                             referer: p.referer, format: catalog.formats[format].name, formatIndex: format, rawLine: rawLine, input: input)
    }

    /// The URI up to its query string or fragment (bytes: a `String.firstIndex(where:)` cost
    /// a tenth of a request's parse).
    static func path(of uri: String) -> String {
        var uri = uri
        return uri.withUTF8 { utf8 in
            let b = UnsafeRawBufferPointer(utf8)
            let cut = pathEnd(b, 0..<b.count)
            return cut == b.count ? nil : Bytes.string(b, 0..<cut)
        } ?? uri
    }

    /// Where the path of the URI at `uri` in `b` ends: at its query string or fragment.
    static func pathEnd(_ b: UnsafeRawBufferPointer, _ uri: Range<Int>) -> Int {
        uri.first { b[$0] == UInt8(ascii: "?") || b[$0] == UInt8(ascii: "#") } ?? uri.upperBound
    }
}
