/// Assembles framed lines into records, per stream (`evolution-logs.md` §12, `inputs.md`
/// §8), and passes on the ones that mention Prisma.
///
/// Speed comes from two choices: one whole-block PCRE2 scan finds the Prisma trigger
/// words, so records without any are only counted, never copied or parsed; and on plain
/// input (no segments) records are slices of the read buffer, copied only when they
/// straddle a block boundary. The per-line work runs on value types held in locals
/// (`Pass`, `StreamState`): class properties would pay a dynamic exclusivity check on
/// every access, which costs a third of the throughput here.
public final class RecordAssembler: FramedLineSink {
    public let cap: Int
    public private(set) var totals = AssemblyTotals()
    /// Emit every record, not only those with Prisma text (tests, timelines).
    public var emitAll = false
    private let sink: RecordSink
    private var states: [StreamState] = []
    private let scratch: RegexScratch
    private var hitBuffer: [Int] = []
    private var accessBuffer: [Int] = []

    /// Words without which a record cannot hold a Prisma error: the class names, the
    /// message head and the log emitter. Their three first bytes (P, I, p) let the JIT use
    /// its vectorised start-byte search; a fourth alternative of any kind defeats it (1 GiB
    /// in 0.97 s instead of 0.65 s). Prisma CLI lines (`Error: P1001:`) and the 2.3.2+
    /// `testProxy: proxy connection successful` evidence are recognised by the line
    /// classifier (the latter by the end of its header line: a literal scan for
    /// `ProxyController]` cost a ninth of a plain scan).
    static let trigger = Regex(static: #"PrismaClient|Invalid `|prisma:error"#)
    /// Access-log lines interleaved in the input (compose logs of nginx and Evolution,
    /// `journalctl -u evolution -u nginx`), and — sharing the scan, because it also starts
    /// with a quote-like byte — a connection error logged as a bare string without the
    /// ``Invalid `…` `` head (group `db`, a Prisma trigger). Every alternative starts with
    /// `"` or `'`: one start-byte search, nothing measurable on Evolution's own logs.
    static let accessTrigger = Regex(static: #"" [1-5][0-9][0-9] (?:[0-9]+|-)(?= |$)|"RequestMethod":"|"logger":"http\.log\.access|" \[Client [^\]\n]+\] \[Length |(?<db>'t reach database server)"#)
    static let accessTriggerDBGroup = accessTrigger.group("db")

    /// More words that make a record worth reading (`evoscan timeline`: `[instance]`).
    public var extraTriggers: [Regex] = []
    /// An `--access-log` input: only access-log lines matter, so the Prisma scan is skipped.
    public var accessLinesOnly = false
    /// Hand on every access-log line (`evoscan timeline` wants an instance's every request).
    public var emitAllAccessLines = false
    /// The patterns of a config's access-log formats (`[[access-log-format]]`): their
    /// lines need not look like any built-in format, so they are found by these too, in
    /// the block scan of interleaved input and line by line in an `--access-log` input.
    public var extraAccessLines: [Regex] = []
    /// Words of the config's endpoints that the built-in evidence paths miss
    /// (`AccessLogCatalog.evidenceNeedles`): an access line that holds one is read, not
    /// only counted.
    public var extraEvidencePaths: [[UInt8]] = []

    public init(sink: RecordSink, cap: Int = 1 << 20, scratch: RegexScratch = RegexScratch()) {
        self.sink = sink
        self.cap = cap
        self.scratch = scratch
    }

    public func consume(_ b: UnsafeRawBufferPointer, segments: UnsafeBufferPointer<FrameSegment>?) {
        hitBuffer.removeAll(keepingCapacity: true)
        if !accessLinesOnly { scratch.matchStarts(Self.trigger, in: b, into: &hitBuffer) }
        let before = hitBuffer.count
        accessBuffer.removeAll(keepingCapacity: true)
        // An access log's lines are tested one by one instead (`AccessLine`).
        if !accessLinesOnly {
            scratch.matchStarts(Self.accessTrigger, in: b, group: Self.accessTriggerDBGroup, into: &hitBuffer, others: &accessBuffer)
            let builtIn = accessBuffer.count
            for regex in extraAccessLines { scratch.matchStarts(regex, in: b, into: &accessBuffer) }
            if accessBuffer.count > builtIn { accessBuffer.sort() }
        }
        for regex in extraTriggers { scratch.matchStarts(regex, in: b, into: &hitBuffer) }
        if hitBuffer.count > before { hitBuffer.sort() }

        var pass = Pass(sink: sink, cap: cap, emitAll: emitAll, hits: hitBuffer, accessHits: accessBuffer)
        pass.emitAllAccess = emitAllAccessLines
        pass.accessLinesOnly = accessLinesOnly
        pass.extraEvidence = extraEvidencePaths
        if accessLinesOnly && !extraAccessLines.isEmpty { pass.extraAccess = (extraAccessLines, scratch) }
        if let segments {
            var p = 0
            for seg in segments {
                let i = Int(seg.stream)
                while states.count <= i { states.append(StreamState(stream: Int32(states.count))) }
                var s = states[i]
                if seg.truncated, s.open { s.truncated = true }
                while p < seg.end {
                    let nl = Bytes.index(of: 0x0A, in: b, from: p) ?? (seg.end - 1)
                    pass.line(&s, b, p, nl, copy: true, time: seg.time, cut: seg.truncated)
                    p = nl + 1
                }
                states[i] = s
            }
        } else {
            if states.isEmpty { states.append(StreamState(stream: 0)) }
            var s = states[0]
            if s.open { s.blockStart = 0 }
            var p = 0
            let n = b.count
            let countOnly = accessLinesOnly && !emitAllAccessLines
            // A local: a class property read per line is a retain and a release each.
            let extra = extraEvidencePaths
            while p < n {
                let nl = Bytes.index(of: 0x0A, in: b, from: p) ?? (n - 1)
                // An access log's line that is only counted (`Pass.line` would find the
                // same) needs none of the record bookkeeping: a fifth of such a line's time.
                if countOnly, !s.open, Pass.isCountedAccessLine(b, p, nl, extra: extra) {
                    pass.lines += 1
                    pass.accessLines += 1
                } else {
                    pass.line(&s, b, p, nl, copy: false, time: FrameSegment.noTime, cut: false)
                }
                p = nl + 1
            }
            if s.open { pass.carry(&s, b) }
            states[0] = s
        }
        pass.add(to: &totals)
        if pass.accessLines > 0 { sink.accessLinesSeen(pass.accessLines) }
        hitBuffer = pass.hits
        accessBuffer = pass.accessHits
    }

    /// A record still open at the end of a `--state` run, to continue in the next one.
    public struct Unfinished: Sendable {
        public var stream: Int32
        public var time: Int64
        public var bytes: [UInt8]
        public var lines: Int
    }

    /// `--state` end of input: hands out the open records instead of closing them, and
    /// takes their lines and records back out of the totals (the next run counts them).
    public func takeUnfinished() -> [Unfinished] {
        var out: [Unfinished] = []
        for i in states.indices where states[i].open {
            let s = states[i]
            out.append(Unfinished(stream: s.stream, time: s.time, bytes: s.pending, lines: s.lines))
            totals.lines -= s.lines
            totals.records -= 1
            states[i].open = false
            states[i].pending = []
        }
        return out
    }

    /// Feeds lines carried from the previous run to `stream`, before the new input.
    public func inject(_ bytes: [UInt8], stream: Int32, time: Int64) {
        guard !bytes.isEmpty else { return }
        var segment = FrameSegment(end: bytes.count, stream: stream, time: time)
        bytes.withUnsafeBytes { b in withUnsafePointer(to: &segment) { consume(b, segments: UnsafeBufferPointer(start: $0, count: 1)) } }
    }

    /// End of input: close every open record.
    public func finish() {
        var pass = Pass(sink: sink, cap: cap, emitAll: emitAll, hits: [], accessHits: [])
        for i in states.indices where states[i].open {
            var s = states[i]
            if s.length > cap { s.truncated = true }
            pass.emit(&s, bytes: nil)
            states[i] = s
        }
        pass.add(to: &totals)
    }
}

/// The open record of one stream.
struct StreamState {
    var open = false
    var kind = LineKind.other
    /// Bytes of the open record copied so far (records that span blocks, or all records
    /// of segmented input).
    var pending: [UInt8] = []
    /// Start of the open record's part inside the current block (zero-copy mode).
    var blockStart = 0
    var length = 0
    var time = FrameSegment.noTime
    var truncated = false
    var hasTrigger = false
    /// Success evidence (a testProxy line): handed on, but not Prisma text.
    var hasEvidence = false
    var awaitingBody = false
    var terminatorPending = false
    var sequence = 0
    /// Lines of the open record.
    var lines = 0
    let stream: Int32
    init(stream: Int32) { self.stream = stream }
}

/// One pass over a block: the trigger hits and counters, as a value type.
struct Pass {
    let sink: RecordSink
    let cap: Int
    let emitAll: Bool
    var hits: [Int]
    var hitIndex = 0
    var accessHits: [Int]
    var accessIndex = 0
    var emitAllAccess = false
    var accessLinesOnly = false
    /// `RecordAssembler.extraAccessLines`, tested on an `--access-log` input's lines that
    /// no built-in format's shape matched.
    var extraAccess: (patterns: [Regex], scratch: RegexScratch)?
    /// `RecordAssembler.extraEvidencePaths`.
    var extraEvidence: [[UInt8]] = []
    var lines = 0
    var records = 0
    var truncatedRecords = 0
    var withPrisma = 0
    var accessLines = 0

    init(sink: RecordSink, cap: Int, emitAll: Bool, hits: [Int], accessHits: [Int]) {
        self.sink = sink
        self.cap = cap
        self.emitAll = emitAll
        self.hits = hits
        self.accessHits = accessHits
    }

    /// An access-log line that names no evidence path: counted, and closes nothing when
    /// no record is open. The tests `line` makes in `accessLinesOnly` mode, in its order.
    @inline(__always)
    static func isCountedAccessLine(_ b: UnsafeRawBufferPointer, _ start: Int, _ nl: Int, extra: [[UInt8]]) -> Bool {
        var end = nl
        if end > start, b[end - 1] == 0x0D { end -= 1 }
        guard end > start, let request = AccessLine.request(b, start, end) else { return false }
        let kind = LineClassifier.classify(b, start, end)
        return (kind == .other || kind == .pino) && !EvidencePath.mentioned(b, request.lowerBound, request.upperBound, extra: extra)
    }

    /// The whole line when one of the config's access-log patterns matches it.
    func extraAccessLine(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Range<Int>? {
        guard let (patterns, scratch) = extraAccess else { return nil }
        let line = UnsafeRawBufferPointer(rebasing: b[start..<end])
        return patterns.contains { scratch.matches($0, line) } ? start..<end : nil
    }

    func add(to totals: inout AssemblyTotals) {
        totals.lines += lines
        totals.records += records
        totals.truncatedRecords += truncatedRecords
        totals.recordsWithPrismaText += withPrisma
        totals.accessLogLines += accessLines
    }

    @inline(__always)
    mutating func line(_ s: inout StreamState, _ b: UnsafeRawBufferPointer, _ start: Int, _ nl: Int, copy: Bool, time: Int64, cut: Bool) {
        lines += 1
        var end = nl
        if end > start, b[end - 1] == 0x0D { end -= 1 }
        let next = nl + 1
        while hitIndex < hits.count, hits[hitIndex] < start { hitIndex += 1 }
        let lineHasTrigger = hitIndex < hits.count && hits[hitIndex] < next

        if end == start {
            // An empty line never starts a record; it ends a colour object body.
            if s.open {
                if copy { append(&s, b, start, next) } else { s.length += next - start }
                s.lines += 1
                if s.terminatorPending { close(&s, b, end: next, copy: copy) }
            }
            return
        }
        let request: Range<Int>?
        if accessLinesOnly {
            request = AccessLine.request(b, start, end) ?? extraAccessLine(b, start, end)
        } else {
            while accessIndex < accessHits.count, accessHits[accessIndex] < start { accessIndex += 1 }
            request = accessIndex < accessHits.count && accessHits[accessIndex] < next ? AccessLine.request(b, start, end) ?? start..<end : nil
        }
        var kind = LineClassifier.classify(b, start, end)
        if let request, kind == .other || kind == .pino {
            kind = .accessLog
            // Only the request can name an endpoint: the slashes of the date, the protocol
            // and the user agent need no look (two thirds of a combined line's slashes).
            let isEvidence = emitAllAccess || EvidencePath.mentioned(b, request.lowerBound, request.upperBound, extra: extraEvidence)
            if !isEvidence {
                // Counted, never copied or parsed: it closes the stream's open record
                // like any access line.
                if s.open { close(&s, b, end: start, copy: copy) }
                accessLines += 1
                return
            }
        }
        var starts = kind != .other
        // The bare error of a colour `[object]` record starts at column 0 right after
        // its header: it is that record's body, not a headerless block.
        if kind == .prismaBlock && s.open && s.awaitingBody { starts = false }
        if starts || !s.open {
            if s.open { close(&s, b, end: start, copy: copy) }
            open(&s, kind: kind, at: start, time: time)
            if kind == .evolutionHeader {
                let tail = LineClassifier.textEnd(b, start, end)
                s.awaitingBody = LineClassifier.headerAwaitsBody(b, start, tail)
                if !accessLinesOnly && LineClassifier.endsWithTestProxySuccess(b, start, tail) { s.hasEvidence = true }
            }
        } else {
            s.awaitingBody = false
            s.terminatorPending = LineClassifier.isTerminatorCandidate(b, start, end)
        }
        if copy { append(&s, b, start, next) } else { s.length += next - start }
        s.lines += 1
        if cut { s.truncated = true }
        if lineHasTrigger || kind == .cli && LineClassifier.isPrismaCLIError(b, start, end) { s.hasTrigger = true }
        if kind == .pino || kind == .accessLog {
            // A pino or access-log line is a record by itself.
            if kind == .accessLog { s.hasTrigger = true }
            close(&s, b, end: next, copy: copy)
        } else if end - start == 1, b[start] == UInt8(ascii: "}") {
            // A headerless Prisma block and a no-colour inline object end at `}` on
            // column 0 (colour bodies end with `}␠` and an empty line instead).
            close(&s, b, end: next, copy: copy)
        }
    }

    @inline(__always)
    mutating func open(_ s: inout StreamState, kind: LineKind, at start: Int, time: Int64) {
        s.open = true
        s.kind = kind
        s.blockStart = start
        s.length = 0
        s.time = time
        s.truncated = false
        s.hasTrigger = false
        s.hasEvidence = false
        s.awaitingBody = false
        s.terminatorPending = false
        if !s.pending.isEmpty { s.pending.removeAll(keepingCapacity: true) }
        s.lines = 0
        records += 1
    }

    /// Copies a line into the record (segmented input), up to the cap.
    mutating func append(_ s: inout StreamState, _ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) {
        s.length += end - start
        let room = cap - s.pending.count
        if room <= 0 { s.truncated = true; return }
        if end - start > room { s.truncated = true }
        s.pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[start..<min(end, start + room)]))
    }

    /// Block end in zero-copy mode: keep the open record's bytes for the next block.
    mutating func carry(_ s: inout StreamState, _ b: UnsafeRawBufferPointer) {
        keep(&s, b, upTo: b.count)
        s.blockStart = 0
    }

    private mutating func keep(_ s: inout StreamState, _ b: UnsafeRawBufferPointer, upTo end: Int) {
        let room = cap - s.pending.count
        let part = end - s.blockStart
        if part > room { s.truncated = true }
        if room > 0, part > 0 {
            s.pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[s.blockStart..<(s.blockStart + min(part, room))]))
        }
    }

    mutating func close(_ s: inout StreamState, _ b: UnsafeRawBufferPointer, end: Int, copy: Bool) {
        if s.length > cap { s.truncated = true }
        if copy {
            emit(&s, bytes: nil)
        } else if !s.pending.isEmpty {
            // Zero-copy record that began in an earlier block: finish the copy.
            keep(&s, b, upTo: end)
            emit(&s, bytes: nil)
        } else if s.hasTrigger || s.hasEvidence || emitAll {
            var slice = UnsafeRawBufferPointer(rebasing: b[s.blockStart..<end])
            if slice.count > cap { slice = UnsafeRawBufferPointer(rebasing: slice[0..<cap]) }
            emit(&s, bytes: slice)
        } else {
            emit(&s, bytes: nil)
        }
    }

    mutating func emit(_ s: inout StreamState, bytes: UnsafeRawBufferPointer?) {
        s.open = false
        if s.truncated { truncatedRecords += 1 }
        if s.kind == .accessLog { accessLines += 1 } else if s.hasTrigger { withPrisma += 1 }
        if s.hasTrigger || s.hasEvidence || emitAll {
            if let bytes {
                sink.record(RawRecord(kind: s.kind, bytes: bytes, stream: s.stream, sequence: s.sequence, time: s.time, truncated: s.truncated))
            } else {
                s.pending.withUnsafeBytes {
                    sink.record(RawRecord(kind: s.kind, bytes: $0, stream: s.stream, sequence: s.sequence, time: s.time, truncated: s.truncated))
                }
            }
        }
        s.sequence += 1
        if !s.pending.isEmpty { s.pending.removeAll(keepingCapacity: true) }
        s.terminatorPending = false
        s.awaitingBody = false
    }
}
