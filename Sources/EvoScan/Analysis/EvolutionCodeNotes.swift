/// Where each Prisma code shows up in Evolution API and what it means there
/// (`silent-failures.md` §2–4, §9), for `evoscan explain`. Data, one row per code.
public enum EvolutionCodeNotes {
    public static let notes: [String: String] = [
        "P2002": "A unique index refused a second row. In Evolution: Proxy.instanceId (POST /proxy/set and the proxy part of /instance/create; every re-save in 2.0.x, concurrent saves later), Webhook/Websocket/Rabbitmq/Sqs.instanceId (their /…/set endpoints, silent only in 2.0.x), Chatwoot.instanceId (/instance/create), Instance.name (saveInstance), Contact(remoteJid, instanceId) and IsOnWhatsapp.remoteJid (background contact and cache upserts).",
        "P2000": "A value is longer than its column. In Evolution: a proxy host, port, protocol, username or password over 100 characters (POST /proxy/set, silent), Chatwoot token/accountId over 100 or url over 500, Webhook url over 500.",
        "P2003": "A foreign key points at a missing row. In Evolution: <Model>_instanceId_fkey on every per-instance table when the Instance row was never saved (see the [WAMonitoringService] error of /instance/create).",
        "P2024": "The connection pool was exhausted for pool_timeout (10 s by default). In Evolution: background message and contact writes under load; on a set endpoint the save is lost while the client got 201.",
        "P1001": "The database could not be reached (after connect_timeout, 5 s by default): at container start (migrate deploy) or for any write while it is down.",
        "P2010": "A raw query failed; meta.code is the database's own code. In Evolution 2.2–2.3 on PostgreSQL: label sync's ON CONFLICT (\"instanceId\",\"remoteJid\") on Chat fails with 42P10 (no such unique index). Background: no client was told anything.",
        "P2025": "A record an operation needed was not found (update or delete of a missing row). In Evolution: chat, contact, label and message updates racing a delete; background.",
    ]
}
