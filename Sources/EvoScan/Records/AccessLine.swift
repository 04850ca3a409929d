/// Is a line a reverse proxy's access-log line? The same language as the non-`db`
/// alternatives of `RecordAssembler.accessTrigger`, tested on one line.
///
/// An `--access-log` input is nothing but such lines: there the block-wide scan stopped at
/// each of the six quotes of every combined-log line and cost a third of the input's
/// time; testing the quotes of the line at hand is cheaper. Evolution logs keep the scan
/// (it also finds the bare `Can't reach database server` trigger, and their few access
/// lines would not pay for a test on every line).
enum AccessLine {
    /// Where the request's URI is when the line is an access-log line: the quoted field
    /// just before the status (CLF formats) or before `[Client` (Nginx Proxy Manager), the
    /// whole line for the JSON formats; nil when it is not one.
    @inline(__always)
    static func request(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        var p = start
        var fieldStart = start
        while let q = Bytes.index(of: UInt8(ascii: "\""), in: b, from: p), q < end {
            p = q + 1
            guard q + 1 < end else { return nil }
            switch b[q + 1] {
            case UInt8(ascii: " "):
                if isStatus(b, q + 2, end) || isNPMClient(b, q + 2, end) { return fieldStart..<q }
            case UInt8(ascii: "R"):
                if Bytes.hasPrefix(b, at: q, "\"RequestMethod\":\"") { return start..<end }
            case UInt8(ascii: "l"):
                if Bytes.hasPrefix(b, at: q, "\"logger\":\"http.log.access") { return start..<end }
            default:
                break
            }
            fieldStart = p
        }
        return nil
    }

    /// `[1-5][0-9][0-9] (?:[0-9]+|-)(?= |$)` at `i`.
    @inline(__always)
    static func isStatus(_ b: UnsafeRawBufferPointer, _ i: Int, _ end: Int) -> Bool {
        guard i + 4 < end, b[i] &- UInt8(ascii: "1") < 5, Bytes.isDigit(b[i + 1]), Bytes.isDigit(b[i + 2]),
              b[i + 3] == UInt8(ascii: " ") else { return false }
        var k = i + 4
        if b[k] == UInt8(ascii: "-") {
            k += 1
        } else {
            guard Bytes.isDigit(b[k]) else { return false }
            while k < end, Bytes.isDigit(b[k]) { k += 1 }
        }
        return k >= end || b[k] == UInt8(ascii: " ") || b[k] == 0x0D || b[k] == 0x0A
    }

    /// `\[Client [^\]\n]+\] \[Length ` at `i` (Nginx Proxy Manager).
    @inline(__always)
    static func isNPMClient(_ b: UnsafeRawBufferPointer, _ i: Int, _ end: Int) -> Bool {
        guard Bytes.hasPrefix(b, at: i, "[Client "), let close = Bytes.index(of: UInt8(ascii: "]"), in: b, from: i + 8),
              close < end, close > i + 8 else { return false }
        return Bytes.hasPrefix(b, at: close, "] [Length ")
    }
}
