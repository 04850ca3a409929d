import CPCRE2

/// Does an access-log line request an endpoint the correlation can use? Those lines are
/// handed on and parsed; message sends and reads are only counted.
///
/// A block-wide PCRE2 scan for these paths stopped at every `/` — a combined-log line
/// has ten of them (`HTTP/1.1`, the user agent) — and cost twice the rest of an access
/// log's scan (200 MB nginx: 300 ms of 409 ms). Checking only the lines already known to
/// be access lines, at the slashes followed by one of five letters, is a few memchr calls
/// per line.
enum EvidencePath {
    /// Same language as `/(?:set|settings|create|update|handleLabel)/|/instance/create\b`
    /// somewhere in `b[start..<end]`.
    @inline(__always)
    static func mentioned(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        var p = start
        while let slash = Bytes.index(of: UInt8(ascii: "/"), in: b, from: p), slash < end {
            let k = slash + 1
            p = k
            guard k < end else { return false }
            switch b[k] {
            case UInt8(ascii: "s"):
                if Bytes.hasPrefix(b, at: k, "set/") || Bytes.hasPrefix(b, at: k, "settings/") { return true }
            case UInt8(ascii: "c"):
                if Bytes.hasPrefix(b, at: k, "create/") { return true }
            case UInt8(ascii: "u"):
                if Bytes.hasPrefix(b, at: k, "update/") { return true }
            case UInt8(ascii: "h"):
                if Bytes.hasPrefix(b, at: k, "handleLabel/") { return true }
            case UInt8(ascii: "i"):
                if Bytes.hasPrefix(b, at: k, "instance/create") {
                    let after = k + 15
                    if after >= b.count || !isWordByte(b[after]) { return true }
                }
            default:
                break
            }
        }
        return false
    }

    /// `mentioned`, or one of `extra` (the config's endpoints the built-in paths miss,
    /// `AccessLogCatalog.evidenceNeedles`) somewhere in `b[start..<end]`.
    @inline(__always)
    static func mentioned(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int, extra: [[UInt8]]) -> Bool {
        if mentioned(b, start, end) { return true }
        for needle in extra where needle.count <= end - start {
            let found = needle.withUnsafeBytes { n in
                cpcre2_memmem(b.baseAddress! + start, end - start, n.baseAddress!, n.count) != nil
            }
            if found { return true }
        }
        return false
    }

    /// PCRE2's `\w` in byte mode without UCP: ASCII letters, digits and `_`.
    @inline(__always)
    static func isWordByte(_ c: UInt8) -> Bool {
        Bytes.isDigit(c) || c == UInt8(ascii: "_") || (c | 0x20) &- UInt8(ascii: "a") < 26
    }
}
