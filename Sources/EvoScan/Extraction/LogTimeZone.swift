import Foundation

/// The zone of Evolution's zone-less header times (`evolution-logs.md` §10).
public enum LogTimeZone: Sendable, Equatable {
    case fixed(seconds: Int, name: String)
    case named(TimeZone)

    /// Every official image sets `TZ=America/Sao_Paulo`: UTC−03:00, no DST since 2019.
    public static let imageDefault = LogTimeZone.fixed(seconds: -3 * 3600, name: "America/Sao_Paulo")

    /// An IANA name (`America/Sao_Paulo`, `UTC`) or an offset (`-03:00`, `+0530`, `Z`).
    public init?(_ text: String) {
        if text == "Z" || text == "UTC" || text == "utc" { self = .fixed(seconds: 0, name: "UTC"); return }
        let bytes = Array(text.utf8)
        if let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            let digits = bytes.dropFirst().filter { $0 != UInt8(ascii: ":") }
            guard digits.count == 4 || digits.count == 2, digits.allSatisfy(Bytes.isDigit) else { return nil }
            let value = digits.reduce(0) { $0 * 10 + Int($1 - 48) }
            let h = digits.count == 4 ? value / 100 : value
            let m = digits.count == 4 ? value % 100 : 0
            guard h <= 14, m < 60 else { return nil }
            let sign = first == UInt8(ascii: "-") ? -1 : 1
            self = .fixed(seconds: sign * (h * 3600 + m * 60), name: LogTimeZone.offsetName(sign * (h * 3600 + m * 60)))
            return
        }
        guard let tz = TimeZone(identifier: text) else { return nil }
        self = .named(tz)
    }

    public var name: String {
        switch self {
        case .fixed(_, let name): return name
        case .named(let tz): return tz.identifier
        }
    }

    /// The UTC offset in force at a wall time (seconds east of UTC).
    public func offset(atWall wall: Int64) -> Int {
        switch self {
        case .fixed(let seconds, _): return seconds
        case .named(let tz):
            let guess = tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall)))
            return tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall - Int64(guess))))
        }
    }

    public func utc(fromWall wall: Int64) -> Int64 { wall - Int64(offset(atWall: wall)) }

    /// The UTC offset in force at an instant.
    public func offset(atUTC t: Int64) -> Int {
        switch self {
        case .fixed(let seconds, _): return seconds
        case .named(let tz): return tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))
        }
    }

    /// `2025-06-10 14:07:31 -03:00`: an instant as the log's own clock shows it.
    public func local(_ t: Instant) -> String {
        let off = offset(atUTC: t.seconds)
        let (y, m, d, hh, mm, ss) = CivilTime.fields(t.seconds + Int64(off))
        return CivilTime.format(y, m, d, hh, mm, ss).replacingOccurrences(of: "T", with: " ") + " " + Self.offsetName(off)
    }

    public static func offsetName(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        return "\(sign)\(CivilTime.pad(a / 3600, 2)):\(CivilTime.pad(a / 60 % 60, 2))"
    }
}

/// How Evolution wall times become UTC, per input: `--log-tz`, else inferred from a UTC
/// transport timestamp on the same line (rounded to 15 minutes), else the image default.
public final class ZoneResolver {
    public enum Source: String, Sendable, Codable { case flag, inferred, assumed }

    public let flag: LogTimeZone?
    /// The offset last inferred in the current input.
    private var inferred: Int?
    public private(set) var used: [String: Source] = [:]

    public init(flag: LogTimeZone?) { self.flag = flag }

    public func beginInput() { inferred = nil }

    /// Adds the zones another resolver used (parallel workers).
    public func absorb(_ other: [String: Source]) {
        for (k, v) in other where used[k] == nil { used[k] = v }
    }

    /// UTC seconds of a header wall time; `transportMicros` is the line's UTC time if any.
    public func utc(wall: Int64, transportMicros: Int64?) -> Int64 {
        if let flag {
            note(.flag, offset: nil) { flag.name }
            return flag.utc(fromWall: wall)
        }
        if let t = transportMicros {
            let diff = wall - t / 1_000_000
            let offset = Int((Double(diff) / 900).rounded()) * 900
            inferred = offset
            note(.inferred, offset: offset) { LogTimeZone.offsetName(offset) }
            return wall - Int64(offset)
        }
        if let offset = inferred {
            note(.inferred, offset: offset) { LogTimeZone.offsetName(offset) }
            return wall - Int64(offset)
        }
        note(.assumed, offset: nil) { LogTimeZone.imageDefault.name }
        return LogTimeZone.imageDefault.utc(fromWall: wall)
    }

    /// What `used` got last: nearly every time repeats it, and naming the zone and storing
    /// it under that name for every failure cost more than converting the time.
    private var lastNoted: (source: Source, offset: Int?)?

    private func note(_ source: Source, offset: Int?, name: () -> String) {
        if let last = lastNoted, last.source == source, last.offset == offset { return }
        lastNoted = (source, offset)
        used[name()] = source
    }
}
