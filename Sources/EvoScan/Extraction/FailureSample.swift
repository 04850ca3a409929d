/// The first lines of a failure's record, secrets redacted, made when they are read: most
/// events of a dense log are counted and never shown, and decoding and redacting every
/// sample was a fifth of such a scan. Read on the thread of the session that extracted it
/// (its redactor's scratch is not shared).
public struct FailureSample: @unchecked Sendable, ExpressibleByStringLiteral {
    private enum Source {
        case text(String)
        case record([UInt8], Redactor)
    }

    private let source: Source

    public init(_ text: String) { source = .text(text) }
    public init(stringLiteral text: String) { self.init(text) }

    /// The record's first bytes (ANSI removed), redacted by `redactor` when read.
    init(record bytes: [UInt8], redactor: Redactor) { source = .record(bytes, redactor) }

    /// A sample shows a record's first `maxLines` lines, at most `maxBytes` bytes.
    static let maxLines = 14
    static let maxBytes = 2048

    /// The sample of a record (ANSI removed): its first `maxBytes` bytes are kept and cut at
    /// `maxLines` lines only when read. Most samples are never read, and finding the lines
    /// took fourteen memchr calls per record of a dense log.
    init(of text: UnsafeRawBufferPointer, redactor: Redactor) {
        source = .record(Array(UnsafeRawBufferPointer(rebasing: text[0..<min(text.count, Self.maxBytes)])), redactor)
    }

    /// `bytes` up to the end of their `maxLines`-th line (newline included).
    static func lines(of bytes: [UInt8]) -> ArraySlice<UInt8> {
        bytes.withUnsafeBytes { b in
            var end = 0
            for _ in 0..<maxLines {
                guard end < b.count else { break }
                end = Bytes.index(of: 0x0A, in: b, from: end).map { $0 + 1 } ?? b.count
            }
            return bytes[0..<end]
        }
    }

    /// The same sample, redacted by `redactor` when read: for an event extracted on a
    /// worker's thread and read on the session's (`SplitReplay`), whose worker goes on
    /// using its own redactor.
    func redacted(by redactor: Redactor) -> FailureSample {
        guard case .record(let bytes, _) = source else { return self }
        return FailureSample(record: bytes, redactor: redactor)
    }

    /// The first `count` non-empty lines of `text`, redacting only the bytes up to them
    /// when more than blanks follow: silent-failure evidence quotes two lines, and the
    /// whole 2 KB sample was redacted for them. The lines are the same: a secret's masked
    /// part never spans a line end, a match that runs on past the lines only masks text
    /// after them, what it skips before the line end is a keyword's tail and punctuation
    /// (no other match can start there), and the keyword prefilter sees every keyword of a
    /// match inside the lines.
    func firstLines(_ count: Int) -> String {
        guard case .record(let all, let redactor) = source else { return SilentFailureCorrelator.firstLines(count, of: text) }
        let bytes = Array(Self.lines(of: all))
        guard let end = Self.end(ofLines: count, in: bytes),
              bytes[end...].contains(where: { $0 != 0x20 && $0 != 0x0A }) else {
            return SilentFailureCorrelator.firstLines(count, of: text)
        }
        let head = bytes.withUnsafeBytes { Bytes.string($0, 0..<end) }
        return SilentFailureCorrelator.firstLines(count, of: redactor.redact(head))
    }

    /// Where the `count`-th non-empty line of `bytes` ends, if it has that many.
    static func end(ofLines count: Int, in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { b in
            var found = 0, start = 0
            while start < b.count {
                let end = Bytes.index(of: 0x0A, in: b, from: start) ?? b.count
                if end > start {
                    found += 1
                    if found == count { return end }
                }
                start = end + 1
            }
            return nil
        }
    }

    public var text: String {
        switch source {
        case .text(let s):
            return s
        case .record(let bytes, let redactor):
            var s = Self.lines(of: bytes).withUnsafeBytes { Bytes.string($0) }
            while s.hasSuffix("\n") || s.hasSuffix(" ") { s.removeLast() }
            return redactor.redact(s)
        }
    }
}
