/// What to do about a failure (`silent-failures.md` §9), as data: the first matching row
/// wins, so specific rows come before general ones.
public enum RemediationCatalog {
    struct Row: Sendable {
        let code: String?
        let model: String?
        /// nil: any version; true: 2.0.x only; false: 2.1+ only.
        let only20x: Bool?
        let hint: String
    }

    static let rows: [Row] = [
        Row(code: "P2002", model: "Proxy", only20x: true, hint: "create-only setProxy in 2.0.x: every re-save of a proxy fails. Upgrade to >= 2.1.0; meanwhile delete the instance's Proxy row before saving."),
        Row(code: "P2002", model: "Websocket", only20x: true, hint: "create-only setWebsocket in 2.0.x: every re-save fails. Upgrade to >= 2.1.0."),
        Row(code: "P2002", model: "Webhook", only20x: true, hint: "find-then-create race in 2.0.x (double submit): save once more; upgrade to >= 2.1.0."),
        Row(code: "P2002", model: "Rabbitmq", only20x: true, hint: "find-then-create race in 2.0.x (double submit): save once more; upgrade to >= 2.1.0."),
        Row(code: "P2002", model: "Sqs", only20x: true, hint: "find-then-create race in 2.0.x (double submit): save once more; upgrade to >= 2.1.0."),
        Row(code: "P2002", model: "Proxy", only20x: false, hint: "concurrent saves of the same instance's proxy: save once more and check it with GET /proxy/find/{instance}."),
        Row(code: "P2000", model: "Proxy", only20x: nil, hint: "a proxy field (host, port, protocol, username, password) is longer than 100 characters (VARCHAR(100)); shorten it and save again."),
        Row(code: "P2000", model: "Chatwoot", only20x: nil, hint: "a Chatwoot field is over its column limit (token/accountId 100, url 500)."),
        Row(code: "P2003", model: nil, only20x: nil, hint: "the Instance row was never saved (see the [WAMonitoringService] error); recreate the instance."),
        Row(code: nil, model: "Proxy", only20x: nil, hint: "send username and password (empty strings are fine) when the proxy is enabled."),
        Row(code: "P1001", model: nil, only20x: nil, hint: "the database was unreachable when the write ran: the write is lost; save again once the database is back."),
        Row(code: "P2024", model: nil, only20x: nil, hint: "the connection pool was exhausted (pool_timeout): the write is lost; save again, and raise connection_limit."),
        Row(code: "P2010", model: nil, only20x: nil, hint: "a raw query failed (PostgreSQL 42P10: no unique index for ON CONFLICT on Chat); background label sync, no client was told success."),
    ]

    static let first21 = EvolutionVersion("2.1.0")!

    /// A hint for a failure, or nil when the catalog has nothing specific. With an unknown
    /// version, version-specific hints are given for both lines.
    public static func hint(code: String?, model: String?, version: EvolutionVersion?) -> String? {
        let is20x = version.map { $0 < first21 }
        let matching = rows.filter { row in
            if let c = row.code, c != code { return false }
            if row.code == nil && code != nil { return false }
            if let m = row.model, m != model { return false }
            return true
        }
        if let is20x {
            return matching.first { $0.only20x == nil || $0.only20x == is20x }?.hint
        }
        guard let first = matching.first else { return nil }
        guard first.only20x != nil else { return first.hint }
        let old = matching.first { $0.only20x == true }?.hint
        let new = matching.first { $0.only20x == false || $0.only20x == nil }?.hint
        return [old.map { "if Evolution 2.0.x: " + $0 }, new.map { "if 2.1 or later: " + $0 }].compactMap { $0 }.joined(separator: " ")
    }

    /// Said of every silent failure: the UI reported success, the data was not stored.
    public static let silentNote = "the client was told the save succeeded, but nothing was stored; verify with the matching GET /…/find/{instance}."
}
