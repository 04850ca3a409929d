/// Which Evolution endpoints answer 2xx while their database write can still fail, and how
/// that write shows in the log (`silent-failures.md` §2–3). One row per (endpoint, write):
/// a new Evolution release or a fork is a change of rows here, nowhere else.
public struct WriteMapRow: Sendable {
    public let endpoint: String
    /// First version where the endpoint is silent (nil: every version).
    public let silentFrom: EvolutionVersion?
    /// First version where it is not silent any more (nil: still silent).
    public let silentUntil: EvolutionVersion?
    public let model: String
    public let index: String
    /// Stack method in tsup builds, code-frame method in tsc builds.
    public let method: String

    init(_ endpoint: String, _ versions: String, _ model: String, _ index: String, _ method: String) {
        self.endpoint = endpoint
        // "all", "<2.1.0", ">=2.3.2"
        if versions.hasPrefix("<") {
            silentFrom = nil
            silentUntil = EvolutionVersion(String(versions.dropFirst()))
        } else if versions.hasPrefix(">=") {
            silentFrom = EvolutionVersion(String(versions.dropFirst(2)))
            silentUntil = nil
        } else {
            silentFrom = nil
            silentUntil = nil
        }
        self.model = model
        self.index = index
        self.method = method
    }

    /// Silent in `version`; an unknown version (no-colour layout) takes the union.
    public func isSilent(in version: EvolutionVersion?) -> Bool {
        guard let version else { return true }
        if let from = silentFrom, version < from { return false }
        if let until = silentUntil, !(version < until) { return false }
        return true
    }
}

public enum EvolutionWriteMap {
    public static let rows: [WriteMapRow] = [
        WriteMapRow("POST /proxy/set", "all", "Proxy", "Proxy_instanceId_key", "setProxy"),
        WriteMapRow("POST /instance/create", "all", "Proxy", "Proxy_instanceId_key", "setProxy"),
        WriteMapRow("POST /instance/create", "all", "Chatwoot", "Chatwoot_instanceId_key", "setChatwoot"),
        WriteMapRow("POST /webhook/set", "<2.1.0", "Webhook", "Webhook_instanceId_key", "setWebhook"),
        WriteMapRow("POST /websocket/set", "<2.1.0", "Websocket", "Websocket_instanceId_key", "setWebsocket"),
        WriteMapRow("POST /rabbitmq/set", "<2.1.0", "Rabbitmq", "Rabbitmq_instanceId_key", "setRabbitmq"),
        WriteMapRow("POST /sqs/set", "<2.1.0", "Sqs", "Sqs_instanceId_key", "setSqs"),
        WriteMapRow("POST /instance/create", "<2.1.0", "Webhook", "Webhook_instanceId_key", "setWebhook"),
        WriteMapRow("POST /instance/create", "<2.1.0", "Websocket", "Websocket_instanceId_key", "setWebsocket"),
        WriteMapRow("POST /instance/create", "<2.1.0", "Rabbitmq", "Rabbitmq_instanceId_key", "setRabbitmq"),
        WriteMapRow("POST /instance/create", "<2.1.0", "Sqs", "Sqs_instanceId_key", "setSqs"),
    ]

    /// The rows a failure's write matches (by model, index or method) that are silent in
    /// its version.
    public static func silentRows(for facts: PrismaFacts, version: EvolutionVersion?) -> [WriteMapRow] {
        rows.filter { row in
            let writes = facts.model == row.model || facts.method == row.method || facts.constraint == row.index
            return writes && row.isSilent(in: version)
        }
    }
}

/// `2.0.4-rc`, `2.4.0-rc2`: compared by major.minor.patch (pre-release tags sort with
/// their release, which is what the version ranges above need).
public struct EvolutionVersion: Comparable, Sendable, CustomStringConvertible {
    public let major: Int, minor: Int, patch: Int
    public let text: String

    public init?(_ text: String) {
        if let ascii = Self.asciiNumbers(text) {
            guard let (a, b, c) = ascii else { return nil }
            (major, minor, patch) = (a, b, c)
            self.text = text
            return
        }
        let core = text.split(whereSeparator: { $0 == "-" || $0 == "+" }).first ?? ""
        let parts = core.split(separator: ".").map { Int($0) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2] else { return nil }
        (major, minor, patch) = (a, b, c)
        self.text = text
    }

    /// The split above on bytes, for ASCII text (nil otherwise): the first non-empty piece
    /// between `-`/`+`, its non-empty pieces between `.`, each read as `Int` does (digits,
    /// no overflow; no sign can be left). Two Character splits cost 6 k instructions per
    /// silent failure.
    static func asciiNumbers(_ text: String) -> (Int, Int, Int)?? {
        let u = text.utf8
        guard u.allSatisfy({ $0 < 0x80 }) else { return nil }
        var numbers: [Int?] = []
        var value: Int? = 0
        var length = 0
        var started = false
        for c in u {
            if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                if started { break } else { continue }
            }
            started = true
            if c == UInt8(ascii: ".") {
                if length > 0 { numbers.append(value) }
                value = 0
                length = 0
                continue
            }
            length += 1
            let d = Int(c) - 0x30
            if let v = value, (0...9).contains(d) {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (r, o2) = m.addingReportingOverflow(d)
                value = o1 || o2 ? nil : r
            } else {
                value = nil
            }
        }
        if length > 0 { numbers.append(value) }
        guard numbers.count == 3, let a = numbers[0], let b = numbers[1], let c = numbers[2] else { return .some(nil) }
        return (a, b, c)
    }

    public var description: String { text }

    public static func < (a: EvolutionVersion, b: EvolutionVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }

    public static func == (a: EvolutionVersion, b: EvolutionVersion) -> Bool {
        (a.major, a.minor, a.patch) == (b.major, b.minor, b.patch)
    }
}
