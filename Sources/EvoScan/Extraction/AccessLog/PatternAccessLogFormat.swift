/// An access-log format a config names (`[[access-log-format]]`): one PCRE2 pattern with
/// the named groups `ts`, `method`, `uri` and `status` (and `referer`, `upstream`, `ms`
/// when the line has them), and how its time is written.
public struct PatternAccessLogFormat: AccessLogFormat {
    public enum TimeSyntax: String, Sendable, CaseIterable {
        /// `10/Jun/2025:17:07:31 +0000`
        case clf
        /// `2025-06-10T17:07:31.412Z`
        case rfc3339
        /// `1749575251.412` (seconds since 1970)
        case epoch
    }

    public let name: String
    let regex: Regex
    let time: TimeSyntax
    /// The stamp is the request's start: its end is the stamp plus `ms`.
    let stampIsStart: Bool
    private let ts, method, uri, status: Int
    private let referer, upstream, ms: Int?

    public static let requiredGroups = ["ts", "method", "uri", "status"]

    /// nil when `regex` lacks one of `requiredGroups`.
    public init?(name: String, regex: Regex, time: TimeSyntax, stampIsStart: Bool) {
        guard let ts = regex.groupIfPresent("ts"), let method = regex.groupIfPresent("method"),
              let uri = regex.groupIfPresent("uri"), let status = regex.groupIfPresent("status") else { return nil }
        (self.name, self.regex, self.time, self.stampIsStart) = (name, regex, time, stampIsStart)
        (self.ts, self.method, self.uri, self.status) = (ts, method, uri, status)
        (referer, upstream, ms) = (regex.groupIfPresent("referer"), regex.groupIfPresent("upstream"), regex.groupIfPresent("ms"))
    }

    var readsFields: Bool { true }

    func parse(_ line: UnsafeRawBufferPointer, scratch: RegexScratch) -> ParsedRequest? {
        guard let (m, f, code) = read(line, scratch: scratch) else { return nil }
        func text(_ g: Int?) -> String? { g.flatMap { m.range($0) }.map { Bytes.string(line, $0) } }
        return ParsedRequest(end: f.end, method: Bytes.string(line, f.method), uri: Bytes.string(line, f.uri), status: code,
                             referer: text(referer), upstream: text(upstream))
    }

    func fields(_ line: UnsafeRawBufferPointer, scratch: RegexScratch) -> RequestFields? {
        read(line, scratch: scratch)?.1
    }

    private func read(_ line: UnsafeRawBufferPointer, scratch: RegexScratch) -> (RegexMatch, RequestFields, Int)? {
        guard let m = scratch.firstMatch(regex, in: line), let t = m.range(ts), let method = m.range(method),
              !method.isEmpty, let uri = m.range(uri), !uri.isEmpty,
              let code = m.range(status).flatMap({ Bytes.parseInt(line, $0) }),
              let stamp = Self.instant(UnsafeRawBufferPointer(rebasing: line[t]), time) else { return nil }
        var end = stamp
        if stampIsStart, let duration = ms.flatMap({ m.range($0) }).flatMap({ Bytes.parseInt(line, $0) }) {
            end = Instant(micros: stamp.micros + Int64(duration) * 1000)
        }
        return (m, RequestFields(end: end, method: method, uri: uri), code)
    }

    static func instant(_ b: UnsafeRawBufferPointer, _ syntax: TimeSyntax) -> Instant? {
        switch syntax {
        case .clf: return AccessLogTime.parseCLF(b)
        case .rfc3339: return Timestamps.parseRFC3339(b)?.0
        case .epoch: return AccessLogTime.parseEpochSeconds(b)
        }
    }
}
