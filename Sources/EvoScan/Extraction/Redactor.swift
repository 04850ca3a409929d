import CPCRE2

/// One way a secret shows in a log (`[[redaction]]` in the built-in config and the user's):
/// a PCRE2 pattern whose `secret` group (or, without one, whole match) is masked, and the
/// words without which it cannot match.
public struct RedactionRule: Sendable {
    public let name: String
    public let regex: Regex
    /// The capture masked: the `secret` group, or 0 (the whole match).
    public let secretGroup: Int
    /// Lower-case words, one of which must occur (in either case) for the pattern to be
    /// tried; empty: always tried.
    public let needles: [[UInt8]]

    public init(name: String, regex: Regex, needles: [String]) {
        self.name = name
        self.regex = regex
        secretGroup = regex.groupIfPresent("secret") ?? 0
        self.needles = needles.map { Array($0.lowercased().utf8) }
    }
}

/// Removes secrets from any log text evoscan prints or writes (`silent-failures.md` §10):
/// the global API key of `[SERVER]` events, `apikey` headers, proxy and database
/// passwords, tokens, secrets, bearer tokens and credentials in URLs (the built-in rules),
/// and whatever a config adds.
public final class Redactor {
    public static let mask = "[REDACTED]"
    /// At most this many rules: which ones are unlocked is one word of bits.
    public static let maxRules = 64
    private let scratch = RegexScratch()
    private let rules: [RedactionRule]
    /// For each byte, 1 + the index in `starts` of the needles that start with it (in
    /// either case), or 0: most bytes of a sample fail this one load.
    private let startGroup: [UInt8]
    private let starts: [[(tail: [UInt8], rules: UInt64)]]
    /// Rules tried whatever the text holds.
    private let always: UInt64

    public convenience init() { self.init(rules: Knowledge.builtIn.redactions) }

    public init(rules: [RedactionRule]) {
        self.rules = Array(rules.prefix(Self.maxRules))
        var starts = [[(tail: [UInt8], rules: UInt64)]](repeating: [], count: 256)
        var always: UInt64 = 0
        for (i, rule) in self.rules.enumerated() {
            let bit = UInt64(1) << UInt64(i)
            if rule.needles.isEmpty || rule.needles.contains(where: \.isEmpty) { always |= bit; continue }
            for needle in rule.needles {
                let first = needle[0]
                let upper = first &- 0x61 < 26 ? first & ~0x20 : first
                for byte in Set([first, upper]) {
                    if let k = starts[Int(byte)].firstIndex(where: { $0.tail == Array(needle.dropFirst()) }) {
                        starts[Int(byte)][k].rules |= bit
                    } else {
                        starts[Int(byte)].append((Array(needle.dropFirst()), bit))
                    }
                }
            }
        }
        var startGroup = [UInt8](repeating: 0, count: 256)
        var groups: [[(tail: [UInt8], rules: UInt64)]] = []
        for byte in 0..<256 where !starts[byte].isEmpty && groups.count < 255 {
            groups.append(starts[byte])
            startGroup[byte] = UInt8(groups.count)
        }
        (self.startGroup, self.starts, self.always) = (startGroup, groups, always)
    }

    public func redact(_ text: String) -> String {
        var bytes = Array(text.utf8)
        let unlocked = needles(in: bytes)
        if unlocked == 0 { return text }
        for (i, rule) in rules.enumerated() where unlocked & (UInt64(1) << UInt64(i)) != 0 {
            bytes = replace(rule.regex, in: bytes, secretGroup: rule.secretGroup)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Which rules' needles occur in `bytes`, in either case, as bits (with the rules that
    /// have none). One pass over the bytes with no allocation: a caseless PCRE2 alternation
    /// cost 3x as many instructions, every s, t, p and k being a start candidate. A bare
    /// "key" is common in Prisma errors (`_fkey`, "Foreign key"), so no built-in rule
    /// waits on it; the URL rule, whose pattern starts at any letter, waits on `://`.
    func needles(in bytes: [UInt8]) -> UInt64 {
        let all: UInt64 = rules.count == 64 ? ~0 : (UInt64(1) << UInt64(rules.count)) - 1
        var found = always
        guard found != all else { return found }
        startGroup.withUnsafeBufferPointer { group in bytes.withUnsafeBufferPointer { b in
            @inline(__always) func lower(_ c: UInt8) -> UInt8 { c &- 0x41 < 26 ? c | 0x20 : c }
            for i in b.indices {
                let g = group[Int(b[i])]
                if g == 0 { continue }
                for (tail, bits) in starts[Int(g) - 1] where found & bits != bits && i + 1 + tail.count <= b.count {
                    var same = true
                    for k in 0..<tail.count where lower(b[i + 1 + k]) != tail[k] {
                        same = false
                        break
                    }
                    if same { found |= bits }
                }
                if found == all { break }
            }
        } }
        return found
    }

    /// Replaces group `secretGroup` of every match with the mask.
    private func replace(_ regex: Regex, in bytes: [UInt8], secretGroup: Int) -> [UInt8] {
        var out: [UInt8] = []
        var copied = 0
        bytes.withUnsafeBytes { b in
            scratch.forEachMatch(regex, in: b) { m in
                guard let r = m.range(secretGroup), !r.isEmpty, r.lowerBound >= copied else { return true }
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
