import CPCRE2

/// Removes secrets from any log text evoscan prints or writes (`silent-failures.md` §10):
/// the global API key of `[SERVER]` events, `apikey` headers, proxy and database
/// passwords, tokens, secrets, bearer tokens and credentials in URLs.
public final class Redactor {
    public static let mask = "[REDACTED]"
    private let scratch = RegexScratch()

    /// Credentials in a URL: `scheme://user:password@host`.
    static let urlCredentials = Regex(static: #"\b([a-z][a-z0-9+.-]*://[^\s:/@'"`]+:)([^\s@/'"`]+)@"#, caseless: true)
    /// `key: 'value'`, `"key":"value"`, `key=value`, `"Apikey":["value"]` for secret keys.
    /// Keyword first (`proxyPassword` matches at `Password`): a pattern that starts with a
    /// word class would try every word of every sample.
    static let quotedSecret = Regex(static: #"((?:api[_-]?key|password|passwd|secret|token)["']?\s*[:=]\s*\[?\s*)(["'])((?:(?!\2)[^\n\\]|\\.)*)\2"#, caseless: true)
    static let bareSecret = Regex(static: #"((?:api[_-]?key|password|passwd|secret|token)\s*[:=]\s*)([^\s"'`,;&}\]\[][^\s"'`,;&}\]]*)"#, caseless: true)
    static let bearer = Regex(static: #"\b(Bearer\s+)([A-Za-z0-9._~+/=-]{8,})"#, caseless: true)

    public init() {}

    /// Words without which no pattern below can match (lower case).
    static let needles: [[UInt8]] = ["key", "pass", "secret", "token", "://", "bearer"].map { Array($0.utf8) }

    public func redact(_ text: String) -> String {
        var bytes = Array(text.utf8)
        if !Self.mayHoldSecret(bytes) { return text }
        bytes = replace(Self.urlCredentials, in: bytes, secretGroup: 2)
        bytes = replace(Self.quotedSecret, in: bytes, secretGroup: 3)
        bytes = replace(Self.bareSecret, in: bytes, secretGroup: 2)
        bytes = replace(Self.bearer, in: bytes, secretGroup: 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A cheap case-insensitive look for the needles, so most samples skip the patterns.
    static func mayHoldSecret(_ bytes: [UInt8]) -> Bool {
        let lower = bytes.map { $0 &- 0x41 < 26 ? $0 | 0x20 : $0 }
        return lower.withUnsafeBytes { b in
            needles.contains { n in n.withUnsafeBytes { cpcre2_memmem(b.baseAddress!, b.count, $0.baseAddress!, n.count) != nil } }
        }
    }

    /// Replaces group `secretGroup` of every match with the mask.
    private func replace(_ regex: Regex, in bytes: [UInt8], secretGroup: Int) -> [UInt8] {
        var out: [UInt8] = []
        var copied = 0
        bytes.withUnsafeBytes { b in
            scratch.forEachMatch(regex, in: b) { m in
                guard let r = m.range(secretGroup), !r.isEmpty else { return true }
                if Bytes.string(b, r) == Self.mask { return true }
                out.append(contentsOf: b[copied..<r.lowerBound])
                out.append(contentsOf: Self.mask.utf8)
                copied = r.upperBound
                return true
            }
            if copied > 0 { out.append(contentsOf: b[copied...]) }
        }
        return copied == 0 ? bytes : out
    }
}
