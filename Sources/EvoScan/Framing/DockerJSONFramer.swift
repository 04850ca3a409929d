/// Docker's json-file driver on disk (`<id>-json.log`):
/// `{"log":"…\n","stream":"stdout","time":"<RFC3339Nano>"}`. A `log` value that does not
/// end in `\n` is a 16 KiB partial chunk, joined with the next entry of the same stream.
public final class DockerJSONFramer: Framer {
    public let transport = "docker-json-file"
    private var out: [UInt8] = []
    private var segments: [FrameSegment] = []
    private var log: [UInt8] = []
    private var partials: [Int32: (bytes: [UInt8], time: Int64)] = [:]
    public private(set) var malformedLines = 0

    public init() {}

    public func frame(_ block: LineReader.Block, into sink: FramedLineSink) {
        out.removeAll(keepingCapacity: true)
        segments.removeAll(keepingCapacity: true)
        let b = block.bytes
        var p = 0
        while p < b.count {
            let nl = Bytes.index(of: 0x0A, in: b, from: p) ?? (b.count - 1)
            let line = UnsafeRawBufferPointer(rebasing: b[p..<nl])
            if !line.isEmpty { frameEntry(line, truncated: block.truncated) }
            p = nl + 1
        }
        flush(into: sink)
    }

    public func finish(into sink: FramedLineSink) {
        out.removeAll(keepingCapacity: true)
        segments.removeAll(keepingCapacity: true)
        for (stream, partial) in partials.sorted(by: { $0.key < $1.key }) {
            emit(partial.bytes, stream: stream, time: partial.time, truncated: true)
        }
        partials.removeAll()
        flush(into: sink)
    }

    private func flush(into sink: FramedLineSink) {
        guard !segments.isEmpty else { return }
        out.withUnsafeBytes { bytes in segments.withUnsafeBufferPointer { sink.consume(bytes, segments: $0) } }
    }

    private func frameEntry(_ line: UnsafeRawBufferPointer, truncated: Bool) {
        log.removeAll(keepingCapacity: true)
        var stream: Int32 = 0
        var time = FrameSegment.noTime
        var scanner = JSONScanner(line)
        let ok = scanner.forEachMember { name, value in
            if JournalJSONFramer.equal(name, "log") { return value.readString(into: &log) }
            if JournalJSONFramer.equal(name, "stream") {
                if let text = value.readScalarText() { stream = JournalJSONFramer.equal(text, "stderr") ? 1 : 0 }
                return true
            }
            if JournalJSONFramer.equal(name, "time") {
                if let text = value.readScalarText(), let (t, _) = Timestamps.parseRFC3339(text) { time = t.micros }
                return true
            }
            return value.skipValue()
        }
        guard ok else {
            malformedLines += 1
            emit(Array(line), stream: 0, time: FrameSegment.noTime, truncated: true)
            return
        }
        let complete = log.last == 0x0A
        if complete { log.removeLast() }
        if !complete || partials[stream] != nil {
            var pending = partials[stream] ?? ([], time)
            if pending.bytes.count + log.count <= 1 << 20 { pending.bytes.append(contentsOf: log) }
            if !complete { partials[stream] = pending; return }
            partials[stream] = nil
            emit(pending.bytes, stream: stream, time: pending.time, truncated: truncated)
            return
        }
        emit(log, stream: stream, time: time, truncated: truncated)
    }

    private func emit(_ content: [UInt8], stream: Int32, time: Int64, truncated: Bool) {
        out.append(contentsOf: content)
        out.append(0x0A)
        segments.append(FrameSegment(end: out.count, stream: stream, time: time, truncated: truncated))
    }
}
