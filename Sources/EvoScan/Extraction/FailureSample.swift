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

    public var text: String {
        switch source {
        case .text(let s):
            return s
        case .record(let bytes, let redactor):
            var s = bytes.withUnsafeBytes { Bytes.string($0) }
            while s.hasSuffix("\n") || s.hasSuffix(" ") { s.removeLast() }
            return redactor.redact(s)
        }
    }
}
