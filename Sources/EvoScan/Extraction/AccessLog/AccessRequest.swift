/// One request as a reverse proxy logged it: what the client was told.
public struct AccessRequest: Sendable {
    /// When the response was sent (UTC). Formats that stamp the start add the duration
    /// when they log it.
    public var end: Instant
    public var method: String
    /// The path without query string.
    public var path: String
    public var status: Int
    /// `POST /proxy/set`, `POST /instance/create`, … when the path is an Evolution endpoint.
    public var endpoint: String?
    /// The instance name from the path, percent-decoded.
    public var instance: String?
    public var referer: String?
    /// `nginx-combined`, `traefik-json`, …
    public var format: String
    /// The format's place in its `AccessLogCatalog`.
    var formatIndex: Int
    /// The log line as read: redacted only when shown (`line(redactedBy:)`), because a
    /// request becomes evidence for a failure rarely, and redacting every parsed line was a
    /// fifth of an access log's parsing.
    var rawLine: String
    public var input: String

    /// The log line, secrets redacted (evidence).
    public func line(redactedBy redactor: Redactor) -> String { redactor.redact(rawLine) }

    /// The Manager page's instance id (a UUID) from the Referer: read when the request
    /// becomes evidence, not for every parsed line.
    public func managerInstanceId(scratch: RegexScratch) -> String? {
        EvolutionEndpoints.managerInstanceId(referer, scratch: scratch)
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// A request from an `--access-log` file as the correlator keeps it for the whole scan:
/// the endpoint it filters on and the line, read again (`AccessLogParser.request(kept:)`)
/// when a failure's window holds it. The parsed request with its eight strings took twice
/// the memory, and first touching those pages was a tenth of reading the access log.
struct KeptRequest: Sendable {
    let end: Instant
    let endpoint: String
    let line: String
    let input: String
    let format: Int

    init?(_ r: AccessRequest) {
        guard let endpoint = r.endpoint else { return nil }
        self.init(end: r.end, endpoint: endpoint, line: r.rawLine, input: r.input, format: r.formatIndex)
    }

    init(end: Instant, endpoint: String, line: String, input: String, format: Int) {
        (self.end, self.endpoint, self.line, self.input, self.format) = (end, endpoint, line, input, format)
    }
}

/// Receives the requests of `--access-log` files as the correlator keeps them.
protocol KeptRequestSink: AnyObject {
    /// A request that ended at `end`; `kept` when it is on an Evolution endpoint.
    func fileRequest(end: Instant, kept: KeptRequest?)
}

/// Receives parsed access-log requests.
public protocol AccessRequestSink: AnyObject {
    func request(_ request: AccessRequest)
}

/// Evolution endpoints in request paths (`silent-failures.md` §5.1). The path may sit
/// under a prefix when a proxy mounts Evolution below one, so it is matched as a suffix:
/// the language of
///
///     /(proxy|webhook|websocket|rabbitmq|sqs|nats|pusher|kafka|settings|chatwoot)/set/INST/?$
///     /instance/create/?$
///     /(typebot|openai|dify|flowise|evolutionBot|n8n|evoai|chatwoot|label)/[A-Za-z]+/INST/?$
///
/// tried in that order, where INST is `[^/?#\s"]+`. Read from the path's last three
/// segments as bytes: three PCRE2 matches and their strings were a quarter of parsing a
/// request an access log keeps (`EvolutionEndpointsTests` holds the patterns and checks
/// both agree).
enum EvolutionEndpoints {
    static let setTargets: [StaticString] = ["proxy", "webhook", "websocket", "rabbitmq", "sqs", "nats", "pusher", "kafka", "settings", "chatwoot"]
    static let bots: [StaticString] = ["typebot", "openai", "dify", "flowise", "evolutionBot", "n8n", "evoai", "chatwoot", "label"]
    static let managerPage = Regex(static: #"\/manager\/instance\/(?<iid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/"#)

    /// Where an endpoint's name and instance are in a path: the endpoint is the method,
    /// ` /`, `name` and `suffix` (`/set` for the set endpoints).
    struct Located {
        var name: Range<Int>
        var suffix: StaticString
        var instance: Range<Int>?
    }

    /// (`POST /proxy/set`, `loja centro`) for a method and path; `extra` are the config's
    /// endpoints the built-in classification does not know.
    static func classify(method: String, path: String, extra: [EndpointTemplate] = []) -> (endpoint: String?, instance: String?) {
        var path = path
        return path.withUTF8 { utf8 -> (String?, String?) in
            let b = UnsafeRawBufferPointer(utf8)
            guard let at = locate(b, 0, b.count, extra: extra) else { return (nil, nil) }
            return (method + " /" + Bytes.string(b, at.name) + at.suffix.description, at.instance.map { percentDecode(Bytes.string(b, $0)) })
        }
    }

    /// The endpoint in the path `b[start..<end]`, if it names one: a built-in one, else
    /// one of `extra` (tried only when no built-in one matched, so an empty list costs
    /// nothing).
    static func locate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int, extra: [EndpointTemplate]) -> Located? {
        var end = end
        if end > start, b[end - 1] == UInt8(ascii: "/") { end -= 1 }
        if let found = locateBuiltIn(b, start, end) { return found }
        for template in extra {
            if let found = template.locate(b, start, end) { return found }
        }
        return nil
    }

    /// `locate` among the built-in endpoints (`end` is past any trailing `/`).
    static func locateBuiltIn(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Located? {
        // The last three segments: b[s1..<e1] / b[s2..<e2] / b[s3..<end], each after a `/`.
        guard let slash3 = lastSlash(b, start, before: end) else { return nil }
        let (s3, e2) = (slash3 + 1, slash3)
        guard let slash2 = lastSlash(b, start, before: e2) else { return nil }
        let s2 = slash2 + 1
        if matches(b, s2, e2, "instance"), matches(b, s3, end, "create") { return Located(name: s2..<end, suffix: "", instance: nil) }
        guard let slash1 = lastSlash(b, start, before: slash2) else { return nil }
        let (s1, e1) = (slash1 + 1, slash2)
        guard isInstance(b, s3, end) else { return nil }
        if matches(b, s2, e2, "set"), setTargets.contains(where: { matches(b, s1, e1, $0) }) {
            return Located(name: s1..<e1, suffix: "/set", instance: s3..<end)
        }
        // `instance/create` is the one earlier alternative a bot path can end like.
        if bots.contains(where: { matches(b, s1, e1, $0) }), e2 > s2, (s2..<e2).allSatisfy({ isLetter(b[$0]) }) {
            return Located(name: s1..<e2, suffix: "", instance: s3..<end)
        }
        return nil
    }

    static func lastSlash(_ b: UnsafeRawBufferPointer, _ start: Int, before end: Int) -> Int? {
        var i = end - 1
        while i >= start {
            if b[i] == UInt8(ascii: "/") { return i }
            i -= 1
        }
        return nil
    }

    private static func matches(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int, _ word: StaticString) -> Bool {
        end - start == word.utf8CodeUnitCount && Bytes.hasPrefix(b, at: start, word)
    }

    /// `[^/?#\s"]+` (PCRE2's `\s` in byte mode: space, `\t`, `\n`, `\v`, `\f`, `\r`).
    static func isInstance(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard end > start else { return false }
        for i in start..<end {
            switch b[i] {
            case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\""), 0x20, 0x09...0x0D: return false
            default: continue
            }
        }
        return true
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) &- UInt8(ascii: "a") < 26 }

    static func managerInstanceId(_ referer: String?, scratch: RegexScratch) -> String? {
        guard let referer else { return nil }
        var bytes = Array(referer.utf8)
        return bytes.withUnsafeMutableBytes { raw in
            let b = UnsafeRawBufferPointer(raw)
            return scratch.firstMatch(managerPage, in: b)?.range(managerPage.group("iid")).map { Bytes.string(b, $0) }
        }
    }

    /// `loja%20centro` → `loja centro`; invalid escapes are kept as they are.
    static func percentDecode(_ s: String) -> String {
        // A byte test: `String.contains(_: String)` goes through Foundation (a quarter of an
        // access line's parse).
        guard s.utf8.contains(UInt8(ascii: "%")) else { return s }
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        while i < b.count {
            if b[i] == 0x25, i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(b[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x37
        case 0x61...0x66: return c - 0x57
        default: return nil
        }
    }
}
