/// One access-log format: recognises its lines and reads the request out of them.
/// A new proxy's format is a new conforming type, listed in `AccessLogCatalog.builtInFormats`,
/// or a config's `[[access-log-format]]` (`PatternAccessLogFormat`).
protocol AccessLogFormat: Sendable {
    var name: String { get }
    /// The request in `line`, or nil when the line is not in this format.
    func parse(_ line: UnsafeRawBufferPointer, scratch: RegexScratch) -> ParsedRequest?
    /// Whether `fields` reads this format (its method and URI are plain slices of the line).
    var readsFields: Bool { get }
    /// The request's end, method and URI as places in `line`, or nil when the line is not
    /// in this format: what the correlator keeps of an `--access-log` file's request, read
    /// without making the parsed request's strings (`AccessLogParser.keep`).
    func fields(_ line: UnsafeRawBufferPointer, scratch: RegexScratch) -> RequestFields?
}

extension AccessLogFormat {
    var readsFields: Bool { false }
    func fields(_ line: UnsafeRawBufferPointer, scratch: RegexScratch) -> RequestFields? { nil }
}

/// A request's end, and where its method and URI are in its line.
struct RequestFields {
    var end: Instant
    var method: Range<Int>
    var uri: Range<Int>
}

/// The fields every format yields, before endpoint classification and redaction.
struct ParsedRequest {
    var end: Instant
    var method: String
    var uri: String
    var status: Int
    var referer: String?
    var upstream: String?
}

enum AccessLogTime {
    /// `10/Jun/2025:17:07:31 +0000` (nginx `$time_local`, Apache `%t`, Traefik CLF).
    static func parseCLF(_ b: UnsafeRawBufferPointer) -> Instant? {
        guard b.count >= 26, let day = Bytes.parseInt(b, 0..<2), let month = CivilTime.month(b, at: 3),
              let year = Bytes.parseInt(b, 7..<11), let h = Bytes.parseInt(b, 12..<14), let mi = Bytes.parseInt(b, 15..<17),
              let s = Bytes.parseInt(b, 18..<20), b[21] == 0x2B || b[21] == 0x2D,
              let oh = Bytes.parseInt(b, 22..<24), let om = Bytes.parseInt(b, 24..<26) else { return nil }
        let offset = (oh * 3600 + om * 60) * (b[21] == 0x2D ? -1 : 1)
        return Instant(seconds: CivilTime.epochSeconds(year, month, day, h, mi, s) - Int64(offset))
    }

    /// Epoch seconds as a decimal (`1749575251.4120936`, Caddy's `ts`).
    static func parseEpochSeconds(_ b: UnsafeRawBufferPointer) -> Instant? {
        var seconds: Int64 = 0
        var micros: Int64 = 0
        var i = 0
        var digits = 0
        while i < b.count, Bytes.isDigit(b[i]) { seconds = seconds * 10 + Int64(b[i] - 0x30); i += 1; digits += 1 }
        guard digits > 0, digits <= 12 else { return nil }
        if i < b.count, b[i] == 0x2E {
            i += 1
            var n = 0
            while i < b.count, Bytes.isDigit(b[i]) {
                if n < 6 { micros = micros * 10 + Int64(b[i] - 0x30); n += 1 }
                i += 1
            }
            while n < 6 { micros *= 10; n += 1 }
        }
        return Instant(micros: seconds * 1_000_000 + micros)
    }
}

/// Capture numbers of the groups the CLF-stamped formats name alike, looked up once per
/// pattern: a lookup by name on every line cost a fifth of parsing it.
struct CLFGroups: Sendable {
    let ts, method, uri, status: Int
    let referer, upstream, service, ms: Int?

    init(_ r: Regex) {
        (ts, method, uri, status) = (r.group("ts"), r.group("method"), r.group("uri"), r.group("status"))
        (referer, upstream, service, ms) = (r.groupIfPresent("referer"), r.groupIfPresent("upstream"), r.groupIfPresent("service"), r.groupIfPresent("ms"))
    }
}

/// A line matched by one of the CLF-stamped formats, with the fields they all name the
/// same way (`ts`, `method`, `uri`, `status`): one place reads them for every format.
struct CLFLine {
    let match: RegexMatch
    let time: Instant
    let method: Range<Int>
    let uri: Range<Int>
    let status: Int
    private let line: UnsafeRawBufferPointer

    init?(_ regex: Regex, _ g: CLFGroups, _ line: UnsafeRawBufferPointer, _ scratch: RegexScratch) {
        guard let m = scratch.firstMatch(regex, in: line), let ts = m.range(g.ts),
              let time = AccessLogTime.parseCLF(UnsafeRawBufferPointer(rebasing: line[ts])),
              let method = m.range(g.method), let uri = m.range(g.uri),
              let status = m.range(g.status).flatMap({ Bytes.parseInt(line, $0) }) else { return nil }
        (match, self.time, self.line) = (m, time, line)
        (self.method, self.uri, self.status) = (method, uri, status)
    }

    /// The request as a format with `end`, `referer` and `upstream` groups reads it.
    func request(end: Instant, referer: Int?, upstream: Int?) -> ParsedRequest {
        ParsedRequest(end: end, method: Bytes.string(line, method), uri: Bytes.string(line, uri), status: status,
                      referer: text(referer), upstream: text(upstream))
    }

    /// An optional group's text (`referer`, `upstream`, `service`).
    func text(_ group: Int?) -> String? { group.flatMap { match.range($0) }.map { Bytes.string(line, $0) } }
}

/// The CLF-stamped formats: a pattern with `CLFGroups`, the request's end read from the
/// match, and the groups that hold the referer and the upstream.
protocol CLFStampedFormat: AccessLogFormat {
    static var regex: Regex { get }
    static var groups: CLFGroups { get }
    static var upstreamGroup: Int? { get }
    func end(of c: CLFLine, in line: UnsafeRawBufferPointer) -> Instant
}

extension CLFStampedFormat {
    var readsFields: Bool { true }

    func parse(_ line: UnsafeRawBufferPointer, scratch: RegexScratch) -> ParsedRequest? {
        guard let c = CLFLine(Self.regex, Self.groups, line, scratch) else { return nil }
        return c.request(end: end(of: c, in: line), referer: Self.groups.referer, upstream: Self.upstreamGroup)
    }

    func fields(_ line: UnsafeRawBufferPointer, scratch: RegexScratch) -> RequestFields? {
        guard let c = CLFLine(Self.regex, Self.groups, line, scratch) else { return nil }
        return RequestFields(end: end(of: c, in: line), method: c.method, uri: c.uri)
    }

    /// The stamp is the end (nginx; Apache's `%t` is the start, within the window).
    func end(of c: CLFLine, in line: UnsafeRawBufferPointer) -> Instant { c.time }
}

/// nginx / Apache `combined` and `common` (the quoted referer/agent pair is optional).
/// nginx stamps the request end; Apache's `%t` is the start (within the window). The
/// pattern stops at the agent's opening quote: nothing reads the agent, and matching it
/// to its closing quote was the longest part of the match.
struct CombinedLogFormat: CLFStampedFormat {
    let name = "combined"
    static let regex = Regex(static: #"^(?<ip>\S+) \S+ (?<user>\S+) \[(?<ts>\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] "(?<method>[A-Z]+) (?<uri>[^ "]+) (?<proto>HTTP\/[\d.]+)" (?<status>\d{3}) (?<bytes>\d+|-)(?: "(?<referer>[^"\\]*(?:\\.[^"\\]*)*)" ")?"#)
    static let groups = CLFGroups(regex)
    static let upstreamGroup: Int? = nil
}

/// Traefik's CLF: combined plus request count, router, service URL and `Nms`; the time
/// is the request start, so the end is start + duration.
struct TraefikCLFFormat: CLFStampedFormat {
    let name = "traefik-clf"
    static let regex = Regex(static: #"^(?<ip>\S+) - (?<user>\S+) \[(?<ts>[^\]]+)\] "(?<method>[A-Z]+) (?<uri>[^ "]+) (?<proto>[^"]+)" (?<status>\d{3}|-) (?<bytes>\d+|-) "(?<referer>[^"]*)" "(?<ua>[^"\\]*(?:\\.[^"\\]*)*)" (?<count>\d+) "(?<router>[^"]*)" "(?<service>[^"]*)" (?<ms>\d+)ms$"#)
    static let groups = CLFGroups(regex)
    static let upstreamGroup = groups.service

    func end(of c: CLFLine, in line: UnsafeRawBufferPointer) -> Instant {
        let ms = Self.groups.ms.flatMap { c.match.range($0) }.flatMap { Bytes.parseInt(line, $0) } ?? 0
        return Instant(micros: c.time.micros + Int64(ms) * 1000)
    }
}

/// Nginx Proxy Manager's `proxy` format (User-Agent before Referer).
struct NginxProxyManagerFormat: CLFStampedFormat {
    let name = "nginx-proxy-manager"
    static let regex = Regex(static: #"^\[(?<ts>\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4})\] (?<cache>\S+) (?<upstatus>\S+) (?<status>\d{3}) - (?<method>[A-Z]+) (?<scheme>\S+) (?<host>\S+) "(?<uri>[^"]*)" \[Client (?<ip>[^\]]+)\] \[Length (?<bytes>[^\]]+)\] \[Gzip [^\]]*\] \[Sent-to (?<upstream>[^\]]*)\](?: \[[^\]]*\])* "(?<ua>[^"\\]*(?:\\.[^"\\]*)*)" "(?<referer>[^"\\]*(?:\\.[^"\\]*)*)""#)
    static let groups = CLFGroups(regex)
    static let upstreamGroup = groups.upstream
}
