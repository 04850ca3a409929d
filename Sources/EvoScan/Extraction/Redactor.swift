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

    struct Needles: OptionSet {
        let rawValue: UInt8
        static let word = Needles(rawValue: 1), url = Needles(rawValue: 2), bearer = Needles(rawValue: 4)
        static let all: Needles = [.word, .url, .bearer]
    }

    public func redact(_ text: String) -> String {
        var bytes = Array(text.utf8)
        let found = needles(in: bytes)
        if found.isEmpty { return text }
        if found.contains(.url) { bytes = replace(Self.urlCredentials, in: bytes, secretGroup: 2) }
        if found.contains(.word) {
            bytes = replace(Self.quotedSecret, in: bytes, secretGroup: 3)
            bytes = replace(Self.bareSecret, in: bytes, secretGroup: 2)
        }
        if found.contains(.bearer) { bytes = replace(Self.bearer, in: bytes, secretGroup: 2) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Bytes that can start a needle (both cases): most bytes of a sample fail this one load.
    static let needleStart: [Bool] = (0..<256).map { c in "apstb:APSTB".utf8.contains(UInt8(c)) }

    /// Which of the words without which a pattern cannot match occur in `bytes`, in either
    /// case: api[_-]key, pass, secret, token (the key/value patterns), `://` (URL
    /// credentials) and bearer. A bare "key" is common in Prisma errors (`_fkey`, "Foreign
    /// key") and unlocks nothing; the URL pattern, whose start is any letter, runs only when
    /// `://` is there. One pass over the bytes with no allocation: a caseless PCRE2
    /// alternation cost 3x as many instructions, every s, t, p and k being a start candidate.
    func needles(in bytes: [UInt8]) -> Needles {
        var found: Needles = []
        bytes.withUnsafeBufferPointer { b in
            @inline(__always) func lower(_ c: UInt8) -> UInt8 { c &- 0x41 < 26 ? c | 0x20 : c }
            @inline(__always) func rest(_ at: Int, _ tail: StaticString) -> Bool {
                guard at + tail.utf8CodeUnitCount <= b.count else { return false }
                for k in 0..<tail.utf8CodeUnitCount where lower(b[at + k]) != tail.utf8Start[k] { return false }
                return true
            }
            for i in b.indices where Self.needleStart[Int(b[i])] {
                switch lower(b[i]) {
                case 0x61 where rest(i + 1, "pikey") || rest(i + 1, "pi_key") || rest(i + 1, "pi-key"),
                     0x70 where rest(i + 1, "ass"),
                     0x73 where rest(i + 1, "ecret"), 0x74 where rest(i + 1, "oken"):
                    found.insert(.word)
                case 0x3A where rest(i + 1, "//"): found.insert(.url)
                case 0x62 where rest(i + 1, "earer"): found.insert(.bearer)
                default: continue
                }
                if found == .all { break }
            }
        }
        return found
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
