/// Instants as microseconds since the Unix epoch (UTC), with civil-date arithmetic that
/// needs no Foundation on the hot path.
public struct Instant: Comparable, Hashable, Sendable {
    public var micros: Int64
    public init(micros: Int64) { self.micros = micros }
    public init(seconds: Int64) { self.micros = seconds * 1_000_000 }
    public var seconds: Int64 { micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000 }
    public static func < (a: Instant, b: Instant) -> Bool { a.micros < b.micros }

    public func adding(seconds: Int64) -> Instant { Instant(micros: micros + seconds * 1_000_000) }

    /// `2025-06-10T17:07:31Z` (whole seconds, truncated).
    public var iso8601: String {
        let (y, m, d, hh, mm, ss) = CivilTime.fields(seconds)
        return CivilTime.utc(y, m, d, hh, mm, ss, withSeconds: true) ?? CivilTime.format(y, m, d, hh, mm, ss) + "Z"
    }

    /// `2025-06-10T17:07Z`: the minute of the instant.
    public var iso8601Minute: String {
        let (y, m, d, hh, mm, ss) = CivilTime.fields(seconds)
        return CivilTime.utc(y, m, d, hh, mm, ss, withSeconds: false) ?? String(iso8601.prefix(16)) + "Z"
    }

    /// `2025-06-10T17:07:31.123456Z`.
    public var iso8601Micros: String {
        let (y, m, d, hh, mm, ss) = CivilTime.fields(seconds)
        let frac = Int(micros - seconds * 1_000_000)
        let f = String(frac)
        return CivilTime.format(y, m, d, hh, mm, ss) + "." + String(repeating: "0", count: 6 - f.count) + f + "Z"
    }
}

/// Proleptic Gregorian calendar conversions (Howard Hinnant's days-from-civil algorithm).
public enum CivilTime {
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int64 {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146_097 + doe - 719_468)
    }

    public static func civilFromDays(_ z0: Int64) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// Seconds since the epoch of a wall-clock time read as UTC.
    public static func epochSeconds(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) -> Int64 {
        daysFromCivil(y, mo, d) * 86_400 + Int64(h * 3600 + mi * 60 + s)
    }

    public static func fields(_ seconds: Int64) -> (Int, Int, Int, Int, Int, Int) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rem = Int(seconds - days * 86_400)
        let (y, m, d) = civilFromDays(days)
        return (y, m, d, rem / 3600, rem / 60 % 60, rem % 60)
    }

    static func pad(_ v: Int, _ w: Int) -> String {
        let s = String(v)
        return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
    }

    public static func format(_ y: Int, _ m: Int, _ d: Int, _ hh: Int, _ mm: Int, _ ss: Int) -> String {
        "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(hh, 2)):\(pad(mm, 2)):\(pad(ss, 2))"
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` (or without `:SS`) written as bytes, for years 0–9999 (nil
    /// otherwise): six padded numbers interpolated into a String cost 8 k instructions per
    /// time, and reports print thousands of per-minute keys.
    static func utc(_ y: Int, _ m: Int, _ d: Int, _ hh: Int, _ mm: Int, _ ss: Int, withSeconds: Bool) -> String? {
        guard (0...9999).contains(y), (0...99).contains(m), (0...99).contains(d), (0...99).contains(hh),
              (0...99).contains(mm), (0...99).contains(ss) else { return nil }
        let count = withSeconds ? 20 : 17
        return String(unsafeUninitializedCapacity: count) { b in
            putUTC(y, m, d, hh, mm, ss, withSeconds: withSeconds, into: b)
            return count
        }
    }

    /// `YYYY-MM-DDTHH:MMZ` of `seconds` appended to `out` (years 0–9999; the String form
    /// otherwise), for reports that write thousands of minute keys straight to bytes.
    static func appendUTCMinute(_ seconds: Int64, to out: inout [UInt8]) {
        let (y, m, d, hh, mm, ss) = fields(seconds)
        guard (0...9999).contains(y) else { out += Instant(seconds: seconds).iso8601Minute.utf8; return }
        let at = out.count
        out += repeatElement(0, count: 17)
        out.withUnsafeMutableBufferPointer { b in
            putUTC(y, m, d, hh, mm, ss, withSeconds: false, into: UnsafeMutableBufferPointer(rebasing: b[at...]))
        }
    }

    /// Writes the fixed-width fields; the ranges are checked by the callers.
    private static func putUTC(_ y: Int, _ m: Int, _ d: Int, _ hh: Int, _ mm: Int, _ ss: Int, withSeconds: Bool,
                               into b: UnsafeMutableBufferPointer<UInt8>) {
        let count = withSeconds ? 20 : 17
        func put(_ v: Int, _ width: Int, at i: Int) {
            var v = v
            for k in stride(from: i + width - 1, through: i, by: -1) { b[k] = UInt8(0x30 + v % 10); v /= 10 }
        }
        put(y, 4, at: 0); b[4] = 0x2D; put(m, 2, at: 5); b[7] = 0x2D; put(d, 2, at: 8)
        b[10] = 0x54; put(hh, 2, at: 11); b[13] = 0x3A; put(mm, 2, at: 14)
        if withSeconds { b[16] = 0x3A; put(ss, 2, at: 17) }
        b[count - 1] = 0x5A
    }

    /// Month number from a 3-letter English abbreviation at `buffer[at...]`.
    public static func month(_ buffer: UnsafeRawBufferPointer, at i: Int) -> Int? {
        guard i + 3 <= buffer.count else { return nil }
        let key = (UInt32(buffer[i]) << 16) | (UInt32(buffer[i + 1]) << 8) | UInt32(buffer[i + 2])
        switch key {
        case 0x4A616E: return 1   // Jan
        case 0x466562: return 2   // Feb
        case 0x4D6172: return 3   // Mar
        case 0x417072: return 4   // Apr
        case 0x4D6179: return 5   // May
        case 0x4A756E: return 6   // Jun
        case 0x4A756C: return 7   // Jul
        case 0x417567: return 8   // Aug
        case 0x536570: return 9   // Sep
        case 0x4F6374: return 10  // Oct
        case 0x4E6F76: return 11  // Nov
        case 0x446563: return 12  // Dec
        default: return nil
        }
    }
}
