/// Removes secrets from any log text evoscan prints or writes (`silent-failures.md` §10):
/// the global API key of `[SERVER]` events, `apikey` headers, proxy and database
/// passwords, tokens, secrets, bearer tokens and credentials in URLs.
public final class Redactor {
    public static let mask = "[REDACTED]"
    private let scratch = RegexScratch()

    /// Credentials in a URL: `scheme://user:password@host`.
    static let urlCredentials = Regex(static: #"\b([a-z][a-z0-9+.-]*://[^\s:/@'"`]+:)([^\s@/'"`]+)@"#, caseless: true)
    /// `key: 'value'`, `"key":"value"`, `key=value`, `"Apikey":["value"]` for secret keys.
    static let quotedSecret = Regex(static: #"((?<![\w-])["']?[\w-]*(?:api[_-]?key|password|passwd|secret|token)["']?\s*[:=]\s*\[?\s*)(["'])((?:(?!\2)[^\n\\]|\\.)*)\2"#, caseless: true)
    static let bareSecret = Regex(static: #"((?<![\w-])[\w-]*(?:api[_-]?key|password|passwd|secret|token)\s*[:=]\s*)([^\s"'`,;&}\]\[][^\s"'`,;&}\]]*)"#, caseless: true)
    static let bearer = Regex(static: #"\b(Bearer\s+)([A-Za-z0-9._~+/=-]{8,})"#, caseless: true)

    public init() {}

    public func redact(_ text: String) -> String {
        var bytes = Array(text.utf8)
        bytes = replace(Self.urlCredentials, in: bytes, secretGroup: 2)
        bytes = replace(Self.quotedSecret, in: bytes, secretGroup: 3)
        bytes = replace(Self.bareSecret, in: bytes, secretGroup: 2)
        bytes = replace(Self.bearer, in: bytes, secretGroup: 2)
        return String(decoding: bytes, as: UTF8.self)
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
