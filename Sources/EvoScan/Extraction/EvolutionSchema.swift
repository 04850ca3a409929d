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
        for model in models where body.hasPrefix(model + "_") || body == model {
            let rest = body.dropFirst(model.count).drop(while: { $0 == "_" })
            return (model, rest.isEmpty ? [] : rest.split(separator: "_").map(String.init))
        }
        // Unknown schema: the text before the first `_` is the table (low confidence).
        let parts = body.split(separator: "_").map(String.init)
        guard parts.count >= 2 else { return nil }
        return (parts[0], Array(parts.dropFirst()))
    }
}

extension String {
    func trimming(_ set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s.removeFirst() }
        while let l = s.last, chars.contains(l) { s.removeLast() }
        return String(s)
    }
}
