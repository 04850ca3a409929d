import Foundation

/// `--since` / `--until`: the part of the log a report covers, applied to record times
/// after zone alignment, to failures and evidence alike.
public struct TimeWindow: Sendable, Equatable {
    public var since: Instant?
    public var until: Instant?

    public init(since: Instant? = nil, until: Instant? = nil) {
        self.since = since
        self.until = until
    }

    public var isUnbounded: Bool { since == nil && until == nil }

    /// `since` is inclusive, `until` exclusive (so `--since yesterday --until today` is
    /// exactly yesterday).
    public func contains(_ t: Instant) -> Bool {
        if let since, t < since { return false }
        if let until, !(t < until) { return false }
        return true
    }

    /// The same window widened by `seconds` on both sides (evidence near the edges).
    public func widened(by seconds: Int64) -> TimeWindow {
        TimeWindow(since: since?.adding(seconds: -seconds), until: until?.adding(seconds: seconds))
    }

    public struct ParseError: Error, CustomStringConvertible {
        public let text: String
        public var description: String {
            "cannot read the time '\(text)': use ISO 8601 (2025-06-10T14:00:00-03:00, 2025-06-10 14:00, 2025-06-10), today, yesterday, now, or a relative time such as -24h, -30m, -7d"
        }
    }

    /// Reads a bound. Zone-less times are read in `zone` (the machine's local zone unless
    /// the caller passes another), as journalctl does.
    public static func parseBound(_ text: String, now: Instant, zone: TimeZone = .current) throws -> Instant {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t {
        case "now": return now
        case "today": return startOfDay(now, zone: zone, addingDays: 0)
        case "yesterday": return startOfDay(now, zone: zone, addingDays: -1)
        case "tomorrow": return startOfDay(now, zone: zone, addingDays: 1)
        default: break
        }
        if let relative = parseRelative(t) { return now.adding(seconds: relative) }
        if let zoned = Timestamps.parseRFC3339(t) { return zoned }
        if let wall = parseWall(t) {
            let offset = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall)))
            let utc = wall - Int64(offset)
            let exact = zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc)))
            return Instant(seconds: wall - Int64(exact))
        }
        throw ParseError(text: text)
    }

    /// `-24h`, `-30m`, `-7d`, `-90s`, `+2h`, `-1w` → seconds.
    static func parseRelative(_ t: String) -> Int64? {
        guard let sign = t.first, sign == "-" || sign == "+", t.count >= 3 else { return nil }
        let unit = t.last!
        guard let n = Int64(t.dropFirst().dropLast()), n >= 0 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86_400
        case "w": scale = 604_800
        default: return nil
        }
        return (sign == "-" ? -1 : 1) * n * scale
    }

    /// `2025-06-10`, `2025-06-10 14:07`, `2025-06-10T14:07:31` → wall seconds (as if UTC).
    static func parseWall(_ t: String) -> Int64? {
        let b = Array(t.utf8)
        func num(_ r: Range<Int>) -> Int? {
            guard r.upperBound <= b.count, b[r].allSatisfy(Bytes.isDigit) else { return nil }
            return b[r].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        guard b.count >= 10, let y = num(0..<4), b[4] == 0x2D, let mo = num(5..<7), b[7] == 0x2D, let d = num(8..<10),
              (1...12).contains(mo), (1...31).contains(d) else { return nil }
        if b.count == 10 { return CivilTime.epochSeconds(y, mo, d, 0, 0, 0) }
        guard b.count >= 16, b[10] == 0x54 || b[10] == 0x20, let h = num(11..<13), b[13] == 0x3A, let mi = num(14..<16),
              h < 24, mi < 60 else { return nil }
        var s = 0
        if b.count >= 19, b[16] == 0x3A, let sec = num(17..<19), sec < 61 { s = sec } else if b.count != 16 { return nil }
        if b.count > 19 { return nil }
        return CivilTime.epochSeconds(y, mo, d, h, mi, s)
    }

    static func startOfDay(_ now: Instant, zone: TimeZone, addingDays days: Int) -> Instant {
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(now.seconds))))
        let localDay = (now.seconds + offset).floorDiv(86_400) + Int64(days)
        let wall = localDay * 86_400
        let exact = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall - offset))))
        return Instant(seconds: wall - exact)
    }
}

extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 { self >= 0 ? self / d : (self - d + 1) / d }
}
