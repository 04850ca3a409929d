/// What evoscan knows of Evolution API's database schema and code: model names (to decode
/// index names such as `Contact_remoteJid_instanceId_key`) and the stack methods that
/// identify the model of a write (`silent-failures.md` §3–4). Kept as data.
public enum EvolutionSchema {
    /// Prisma models (= table names) of Evolution 2.x, longest first so that prefix
    /// matching prefers `TypebotSetting` over `Typebot`.
    public static let models: [String] = [
        "Instance", "Session", "Chat", "Contact", "Message", "MessageUpdate", "Webhook", "Chatwoot",
        "Label", "Proxy", "Setting", "Rabbitmq", "Nats", "Sqs", "Kafka", "Websocket", "Pusher",
        "Typebot", "TypebotSetting", "Media", "OpenaiCreds", "OpenaiBot", "OpenaiSetting", "Template",
        "Dify", "DifySetting", "EvolutionBot", "EvolutionBotSetting", "Flowise", "FlowiseSetting",
        "N8n", "N8nSetting", "Evoai", "EvoaiSetting", "IsOnWhatsapp", "IntegrationSession",
    ].sorted { $0.count > $1.count }

    /// Stack (or code-frame) method → the model it writes.
    public static let methodModels: [String: String] = [
        "setProxy": "Proxy", "setWebhook": "Webhook", "setWebsocket": "Websocket",
        "setRabbitmq": "Rabbitmq", "setSqs": "Sqs", "setChatwoot": "Chatwoot",
        "setSettings": "Setting", "setPusher": "Pusher", "setNats": "Nats", "setKafka": "Kafka",
        "saveInstance": "Instance",
    ]

    /// Decodes a Prisma default index/constraint name (`Proxy_instanceId_key`,
    /// `Setting_instanceId_fkey (index)`) into its model and columns.
    public static func decodeIndexName(_ raw: String) -> (model: String, fields: [String])? {
        var name = raw.trimming(" `\"'")
        if name.hasSuffix(" (index)") { name.removeLast(8) }
        var stripped: Substring? = nil
        for suffix in ["_fkey", "_pkey", "_key", "_idx"] where name.hasSuffix(suffix) {
            stripped = name.dropLast(suffix.count)
            break
        }
        guard let body = stripped, !body.isEmpty else { return nil }
        for model in models where body.utf8.starts(with: model.utf8) {
            let after = body.utf8.dropFirst(model.utf8.count)
            guard after.isEmpty || after.first == UInt8(ascii: "_") else { continue }
            let rest = String(body[after.startIndex...])
            return (model, rest.pieces("_").map(String.init))
        }
        // Unknown schema: the text before the first `_` is the table (low confidence).
        let parts = String(body).pieces("_").map(String.init)
        guard parts.count >= 2 else { return nil }
        return (parts[0], Array(parts.dropFirst()))
    }
}

extension String {
    /// Removes the ASCII characters of `set` from both ends. Works on UTF-8 bytes (ASCII
    /// bytes never occur inside a multi-byte character); a Set<Character> per call cost
    /// more than the regex work on dense logs.
    func trimming(_ set: StaticString) -> String {
        let trim = UnsafeBufferPointer(start: set.utf8Start, count: set.utf8CodeUnitCount)
        let u = utf8
        var lo = u.startIndex, hi = u.endIndex
        while lo < hi, trim.contains(u[lo]) { lo = u.index(after: lo) }
        while hi > lo, trim.contains(u[u.index(before: hi)]) { hi = u.index(before: hi) }
        return lo == u.startIndex && hi == u.endIndex ? self : String(self[lo..<hi])
    }

    /// The non-empty pieces between ASCII `separator`s, split on bytes: Character-based
    /// `split` runs grapheme breaking over every byte.
    func pieces(_ separator: Character) -> [Substring] {
        let sep = separator.asciiValue!
        return utf8.split(separator: sep).map { self[$0.startIndex..<$0.endIndex] }
    }
}
