#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Prisma error code catalog (P1000–P6010): what each code means and the message
/// templates that identify it when a log shows the message but not the code.
public enum PrismaCodeCatalog {
    public struct Entry: Sendable {
        public let code: String
        public let category: String
        public let title: String
        public let template: String
        public let metaKeys: String
        /// PCRE2 signatures of the message templates (generated).
        let signatures: [String]
    }

    public static func entry(_ code: String) -> Entry? { byCode[code] }

    static let byCode: [String: Entry] = Dictionary(entries.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })

    /// One alternation over every signature, each wrapped in a numbered group that maps
    /// back to its code. Runs only on errors whose code is not printed.
    static let combined: (regex: Regex, codes: [String]) = {
        var parts: [String] = []
        var codes: [String] = []
        for entry in entries {
            for sig in entry.signatures {
                parts.append("(" + sig + ")")
                codes.append(entry.code)
            }
        }
        return (Regex(static: parts.joined(separator: "|")), codes)
    }()

    /// The code whose template matches text in `subject`, if any.
    static func code(matching subject: UnsafeRawBufferPointer, scratch: RegexScratch) -> String? {
        let (regex, codes) = combined
        guard let m = scratch.firstMatch(regex, in: subject) else { return nil }
        for (i, code) in codes.enumerated() where m.range(i + 1) != nil { return code }
        return nil
    }

    /// Can a signature match in `text`? False only when no signature's literal start
    /// occurs in it: a header line is told apart in one pass instead of the alternation
    /// trying all 117 signatures at every byte.
    static func mayMatch(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let starts = literalStarts, text.count > 0 else { return literalStarts == nil }
        return starts.single.withUnsafeBufferPointer { single in
            starts.pair.withUnsafeBufferPointer { pair in
                let last = text.count - 1
                for i in 0..<last {
                    let b = text[i], key = Int(b) << 8 | Int(text[i + 1])
                    if single[Int(b)] { return true }
                    guard pair[key] else { continue }
                    for lit in starts.byPair[UInt16(key), default: []] where lit.count <= text.count - i {
                        if lit.withUnsafeBytes({ memcmp($0.baseAddress!, text.baseAddress! + i, lit.count) }) == 0 { return true }
                    }
                }
                return single[Int(text[last])]
            }
        }
    }

    /// The literal starts of all signatures, by their first two bytes (one-byte starts
    /// apart); nil when some signature has no literal start.
    static let literalStarts: (single: [Bool], pair: [Bool], byPair: [UInt16: [[UInt8]]])? = {
        var single = [Bool](repeating: false, count: 256)
        var pair = [Bool](repeating: false, count: 65536)
        var byPair: [UInt16: [[UInt8]]] = [:]
        for sig in entries.flatMap(\.signatures) {
            guard let lit = literalStart(sig) else { return nil }
            if lit.count == 1 { single[Int(lit[0])] = true; continue }
            let key = UInt16(lit[0]) << 8 | UInt16(lit[1])
            pair[Int(key)] = true
            byPair[key, default: []].append(lit)
        }
        return (single, pair, byPair)
    }()

    /// The text every match of `pattern` starts with: its leading literal bytes (escaped
    /// punctuation unescaped), up to the first metacharacter, escape class or quantified
    /// byte. Nil when it has none or holds an alternation.
    static func literalStart(_ pattern: String) -> [UInt8]? {
        let p = Array(pattern.utf8)
        var i = 0
        while i < p.count {
            if p[i] == UInt8(ascii: "|") { return nil }
            i += p[i] == UInt8(ascii: "\\") ? 2 : 1
        }
        var out: [UInt8] = []
        i = 0
        while i < p.count {
            var c = p[i]
            if c == UInt8(ascii: "\\") {
                guard i + 1 < p.count, !isAlnum(p[i + 1]) else { break }
                c = p[i + 1]
                i += 2
            } else if "^$.()[]{}*+?".utf8.contains(c) {
                break
            } else {
                i += 1
            }
            if i < p.count, "?*{".utf8.contains(p[i]) { break }
            out.append(c)
            if i < p.count, p[i] == UInt8(ascii: "+") { break }
        }
        return out.isEmpty ? nil : out
    }

    private static func isAlnum(_ c: UInt8) -> Bool { (c | 0x20) &- 0x61 < 26 || c &- 0x30 < 10 }
}
