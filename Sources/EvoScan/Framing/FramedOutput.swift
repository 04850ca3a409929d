/// The framed lines a framer builds for one block, with their segments.
struct FramedOutput {
    private var bytes: [UInt8] = []
    private var segments: [FrameSegment] = []

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        segments.removeAll(keepingCapacity: true)
    }

    /// Appends one line (without its newline) with its stream and time.
    mutating func emit(_ content: UnsafeRawBufferPointer, stream: Int32, time: Int64, truncated: Bool) {
        bytes.append(contentsOf: content)
        bytes.append(0x0A)
        segments.append(FrameSegment(end: bytes.count, stream: stream, time: time, truncated: truncated))
    }

    mutating func emit(_ content: [UInt8], stream: Int32, time: Int64, truncated: Bool) {
        content.withUnsafeBytes { emit($0, stream: stream, time: time, truncated: truncated) }
    }

    func flush(into sink: FramedLineSink) {
        guard !segments.isEmpty else { return }
        bytes.withUnsafeBytes { b in segments.withUnsafeBufferPointer { sink.consume(b, segments: $0) } }
    }
}

/// Lines that transports split into chunks (CRI `P`, docker json-file without `\n`,
/// journald `CONTAINER_PARTIAL_MESSAGE`), joined per stream up to the line cap.
struct PartialLines {
    private var pending: [Int32: (bytes: [UInt8], time: Int64)] = [:]
    static let cap = 1 << 20

    /// Adds a chunk; returns the whole line once a chunk that is not partial arrives.
    /// A chunk for a stream with nothing pending and `partial == false` passes through.
    mutating func join(_ content: UnsafeRawBufferPointer, stream: Int32, time: Int64, partial: Bool) -> (bytes: [UInt8], time: Int64)? {
        var entry = pending[stream] ?? ([], time)
        if entry.bytes.count + content.count <= Self.cap { entry.bytes.append(contentsOf: content) }
        if partial {
            pending[stream] = entry
            return nil
        }
        pending[stream] = nil
        return entry
    }

    func isPending(_ stream: Int32) -> Bool { pending[stream] != nil }

    /// End of input: chunks never completed are emitted, flagged as truncated.
    mutating func drain(into output: inout FramedOutput) {
        for (stream, entry) in pending.sorted(by: { $0.key < $1.key }) {
            output.emit(entry.bytes, stream: stream, time: entry.time, truncated: true)
        }
        pending.removeAll()
    }
}

extension LineReader.Block {
    /// Each line of the block without its newline.
    func forEachLine(_ body: (UnsafeRawBufferPointer) -> Void) {
        var p = 0
        while p < bytes.count {
            let nl = Bytes.index(of: 0x0A, in: bytes, from: p) ?? (bytes.count - 1)
            body(UnsafeRawBufferPointer(rebasing: bytes[p..<nl]))
            p = nl + 1
        }
    }
}

/// A framer that decodes one input line at a time into `output` (every transport except
/// plain text): the block loop and the end-of-input flush are the same for all of them.
protocol LineByLineFramer: Framer {
    var output: FramedOutput { get set }
    var partials: PartialLines { get set }
    /// Decodes one line (without its newline) into `output`.
    func frameLine(_ line: UnsafeRawBufferPointer, truncated: Bool)
}

extension LineByLineFramer {
    public func frame(_ block: LineReader.Block, into sink: FramedLineSink) {
        output.reset()
        block.forEachLine { frameLine($0, truncated: block.truncated) }
        output.flush(into: sink)
    }

    public func finish(into sink: FramedLineSink) {
        output.reset()
        partials.drain(into: &output)
        output.flush(into: sink)
    }
}
