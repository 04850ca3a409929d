/// Which Evolution endpoints answer 2xx while their database write can still fail, and how
/// that write shows in the log (`silent-failures.md` §2–3). One row per (endpoint, write):
/// a new Evolution release or a fork is a change of rows (`[[silent-endpoint]]` in the
/// built-in config or the user's), nowhere else.
public struct WriteMapRow: Sendable, Equatable {
    /// `POST /proxy/set`: the request's method and path, without the instance segment.
    public var endpoint: String { template.key }
    public let template: EndpointTemplate
    /// The versions in which the endpoint answers before the write finishes.
    public let versions: VersionRange
    public let model: String
    public let index: String
    /// Stack method in tsup builds, code-frame method in tsc builds.
    public let method: String

    public init(template: EndpointTemplate, versions: VersionRange, model: String, index: String, method: String) {
        (self.template, self.versions, self.model, self.index, self.method) = (template, versions, model, index, method)
    }

    /// Silent in `version`; an unknown version (no-colour layout) takes the union.
    public func isSilent(in version: EvolutionVersion?) -> Bool { versions.contains(version) }
}

public struct EvolutionWriteMap: Sendable, Equatable {
    public let rows: [WriteMapRow]

    public init(rows: [WriteMapRow]) { self.rows = rows }

    /// The built-in rows (`BuiltInConfig`).
    public static var builtIn: EvolutionWriteMap { Knowledge.builtIn.writeMap }

    /// The rows a failure's write matches (by model, index or method) that are silent in
    /// its version.
    public func silentRows(for facts: PrismaFacts, version: EvolutionVersion?) -> [WriteMapRow] {
        rows.filter { row in
            let writes = facts.model == row.model || facts.method == row.method || facts.constraint == row.index
            return writes && row.isSilent(in: version)
        }
    }
}

/// Versions as the config writes them: `all`, `none`, `<2.1.0`, `>=2.3.2`, or both bounds
/// (`>=2.1.0 <2.3.0`). The lower bound is inclusive, the upper one exclusive.
public struct VersionRange: Sendable, Equatable, CustomStringConvertible {
    public let from: EvolutionVersion?
    public let until: EvolutionVersion?
    /// `none`: a row that a fork's config switches off.
    public let isNone: Bool

    public static let all = VersionRange(from: nil, until: nil, isNone: false)

    private init(from: EvolutionVersion?, until: EvolutionVersion?, isNone: Bool) {
        (self.from, self.until, self.isNone) = (from, until, isNone)
    }

    public init?(_ text: String) {
        let words = text.split(separator: " ")
        if words == ["all"] { self = .all; return }
        if words == ["none"] { self.init(from: nil, until: nil, isNone: true); return }
        var from: EvolutionVersion?, until: EvolutionVersion?
        for w in words {
            if w.hasPrefix(">="), from == nil, let v = EvolutionVersion(String(w.dropFirst(2))) {
                from = v
            } else if w.hasPrefix("<"), !w.hasPrefix("<="), until == nil, let v = EvolutionVersion(String(w.dropFirst())) {
                until = v
            } else {
                return nil
            }
        }
        guard from != nil || until != nil else { return nil }
        if let from, let until, !(from < until) { return nil }
        self.init(from: from, until: until, isNone: false)
    }

    public var isAll: Bool { !isNone && from == nil && until == nil }

    /// Whether `version` is in the range; an unknown version is in every range but `none`.
    public func contains(_ version: EvolutionVersion?) -> Bool {
        if isNone { return false }
        guard let version else { return true }
        if let from, version < from { return false }
        if let until, !(version < until) { return false }
        return true
    }

    /// The config's own text: `>=2.1.0 <2.3.0`.
    public var description: String {
        if isNone { return "none" }
        if isAll { return "all" }
        return [from.map { ">=\($0)" }, until.map { "<\($0)" }].compactMap { $0 }.joined(separator: " ")
    }

    /// For people: `before 2.1.0`, `from 2.3.2 on`, `in every version`.
    public var prose: String {
        switch (isNone, from, until) {
        case (true, _, _): return "in no version"
        case (_, nil, nil): return "in every version"
        case (_, nil, let u?): return "before \(u)"
        case (_, let f?, nil): return "from \(f) on"
        case (_, let f?, let u?): return "from \(f), before \(u)"
        }
    }
}

/// `2.0.4-rc`, `2.4.0-rc2`: compared by major.minor.patch (pre-release tags sort with
/// their release, which is what the version ranges above need).
public struct EvolutionVersion: Comparable, Sendable, CustomStringConvertible {
    public let major: Int, minor: Int, patch: Int
    public let text: String

    public init?(_ text: String) {
        if let ascii = Self.asciiNumbers(text) {
            guard let (a, b, c) = ascii else { return nil }
            (major, minor, patch) = (a, b, c)
            self.text = text
            return
        }
        let core = text.split(whereSeparator: { $0 == "-" || $0 == "+" }).first ?? ""
        let parts = core.split(separator: ".").map { Int($0) }
        guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2] else { return nil }
        (major, minor, patch) = (a, b, c)
        self.text = text
    }

    /// The split above on bytes, for ASCII text (nil otherwise): the first non-empty piece
    /// between `-`/`+`, its non-empty pieces between `.`, each read as `Int` does (digits,
    /// no overflow; no sign can be left). Two Character splits cost 6 k instructions per
    /// silent failure.
    static func asciiNumbers(_ text: String) -> (Int, Int, Int)?? {
        let u = text.utf8
        guard u.allSatisfy({ $0 < 0x80 }) else { return nil }
        var numbers: [Int?] = []
        var value: Int? = 0
        var length = 0
        var started = false
        for c in u {
            if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                if started { break } else { continue }
            }
            started = true
            if c == UInt8(ascii: ".") {
                if length > 0 { numbers.append(value) }
                value = 0
                length = 0
                continue
            }
            length += 1
            let d = Int(c) - 0x30
            if let v = value, (0...9).contains(d) {
                let (m, o1) = v.multipliedReportingOverflow(by: 10)
                let (r, o2) = m.addingReportingOverflow(d)
                value = o1 || o2 ? nil : r
            } else {
                value = nil
            }
        }
        if length > 0 { numbers.append(value) }
        guard numbers.count == 3, let a = numbers[0], let b = numbers[1], let c = numbers[2] else { return .some(nil) }
        return (a, b, c)
    }

    public var description: String { text }

    public static func < (a: EvolutionVersion, b: EvolutionVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }

    public static func == (a: EvolutionVersion, b: EvolutionVersion) -> Bool {
        (a.major, a.minor, a.patch) == (b.major, b.minor, b.patch)
    }
}
