/// The fields of an Evolution logger header line (`evolution-logs.md` §2–3, §11).
///
/// The five strings live in one copy-on-write box (`CopyOnWrite`), the numbers inline: the
/// header cache hands the same line's fields to every record under it with only the date
/// changed.
public struct EvolutionHeader: Sendable, Equatable {
    private struct Strings: Sendable, Equatable {
        var instance: String?
        var version: String?
        var level: String
        var context: String
        var valueType: String
    }

    private var strings: CopyOnWrite<Strings>

    public var lite = false
    public var pid: Int
    /// The header's wall time read as if it were UTC (seconds); the zone is applied later.
    public var wallSeconds: Int64
    /// Where the 24-byte date starts in the (ANSI-free) line: the facts cache reads a
    /// header's inertness by everything but its date.
    var dateOffset: Int? = nil

    public init(lite: Bool = false, instance: String?, version: String?, pid: Int, wallSeconds: Int64, level: String, context: String,
                valueType: String, dateOffset: Int? = nil) {
        strings = CopyOnWrite(Strings(instance: instance, version: version, level: level, context: context, valueType: valueType))
        (self.lite, self.pid, self.wallSeconds, self.dateOffset) = (lite, pid, wallSeconds, dateOffset)
    }

    public var instance: String? {
        get { strings.value.instance }
        set { strings.value.instance = newValue }
    }
    /// `2.2.3` (colour layout only).
    public var version: String? {
        get { strings.value.version }
        set { strings.value.version = newValue }
    }
    public var level: String {
        get { strings.value.level }
        set { strings.value.level = newValue }
    }
    public var context: String {
        get { strings.value.context }
        set { strings.value.context = newValue }
    }
    public var valueType: String {
        get { strings.value.valueType }
        set { strings.value.valueType = newValue }
    }

    /// The colour layout prints a version; the no-colour one never does.
    public var colourLayout: Bool { version != nil }
}

public enum EvolutionHeaderParser {
    /// HEADER from the reference, for both layouts after ANSI removal. Spaces only between
    /// fields, so it never crosses lines.
    static let header = Regex(static: #"^\[?Evolution API(?<lite> Lite)?\](?<g1> +)(?:\[(?<instance>[^\]\n]*)\] +)?(?:v(?<version>\d+\.\d+\.\d+(?:[-.][0-9A-Za-z.]+)?) +)?(?<pid>\d+) +- +(?<date>(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{2} \d{4} \d{2}:\d{2}:\d{2}) +(?<level>LOG|INFO|WARN|ERROR|DEBUG|VERBOSE|DARK) +\[(?<context>[^\]\n]+)\] +\[(?<vtype>string|object|number|boolean|undefined|bigint|symbol|function)\](?: (?<value>[^\n]*))?$"#, anchored: true)

    /// Parses the header at the start of `text` (ANSI already removed).
    public static func parse(_ text: UnsafeRawBufferPointer, scratch: RegexScratch) -> EvolutionHeader? {
        guard let m = scratch.firstMatch(header, in: text) else { return nil }
        let n = groups
        func g(_ group: Int) -> String? { m.range(group).map { Bytes.string(text, $0) } }
        guard let dateRange = m.range(n.date), let pid = g(n.pid).flatMap({ Int($0) }),
              let wall = parseDate(text, dateRange), let level = g(n.level), let context = g(n.context),
              let vtype = g(n.vtype) else { return nil }
        return EvolutionHeader(lite: m.range(n.lite) != nil, instance: g(n.instance), version: g(n.version), pid: pid,
                               wallSeconds: wall, level: level, context: context, valueType: vtype, dateOffset: dateRange.lowerBound)
    }

    /// Group numbers looked up once: by name, each header cost eight String-keyed lookups.
    static let groups = (lite: header.group("lite"), instance: header.group("instance"), version: header.group("version"),
                         pid: header.group("pid"), date: header.group("date"), level: header.group("level"),
                         context: header.group("context"), vtype: header.group("vtype"))

    /// `Tue Jun 10 2025 14:07:31`.
    static let dateLength = 24

    /// Does `b[s..<s+24]` match the pattern's date (`Www Mmm dd yyyy hh:mm:ss`, the names
    /// in English)? Then the rest of a known header line decides the match (`HeaderCache`).
    static func isDate(_ b: UnsafeRawBufferPointer, _ s: Int) -> Bool {
        guard s >= 0, s + dateLength <= b.count, CivilTime.month(b, at: s + 4) != nil else { return false }
        let day = (UInt32(b[s]) << 16) | (UInt32(b[s + 1]) << 8) | UInt32(b[s + 2])
        switch day {
        case 0x4D6F6E, 0x547565, 0x576564, 0x546875, 0x467269, 0x536174, 0x53756E: break   // Mon … Sun
        default: return false
        }
        guard b[s + 3] == 0x20, b[s + 7] == 0x20, b[s + 10] == 0x20, b[s + 15] == 0x20, b[s + 18] == 0x3A, b[s + 21] == 0x3A else {
            return false
        }
        @inline(__always) func digits(_ from: Int, _ count: Int) -> Bool {
            for i in (s + from)..<(s + from + count) where !Bytes.isDigit(b[i]) { return false }
            return true
        }
        return digits(8, 2) && digits(11, 4) && digits(16, 2) && digits(19, 2) && digits(22, 2)
    }

    /// `Tue Jun 10 2025 14:07:31` → seconds since the epoch, read as UTC.
    static func parseDate(_ b: UnsafeRawBufferPointer, _ r: Range<Int>) -> Int64? {
        let s = r.lowerBound
        guard r.count == dateLength, let month = CivilTime.month(b, at: s + 4),
              let day = Bytes.parseInt(b, (s + 8)..<(s + 10)), let year = Bytes.parseInt(b, (s + 11)..<(s + 15)),
              let h = Bytes.parseInt(b, (s + 16)..<(s + 18)), let mi = Bytes.parseInt(b, (s + 19)..<(s + 21)),
              let sec = Bytes.parseInt(b, (s + 22)..<(s + 24)) else { return nil }
        return CivilTime.epochSeconds(year, month, day, h, mi, sec)
    }
}
