/// What to do about a failure (`silent-failures.md` §9), as data (`[[remediation]]` in the
/// built-in config and the user's): the first matching row wins, so specific rows come
/// before general ones, and a config's rows come before the built-in ones.
public struct RemediationCatalog: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        /// nil: any code; but a row without a code matches only failures without one
        /// (a validation error has no code).
        public let code: String?
        public let model: String?
        public let versions: VersionRange
        public let hint: String

        public init(code: String?, model: String?, versions: VersionRange, hint: String) {
            (self.code, self.model, self.versions, self.hint) = (code, model, versions, hint)
        }

        func matches(code: String?, model: String?) -> Bool {
            if self.code != code { return false }
            if let m = self.model, m != model { return false }
            return !versions.isNone
        }
    }

    public let rows: [Row]

    public init(rows: [Row]) { self.rows = rows }

    /// The built-in rows (`BuiltInConfig`).
    public static var builtIn: RemediationCatalog { Knowledge.builtIn.remediation }

    /// A hint for a failure, or nil when the catalog has nothing specific. With an unknown
    /// version, the hint of each version range is given in turn, up to the first row for
    /// every version ("if Evolution <2.1.0: …; if >=2.1.0: …").
    public func hint(code: String?, model: String?, version: EvolutionVersion?) -> String? {
        let matching = rows.filter { $0.matches(code: code, model: model) }
        if let version {
            return matching.first { $0.versions.contains(version) }?.hint
        }
        guard let first = matching.first else { return nil }
        guard !first.versions.isAll else { return first.hint }
        var parts: [String] = []
        var said: [VersionRange] = []
        for row in matching where !said.contains(row.versions) {
            if row.versions.isAll {
                parts.append("otherwise: " + row.hint)
                break
            }
            said.append(row.versions)
            parts.append("if Evolution \(row.versions): " + row.hint)
        }
        return parts.joined(separator: " ")
    }

    /// Said of every silent failure: the UI reported success, the data was not stored.
    public static let silentNote = "the client was told the save succeeded, but nothing was stored; verify with the matching GET /…/find/{instance}."
}
