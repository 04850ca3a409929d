/// The text prefixes that transports put before each Evolution line (`inputs.md` §3–6),
/// each as an anchored PCRE2 pattern, in the sniffing order of `inputs.md` §7.
public struct TransportPrefix: Sendable {
    public enum Clock: Sendable {
        /// `ts` group is RFC 3339 with a zone: an instant.
        case rfc3339
        /// `sec` and `us` groups are epoch seconds and microseconds.
        case unix
        /// `ts` group is a UTC wall time when the `zone` group says UTC, else unusable.
        case namedZone
        /// Local time without zone (journal `short`, pm2, viewers): not an instant.
        case none
    }

    public let name: String
    let regex: Regex
    let clock: Clock
    /// Groups whose text, joined, identifies the stream.
    let keyGroups: [String]
    /// CRI: `flags` group `P` marks a partial chunk to be joined with the next.
    let hasPartialFlag: Bool
    /// A docker `-t` timestamp may follow this prefix (compose `-t`, kubectl `--timestamps`).
    let timestampMayFollow: Bool

    init(_ name: String, _ pattern: String, clock: Clock, keys: [String], partial: Bool = false, timestampMayFollow: Bool = false) {
        self.name = name
        self.regex = Regex(static: pattern, anchored: true)
        self.clock = clock
        self.keyGroups = keys
        self.hasPartialFlag = partial
        self.timestampMayFollow = timestampMayFollow
    }

    static let dockerTimestamp = Regex(static: #"(?<ts>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}(?:Z|[+-]\d{2}:\d{2})) "#, anchored: true)

    /// In sniffing order: more specific shapes first.
    public static let all: [TransportPrefix] = [
        TransportPrefix("cri", #"(?<ts>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) (?<stream>stdout|stderr) (?<flags>[FP])(?::[^ \n]*)? "#,
                        clock: .rfc3339, keys: ["stream"], partial: true),
        TransportPrefix("journal-short-iso", #"(?<ts>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{6})?(?:[+-]\d{2}:?\d{2}|Z)) (?<host>\S+) (?<ident>[^\s\[\]]+)(?:\[(?<pid>\d+)\])?: "#,
                        clock: .rfc3339, keys: ["host", "ident", "pid"]),
        TransportPrefix("journal-short-full", #"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?<ts>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{6})?) (?<zone>[A-Za-z0-9+:_\/-]+) (?<host>\S+) (?<ident>[^\s\[\]]+)(?:\[(?<pid>\d+)\])?: "#,
                        clock: .namedZone, keys: ["host", "ident", "pid"]),
        TransportPrefix("journal-short-unix", #"(?<sec>\d{9,10})\.(?<us>\d{6}) (?<host>\S+) (?<ident>[^\s\[\]]+)(?:\[(?<pid>\d+)\])?: "#,
                        clock: .unix, keys: ["host", "ident", "pid"]),
        TransportPrefix("journal-short", #"[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}(?:\.\d{6})? (?<host>\S+) (?<ident>[^\s\[\]]+)(?:\[(?<pid>\d+)\])?: "#,
                        clock: .none, keys: ["host", "ident", "pid"]),
        TransportPrefix("kubectl", #"\[pod\/(?<pod>[^\/\]\s]+)\/(?<container>[^\]\s]+)\] "#,
                        clock: .none, keys: ["pod", "container"], timestampMayFollow: true),
        TransportPrefix("docker-t", #"(?<ts>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}(?:Z|[+-]\d{2}:\d{2})) "#,
                        clock: .rfc3339, keys: []),
        TransportPrefix("docker-desktop", #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} (?<svc>[A-Za-z0-9][A-Za-z0-9_.-]*) +\| "#,
                        clock: .none, keys: ["svc"]),
        TransportPrefix("compose", #"(?<svc>[A-Za-z0-9][A-Za-z0-9_.-]*) +\| "#,
                        clock: .none, keys: ["svc"], timestampMayFollow: true),
        TransportPrefix("pm2", #"(?:\d{4}-\d{2}-\d{2}-\d{2}:\d{2}:\d{2} )?(?<id>\d+)\|(?<name>[^|\n]*?) *\| "#,
                        clock: .none, keys: ["id"]),
        TransportPrefix("webview", #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \| "#,
                        clock: .none, keys: []),
    ]
}
