/// Parsers for the transport timestamps that carry a zone (docker `-t`, CRI, kubectl,
/// json-file, journal `short-iso`). Zone-less ones (journal `short`, pm2, viewers) are not
/// instants and are not parsed into one.
public enum Timestamps {
    /// RFC 3339: `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM|±HHMM)`. Returns the instant and the
    /// number of bytes consumed.
    public static func parseRFC3339(_ b: UnsafeRawBufferPointer, at start: Int = 0) -> (Instant, Int)? {
        var i = start
        func num(_ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in 0..<n {
                let d = b[i + k] &- 0x30
                guard d < 10 else { return nil }
                v = v * 10 + Int(d)
            }
            i += n
            return v
        }
        func lit(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let y = num(4), lit(0x2D), let mo = num(2), lit(0x2D), let d = num(2),
              i < b.count, b[i] == 0x54 || b[i] == 0x20 else { return nil }
        i += 1
        guard let h = num(2), lit(0x3A), let mi = num(2), lit(0x3A), let s = num(2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var micros: Int64 = 0
        if i < b.count, b[i] == 0x2E {
            i += 1
            var digits = 0
            while i < b.count, Bytes.isDigit(b[i]) {
                if digits < 6 { micros = micros * 10 + Int64(b[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == 0x5A {
            i += 1
        } else if b[i] == 0x2B || b[i] == 0x2D {
            let sign = b[i] == 0x2D ? -1 : 1
            i += 1
            guard let oh = num(2) else { return nil }
            _ = lit(0x3A)
            guard let om = num(2) else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        let secs = CivilTime.epochSeconds(y, mo, d, h, mi, s) - Int64(offset)
        return (Instant(micros: secs * 1_000_000 + micros), i - start)
    }

    public static func parseRFC3339(_ s: String) -> Instant? {
        var s = s
        return s.withUTF8 { parseRFC3339(UnsafeRawBufferPointer($0))?.0 }
    }
}
