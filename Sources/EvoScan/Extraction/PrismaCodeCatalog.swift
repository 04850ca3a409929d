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
}
