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

/// Receives parsed access-log requests.
public protocol AccessRequestSink: AnyObject {
    func request(_ request: AccessRequest)
}

/// Evolution endpoints in request paths (`silent-failures.md` §5.1). The path may sit
/// under a prefix when a proxy mounts Evolution below one, so it is matched as a suffix.
enum EvolutionEndpoints {
    static let setEndpoint = Regex(static: #"\/(?<ep>proxy|webhook|websocket|rabbitmq|sqs|nats|pusher|kafka|settings|chatwoot)\/set\/(?<inst>[^\/?#\s"]+)\/?$"#)
    static let instanceCreate = Regex(static: #"\/instance\/create\/?$"#)
    static let botEndpoint = Regex(static: #"\/(?<bot>typebot|openai|dify|flowise|evolutionBot|n8n|evoai|chatwoot|label)\/(?<action>[A-Za-z]+)\/(?<inst>[^\/?#\s"]+)\/?$"#)
    static let managerPage = Regex(static: #"\/manager\/instance\/(?<iid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/"#)
    // Capture numbers, looked up once (by name on every request, they cost as much as the match).
    static let (setEp, setInst) = (setEndpoint.group("ep"), setEndpoint.group("inst"))
    static let (botName, botAction, botInst) = (botEndpoint.group("bot"), botEndpoint.group("action"), botEndpoint.group("inst"))

    /// (`POST /proxy/set`, `loja centro`) for a method and path.
    static func classify(method: String, path: String, scratch: RegexScratch) -> (endpoint: String?, instance: String?) {
        var path = path
        return path.withUTF8 { utf8 -> (String?, String?) in
            let b = UnsafeRawBufferPointer(utf8)
            if let m = scratch.firstMatch(setEndpoint, in: b), let ep = m.range(setEp), let inst = m.range(setInst) {
                return (method + " /" + Bytes.string(b, ep) + "/set", percentDecode(Bytes.string(b, inst)))
            }
            if scratch.firstMatch(instanceCreate, in: b) != nil { return (method + " /instance/create", nil) }
            if let m = scratch.firstMatch(botEndpoint, in: b), let bot = m.range(botName),
               let action = m.range(botAction), let inst = m.range(botInst) {
                return (method + " /" + Bytes.string(b, bot) + "/" + Bytes.string(b, action), percentDecode(Bytes.string(b, inst)))
            }
            return (nil, nil)
        }
    }

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
