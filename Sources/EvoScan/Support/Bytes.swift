import CPCRE2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level helpers used across stages. Everything on the hot path works on
/// `UnsafeRawBufferPointer`; `String`s are made only from captured slices.
public enum Bytes {
    /// Offset of the first `byte` at or after `from`, or nil.
    @inline(__always)
    public static func index(of byte: UInt8, in buffer: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard from < buffer.count, let base = buffer.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), buffer.count - from) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    @inline(__always)
    public static func hasPrefix(_ buffer: UnsafeRawBufferPointer, at offset: Int, _ prefix: StaticString) -> Bool {
        let n = prefix.utf8CodeUnitCount
        guard offset + n <= buffer.count, let base = buffer.baseAddress else { return false }
        return memcmp(base + offset, prefix.utf8Start, n) == 0
    }

    /// Does `buffer` contain `needle` (glibc `memmem`)? For cold paths and short records.
    public static func contains(_ buffer: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        guard let base = buffer.baseAddress, buffer.count >= needle.utf8CodeUnitCount else { return false }
        return cpcre2_memmem(base, buffer.count, needle.utf8Start, needle.utf8CodeUnitCount) != nil
    }

    /// `contains` for a needle with a byte that is rare in the text, at `rare` in the
    /// needle: memchr from one such byte to the next, then a compare. glibc's memmem is
    /// not vectorised; on a record's 2 KB this is a few memchr calls instead.
    public static func contains(_ buffer: UnsafeRawBufferPointer, _ needle: StaticString, rareByteAt rare: Int) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard buffer.count >= n, rare < n else { return false }
        let byte = needle.utf8Start[rare]
        var from = rare
        while let hit = index(of: byte, in: buffer, from: from) {
            let start = hit - rare
            if start + n > buffer.count { return false }
            if hasPrefix(buffer, at: start, needle) { return true }
            from = hit + 1
        }
        return false
    }

    /// A `String` from bytes; invalid UTF-8 becomes U+FFFD.
    public static func string(_ buffer: UnsafeRawBufferPointer) -> String {
        String(decoding: buffer, as: UTF8.self)
    }

    public static func string(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }

    /// Removes ANSI CSI sequences (`ESC [ params intermediates final`) and the `\r` of CRLF
    /// line ends. Used only on records that are extracted, never on every line.
    public static func stripANSIAndCR(_ input: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        // Written through one pointer: an `append(contentsOf:)` per run between sequences
        // (30 per colour record) was most of the cost.
        if out.count < input.count { out.append(contentsOf: repeatElement(0, count: input.count - out.count)) }
        let written = out.withUnsafeMutableBytes { stripANSIAndCR(input, to: $0.baseAddress!) }
        out.removeSubrange(written...)
    }

    /// The same into `out`, which has room for `input.count` bytes; returns the count written.
    static func stripANSIAndCR(_ input: UnsafeRawBufferPointer, to out: UnsafeMutableRawPointer) -> Int {
        let n = input.count
        guard n > 0 else { return 0 }
        let base = input.baseAddress!
        var i = 0
        var copied = 0
        var written = 0
        @inline(__always) func flush(upTo end: Int) {
            (out + written).copyMemory(from: base + copied, byteCount: end - copied)
            written += end - copied
        }
        if memchr(base, 0x0D, n) == nil {
            // No CR (the usual case). The first line (a colour header: two dozen sequences
            // in 300 bytes) byte by byte; the rest, which usually has none, from ESC to ESC
            // with memchr. A sequence never spans a line end (its bytes are 0x20–0x7E).
            let firstLineEnd = memchr(base, 0x0A, n).map { base.distance(to: UnsafeRawPointer($0)) } ?? n
            let o = out.assumingMemoryBound(to: UInt8.self)
            while i < firstLineEnd {
                // Eight bytes at a time between the sequences: the word is stored whole and
                // the output advances to its first ESC (the bytes after it are overwritten).
                if i + 8 <= firstLineEnd {
                    let w = input.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    out.storeBytes(of: w, toByteOffset: written, as: UInt64.self)
                    let clean = firstByte(w, 0x1B)
                    written += clean
                    i += clean
                    if clean == 8 { continue }
                }
                if input[i] == 0x1B, let end = csiEnd(input, i) {
                    i = end
                    continue
                }
                o[written] = input[i]
                written += 1
                i += 1
            }
            copied = i
            while i < n, let p = memchr(base + i, 0x1B, n - i) {
                let esc = base.distance(to: UnsafeRawPointer(p))
                if let end = csiEnd(input, esc) {
                    flush(upTo: esc)
                    copied = end
                }
                i = max(esc + 1, copied)
            }
            flush(upTo: n)
            return written
        }
        // Copy the runs between ESC and CR bytes in bulk; only those two need a look, and
        // runs without either are skipped 8 bytes at a time.
        while i < n {
            while i + 8 <= n {
                let w = input.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if hasByte(w, 0x1B) || hasByte(w, 0x0D) { break }
                i += 8
            }
            guard i < n else { break }
            let b = input[i]
            if b == 0x1B, let end = csiEnd(input, i) {
                flush(upTo: i)
                i = end
                copied = i
                continue
            } else if b == 0x0D, i + 1 < n, input[i + 1] == 0x0A {
                flush(upTo: i)
                i += 1
                copied = i
                continue
            }
            i += 1
        }
        flush(upTo: n)
        return written
    }

    /// Where the CSI sequence (`ESC [ params intermediates final`) at `at` ends, if it is a
    /// complete one (an incomplete one is kept as data).
    @inline(__always)
    static func csiEnd(_ input: UnsafeRawBufferPointer, _ at: Int) -> Int? {
        let n = input.count
        guard at + 1 < n, input[at + 1] == UInt8(ascii: "[") else { return nil }
        var j = at + 2
        while j < n, (0x30...0x3F).contains(input[j]) { j += 1 }
        while j < n, (0x20...0x2F).contains(input[j]) { j += 1 }
        return j < n && (0x40...0x7E).contains(input[j]) ? j + 1 : nil
    }

    /// A 64-bit hash, 32 bytes per step in four independent lanes (one lane was bound by
    /// the latency of its multiply: 4 % of a dense scan went to hashing error bodies;
    /// Hasher over an [UInt8] goes byte by byte).
    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        let n = b.count
        var h0: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var h1: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var h2: UInt64 = 0x1656_67B1_9E37_79F9
        var h3: UInt64 = 0x85EB_CA77_C2B2_AE63
        @inline(__always) func mix(_ h: inout UInt64, _ w: UInt64) {
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        var i = 0
        while i + 32 <= n {
            mix(&h0, b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            mix(&h1, b.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
            mix(&h2, b.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
            mix(&h3, b.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
            i += 32
        }
        while i + 8 <= n {
            mix(&h0, b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        while i < n { tail = tail << 8 | UInt64(b[i]); i += 1 }
        mix(&h0, tail)
        mix(&h0, h1)
        mix(&h0, h2)
        mix(&h0, h3)
        return h0
    }

    /// The top bit of each byte of the 8-byte word `w` that may equal `byte`: a zero byte
    /// of `w ^ byte…` sets its top bit in `(v - 0x01…) & ~v`; no other byte does when none
    /// is zero, and above a zero byte a borrow may, so the lowest flag is always exact.
    @inline(__always)
    static func byteFlags(_ w: UInt64, _ byte: UInt8) -> UInt64 {
        let v = w ^ (UInt64(byte) &* 0x0101_0101_0101_0101)
        return (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080
    }

    /// How many bytes of the 8-byte word `w` (little-endian) come before its first `byte`;
    /// 8 when it holds none.
    @inline(__always)
    static func firstByte(_ w: UInt64, _ byte: UInt8) -> Int { byteFlags(w, byte).trailingZeroBitCount >> 3 }

    /// Does the 8-byte word `w` hold `byte`?
    @inline(__always)
    static func hasByte(_ w: UInt64, _ byte: UInt8) -> Bool { byteFlags(w, byte) != 0 }

    public static func stripANSIAndCR(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        input.withUnsafeBytes { stripANSIAndCR($0, into: &out) }
        return out
    }

    @inline(__always)
    public static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Parses an unsigned decimal number in `buffer[range]`.
    public static func parseInt(_ buffer: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count <= 18 else { return nil }
        var v = 0
        for i in range {
            let d = buffer[i] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }
}

extension Array where Element == UInt8 {
    public init(_ s: String) { self = Array(s.utf8) }
}
