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
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(input.count)
        let n = input.count
        var i = 0
        var copied = 0
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
            if b != 0x1B && b != 0x0D { i += 1; continue }
            if b == 0x1B, i + 1 < n, input[i + 1] == UInt8(ascii: "[") {
                var j = i + 2
                while j < n, (0x30...0x3F).contains(input[j]) { j += 1 }
                while j < n, (0x20...0x2F).contains(input[j]) { j += 1 }
                if j < n, (0x40...0x7E).contains(input[j]) {
                    out.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[copied..<i]))
                    i = j + 1
                    copied = i
                    continue
                }
                // Not a complete CSI sequence: keep the bytes as data.
            } else if b == 0x0D, i + 1 < n, input[i + 1] == 0x0A {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[copied..<i]))
                i += 1
                copied = i
                continue
            }
            i += 1
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[copied..<n]))
    }

    /// Does the 8-byte word `w` hold `byte`? (A zero byte of `w ^ byte…` sets its top bit
    /// in `(v - 0x01…) & ~v`; no other byte does when none is zero.)
    @inline(__always)
    static func hasByte(_ w: UInt64, _ byte: UInt8) -> Bool {
        let v = w ^ (UInt64(byte) &* 0x0101_0101_0101_0101)
        return (v &- 0x0101_0101_0101_0101) & ~v & 0x8080_8080_8080_8080 != 0
    }

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
