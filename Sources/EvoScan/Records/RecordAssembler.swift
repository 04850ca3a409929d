/// Assembles framed lines into records, per stream (`evolution-logs.md` §12, `inputs.md`
/// §8), and passes on the ones that mention Prisma.
///
/// Speed comes from two choices: one whole-block PCRE2 scan finds the Prisma trigger
/// words, so records without any are only counted, never copied or parsed; and on plain
/// input (no segments) records are slices of the read buffer, copied only when they
/// straddle a block boundary.
public final class RecordAssembler: FramedLineSink {
    final class StreamState {
        var open = false
        var kind = LineKind.other
        var pending: [UInt8] = []
        /// Start of the open record's part inside the current block (zero-copy mode).
        var blockStart = 0
        var length = 0
        var time = FrameSegment.noTime
        var truncated = false
        var hasTrigger = false
        var awaitingBody = false
        var terminatorPending = false
        var sequence = 0
        let stream: Int32
        init(stream: Int32) { self.stream = stream }
    }

    public let cap: Int
    public private(set) var totals = AssemblyTotals()
    /// Emit every record, not only those with Prisma text (tests, timelines).
    public var emitAll = false
    private let sink: RecordSink
    private var states: [StreamState] = []
    private let scratch: RegexScratch
    private var hits: [Int] = []
    private var hitIndex = 0

    /// Words without which a record cannot hold a Prisma error: class names, the message
    /// head, the log emitter, a code after `code:`/`Error:`, and the two messages that
    /// are logged without the `Invalid …` head.
    static let trigger = Regex(static:
        #"PrismaClient|Invalid `|prisma:error|\b(?:[Ee]rror|code|errorCode|error_code)["']?\s*[:=]\s*["']?P[1-6]\d{3}\b|Error code: P[1-6]\d{3}|Can't reach database server|Timed out fetching a new connection"#)

    public init(sink: RecordSink, cap: Int = 1 << 20, scratch: RegexScratch = RegexScratch()) {
        self.sink = sink
        self.cap = cap
        self.scratch = scratch
    }

    @inline(__always)
    private func state(_ stream: Int32) -> StreamState {
        let i = Int(stream)
        while states.count <= i { states.append(StreamState(stream: Int32(states.count))) }
        return states[i]
    }

    public func consume(_ b: UnsafeRawBufferPointer, segments: UnsafeBufferPointer<FrameSegment>?) {
        hits.removeAll(keepingCapacity: true)
        hitIndex = 0
        scratch.matchStarts(Self.trigger, in: b, into: &hits)
        if let segments {
            var p = 0
            for seg in segments {
                let s = state(seg.stream)
                if seg.truncated, s.open { s.truncated = true }
                while p < seg.end {
                    let nl = Bytes.index(of: 0x0A, in: b, from: p) ?? (seg.end - 1)
                    line(s, b, p, nl, copy: true, time: seg.time, cut: seg.truncated)
                    p = nl + 1
                }
            }
        } else {
            let s = state(0)
            if s.open { s.blockStart = 0 }
            var p = 0
            while p < b.count {
                let nl = Bytes.index(of: 0x0A, in: b, from: p) ?? (b.count - 1)
                line(s, b, p, nl, copy: false, time: FrameSegment.noTime, cut: false)
                p = nl + 1
            }
            if s.open { carry(s, b) }
        }
    }

    /// End of input: close every open record.
    public func finish() {
        for s in states where s.open {
            closeCarried(s, stream: s.stream)
        }
    }

    // MARK: - Lines

    @inline(__always)
    private func line(_ s: StreamState, _ b: UnsafeRawBufferPointer, _ start: Int, _ nl: Int, copy: Bool, time: Int64, cut: Bool) {
        totals.lines += 1
        var end = nl
        if end > start, b[end - 1] == 0x0D { end -= 1 }
        let next = nl + 1
        while hitIndex < hits.count, hits[hitIndex] < start { hitIndex += 1 }
        let lineHasTrigger = hitIndex < hits.count && hits[hitIndex] < next

        if end == start {
            // An empty line never starts a record; it ends a colour object body.
            if s.open {
                if copy { append(s, b, start, next) }
                if s.terminatorPending { close(s, b, end: next, copy: copy) }
            }
            return
        }
        let kind = LineClassifier.classify(b, start, end)
        var starts = kind != .other
        if kind == .prismaBlock && s.open && s.awaitingBody { starts = false }
        if starts || !s.open {
            if s.open { close(s, b, end: start, copy: copy) }
            open(s, kind: kind, at: start, time: time)
            if kind == .evolutionHeader { s.awaitingBody = LineClassifier.headerAwaitsBody(b, start, end) }
            s.terminatorPending = false
        } else {
            s.awaitingBody = false
            s.terminatorPending = LineClassifier.isTerminatorCandidate(b, start, end)
        }
        if copy { append(s, b, start, next) } else { s.length += next - start }
        if cut { s.truncated = true }
        if lineHasTrigger { s.hasTrigger = true }
        if kind == .pino {
            // A pino line is a record by itself.
            close(s, b, end: next, copy: copy)
        } else if end - start == 1, b[start] == UInt8(ascii: "}"), s.kind != .pino {
            // A headerless Prisma block and a no-colour inline object end at `}` on
            // column 0 (colour bodies end with `}␠` and an empty line instead).
            close(s, b, end: next, copy: copy)
        }
    }

    @inline(__always)
    private func open(_ s: StreamState, kind: LineKind, at start: Int, time: Int64) {
        s.open = true
        s.kind = kind
        s.blockStart = start
        s.length = 0
        s.time = time
        s.truncated = false
        s.hasTrigger = false
        s.awaitingBody = false
        s.terminatorPending = false
        s.pending.removeAll(keepingCapacity: true)
        totals.records += 1
    }

    @inline(__always)
    private func append(_ s: StreamState, _ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) {
        s.length += end - start
        let room = cap - s.pending.count
        if room <= 0 { s.truncated = true; return }
        if end - start > room { s.truncated = true }
        s.pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[start..<min(end, start + room)]))
    }

    /// Block end in zero-copy mode: keep the open record's bytes for the next block.
    private func carry(_ s: StreamState, _ b: UnsafeRawBufferPointer) {
        let room = cap - s.pending.count
        let part = b.count - s.blockStart
        if part > room { s.truncated = true }
        if room > 0 { s.pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[s.blockStart..<(s.blockStart + min(part, room))])) }
        s.blockStart = 0
    }

    private func close(_ s: StreamState, _ b: UnsafeRawBufferPointer, end: Int, copy: Bool) {
        let stream = s.stream
        if copy || s.pending.isEmpty == false {
            if !copy {
                // Zero-copy record that began in an earlier block: finish the copy.
                let room = cap - s.pending.count
                let part = end - s.blockStart
                if part > room { s.truncated = true }
                if room > 0 { s.pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[s.blockStart..<(s.blockStart + min(part, room))])) }
            }
            if s.length > cap { s.truncated = true }
            emit(s, stream: stream, bytes: nil)
        } else {
            var slice = UnsafeRawBufferPointer(rebasing: b[s.blockStart..<end])
            if slice.count > cap {
                s.truncated = true
                slice = UnsafeRawBufferPointer(rebasing: slice[0..<cap])
            }
            emit(s, stream: stream, bytes: slice)
        }
    }

    private func closeCarried(_ s: StreamState, stream: Int32) {
        if s.length > cap { s.truncated = true }
        emit(s, stream: stream, bytes: nil)
    }

    private func emit(_ s: StreamState, stream: Int32, bytes: UnsafeRawBufferPointer?) {
        s.open = false
        if s.truncated { totals.truncatedRecords += 1 }
        if s.hasTrigger { totals.recordsWithPrismaText += 1 }
        if s.hasTrigger || emitAll {
            if let bytes {
                sink.record(RawRecord(kind: s.kind, bytes: bytes, stream: stream, sequence: s.sequence, time: s.time, truncated: s.truncated))
            } else {
                s.pending.withUnsafeBytes {
                    sink.record(RawRecord(kind: s.kind, bytes: $0, stream: stream, sequence: s.sequence, time: s.time, truncated: s.truncated))
                }
            }
        }
        s.sequence += 1
        s.pending.removeAll(keepingCapacity: true)
        s.terminatorPending = false
        s.awaitingBody = false
    }
}
