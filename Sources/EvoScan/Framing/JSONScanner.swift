/// A small, allocation-light JSON reader for one object per line (journald `-o json`,
/// docker json-file, and later access logs). It walks the top-level object and hands each
/// key with a cursor on its value; values are decoded only when asked for.
/// Malformed input makes the walk return false; it never traps.
public struct JSONScanner {
    let b: UnsafeRawBufferPointer
    var i: Int

    public init(_ bytes: UnsafeRawBufferPointer) {
        b = bytes
        i = 0
    }

    @inline(__always) mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    /// Iterates the members of the top-level object. `body` receives the raw key bytes
    /// (escapes are rare in keys and not decoded) and must consume the value (via one of
    /// the `read…` methods or `skipValue`), returning false on failure.
    public mutating func forEachMember(_ body: (UnsafeRawBufferPointer, inout JSONScanner) -> Bool) -> Bool {
        skipSpace()
        if i < b.count, b[i] == 0x1E { i += 1; skipSpace() }  // json-seq record separator
        guard i < b.count, b[i] == UInt8(ascii: "{") else { return false }
        i += 1
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return true }
        while i < b.count {
            skipSpace()
            guard i < b.count, b[i] == 0x22 else { return false }
            let keyStart = i + 1
            guard skipString() else { return false }
            let key = UnsafeRawBufferPointer(rebasing: b[keyStart..<(i - 1)])
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { return false }
            i += 1
            skipSpace()
            let before = i
            guard body(key, &self) else { return false }
            if i == before { guard skipValue() else { return false } }
            skipSpace()
            guard i < b.count else { return false }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return true }
            return false
        }
        return false
    }

    /// Skips a string starting at the opening quote.
    mutating func skipString() -> Bool {
        guard i < b.count, b[i] == 0x22 else { return false }
        i += 1
        while i < b.count {
            let c = b[i]
            if c == 0x5C { i += 2; continue }
            i += 1
            if c == 0x22 { return true }
        }
        return false
    }

    public mutating func skipValue() -> Bool {
        skipSpace()
        guard i < b.count else { return false }
        switch b[i] {
        case 0x22: return skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while i < b.count {
                let c = b[i]
                if c == 0x22 { guard skipString() else { return false }; continue }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
                if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { i += 1; return true }
                }
                i += 1
            }
            return false
        default:
            let start = i
            while i < b.count, !(b[i] == UInt8(ascii: ",") || b[i] == UInt8(ascii: "}") || b[i] == UInt8(ascii: "]") || b[i] == 0x20) { i += 1 }
            return i > start
        }
    }

    /// True when the value at the cursor is `null` (consumed).
    public mutating func readNull() -> Bool {
        if Bytes.hasPrefix(b, at: i, "null") { i += 4; return true }
        return false
    }

    /// Decodes a string value into `out` (appending). Invalid escapes are kept verbatim.
    public mutating func readString(into out: inout [UInt8]) -> Bool {
        guard i < b.count, b[i] == 0x22 else { return false }
        i += 1
        while i < b.count {
            // Copy the run up to the next quote or backslash in one go.
            var j = i
            while j < b.count, b[j] != 0x22, b[j] != 0x5C { j += 1 }
            if j > i { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[i..<j])) }
            i = j
            guard i < b.count else { return false }
            if b[i] == 0x22 { i += 1; return true }
            // Escape.
            guard i + 1 < b.count else { return false }
            let e = b[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                guard var scalar = hex4() else { out.append(contentsOf: [0x5C, 0x75]); continue }
                if (0xD800..<0xDC00).contains(scalar), Bytes.hasPrefix(b, at: i, "\\u") {
                    let save = i
                    i += 2
                    if let low = hex4(), (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        i = save
                    }
                }
                appendUTF8(scalar, to: &out)
            default: out.append(e)
            }
        }
        return false
    }

    mutating func hex4() -> UInt32? {
        guard i + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = b[i + k]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x37
            case 0x61...0x66: d = c - 0x57
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        i += 4
        return v
    }

    func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80: out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (v >> 6))); out.append(UInt8(0x80 | (v & 0x3F)))
        case 0xD800..<0xE000:
            out.append(contentsOf: [0xEF, 0xBF, 0xBD])  // lone surrogate
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (v >> 12))); out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (v >> 18))); out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((v >> 6) & 0x3F))); out.append(UInt8(0x80 | (v & 0x3F)))
        }
    }

    /// Reads an array of byte values (`[27,91,…]`, journald's form of non-printable
    /// fields) into `out`.
    public mutating func readByteArray(into out: inout [UInt8]) -> Bool {
        guard i < b.count, b[i] == UInt8(ascii: "[") else { return false }
        i += 1
        while true {
            skipSpace()
            guard i < b.count else { return false }
            if b[i] == UInt8(ascii: "]") { i += 1; return true }
            var v = 0
            var digits = 0
            while i < b.count, Bytes.isDigit(b[i]), digits < 4 { v = v * 10 + Int(b[i] - 0x30); i += 1; digits += 1 }
            guard digits > 0, v < 256 else { return false }
            out.append(UInt8(v))
            skipSpace()
            guard i < b.count else { return false }
            if b[i] == UInt8(ascii: ",") { i += 1 }
        }
    }

    /// A string or number value as raw text (no decoding), e.g. `"1749575251123456"`.
    public mutating func readScalarText() -> UnsafeRawBufferPointer? {
        guard i < b.count else { return nil }
        if b[i] == 0x22 {
            let start = i + 1
            guard skipString() else { return nil }
            return UnsafeRawBufferPointer(rebasing: b[start..<(i - 1)])
        }
        let start = i
        guard skipValue() else { return nil }
        return UnsafeRawBufferPointer(rebasing: b[start..<i])
    }

    /// The raw bytes of the value at the cursor (an object or array to scan on its own).
    public mutating func readRawValue() -> UnsafeRawBufferPointer? {
        let start = i
        guard skipValue() else { return nil }
        return UnsafeRawBufferPointer(rebasing: b[start..<i])
    }

    public var peek: UInt8? { i < b.count ? b[i] : nil }
}
