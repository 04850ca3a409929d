/// One assembled record: a header line (or another record-starting line) and its
/// continuation lines, exactly as framed (ANSI codes and CRs still in place).
public struct RawRecord {
    public let kind: LineKind
    /// The record's bytes, at most the record cap; valid only during the `RecordSink` call.
    public let bytes: UnsafeRawBufferPointer
    public let stream: Int32
    /// Per-stream record number: consecutive records differ by one.
    public let sequence: Int
    /// Transport time of the first line (µs since the epoch, UTC) or `FrameSegment.noTime`.
    public let time: Int64
    /// Longer than the cap (cut), or cut by a transport.
    public let truncated: Bool
}

public protocol RecordSink: AnyObject {
    func record(_ record: RawRecord)
    /// Access-log lines seen in the last block (evidence that an access log is there),
    /// including those never handed on as records.
    func accessLinesSeen(_ count: Int)
}

extension RecordSink {
    public func accessLinesSeen(_ count: Int) {}
}

/// Counters of the framing and assembly stages.
public struct AssemblyTotals: Sendable, Codable, Equatable {
    public var lines = 0
    public var records = 0
    public var truncatedRecords = 0
    public var recordsWithPrismaText = 0
    public var accessLogLines = 0
    public init() {}

    /// Adds another part's counters (chunks of one input read on several cores).
    public mutating func add(_ o: AssemblyTotals) {
        lines += o.lines
        records += o.records
        truncatedRecords += o.truncatedRecords
        recordsWithPrismaText += o.recordsWithPrismaText
        accessLogLines += o.accessLogLines
    }
}
