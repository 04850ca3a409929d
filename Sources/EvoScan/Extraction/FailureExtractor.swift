/// Turns records that mention Prisma into failure events: parses the Evolution header,
/// applies the time zone, extracts the Prisma facts, and folds copies of one failure into
/// one event (the 2.1.1+ pair of `[unhandledRejection]` records, `evolution-logs.md` §5).
public final class FailureExtractor: RecordSink {
    private let sink: FailureSink
    private let zone: ZoneResolver
    private let redactor: Redactor
    private let scratch: RegexScratch
    private let extractor: PrismaErrorExtractor
    private var clean: [UInt8] = []
    /// An origin-only record waiting for its bare twin, per stream.
    private var pending: [Int32: FailureEvent] = [:]
    public var input = ""
    public private(set) var events = 0

    static let pinoTime = Regex(static: #""time":(?<ms>\d{13})"#)
    static let sampleLines = 14
    static let sampleBytes = 2048

    public init(sink: FailureSink, zone: ZoneResolver, redactor: Redactor, scratch: RegexScratch) {
        self.sink = sink
        self.zone = zone
        self.redactor = redactor
        self.scratch = scratch
        self.extractor = PrismaErrorExtractor(scratch: scratch)
    }

    public func record(_ r: RawRecord) {
        Bytes.stripANSIAndCR(r.bytes, into: &clean)
        clean.withUnsafeBytes { text in
            let all = extractor.extract(text)
            guard !all.isEmpty else { return }
            let header = r.kind == .evolutionHeader ? EvolutionHeaderParser.parse(text, scratch: scratch) : nil
            let transport: Int64? = r.time == FrameSegment.noTime ? nil : r.time
            var time: Instant? = nil
            if let header {
                time = Instant(seconds: zone.utc(wall: header.wallSeconds, transportMicros: transport))
            } else if r.kind == .pino, let m = scratch.firstMatch(Self.pinoTime, in: text),
                      let ms = m.range(Self.pinoTime.group("ms")).flatMap({ Bytes.parseInt(text, $0) }) {
                time = Instant(micros: Int64(ms) * 1000)
            } else if let transport {
                time = Instant(micros: transport)
            }
            let originOnly = header != nil && Self.isOriginOnly(text)
            for facts in all {
                var event = FailureEvent(
                    time: time, transportTime: transport.map { Instant(micros: $0) },
                    instance: header?.instance, appVersion: header?.version, context: header?.context,
                    level: header?.level ?? (r.kind == .pino ? Self.pinoLevel(text) : nil), pid: header?.pid,
                    facts: facts, input: input, stream: r.stream, sequence: r.sequence, truncated: r.truncated,
                    sample: sample(text))
                event.isOriginOnly = originOnly && all.count == 1
                event.wallSeconds = header?.wallSeconds
                deliver(event)
            }
        }
    }

    /// End of input: pending origin records without a twin are failures of their own.
    public func finish() {
        for key in pending.keys.sorted() { if let e = pending.removeValue(forKey: key) { emit(e) } }
    }

    private func deliver(_ event: FailureEvent) {
        if let waiting = pending.removeValue(forKey: event.stream) {
            if Self.isTwin(waiting, event) {
                var merged = event
                merged.facts.merge(waiting.facts)
                emit(merged)
                return
            }
            emit(waiting)
        }
        if event.isOriginOnly {
            pending[event.stream] = event
        } else {
            emit(event)
        }
    }

    private func emit(_ event: FailureEvent) {
        events += 1
        sink.failure(event)
    }

    /// The bare-error record right after an origin record, same pid, same class, code and
    /// message, within a second.
    static func isTwin(_ origin: FailureEvent, _ bare: FailureEvent) -> Bool {
        guard bare.sequence == origin.sequence + 1, !bare.isOriginOnly, origin.pid == bare.pid,
              origin.facts.isCompatible(with: bare.facts) else { return false }
        if let a = origin.wallSeconds, let b = bare.wallSeconds, b < a || b - a > 1 { return false }
        return true
    }

    /// `{ origin: Promise { <rejected> … }, stderr: 2 }` without the 2.0.x `error:` key.
    static func isOriginOnly(_ text: UnsafeRawBufferPointer) -> Bool {
        Bytes.contains(text, "origin: Promise {") && Bytes.contains(text, "<rejected>") && !Bytes.contains(text, "error: PrismaClient")
    }

    static func pinoLevel(_ text: UnsafeRawBufferPointer) -> String? {
        guard Bytes.hasPrefix(text, at: 0, "{\"level\":"), text.count > 11 else { return nil }
        switch (text[9], text[10]) {
        case (0x36, 0x30): return "FATAL"
        case (0x35, 0x30): return "ERROR"
        case (0x34, 0x30): return "WARN"
        case (0x33, 0x30): return "INFO"
        default: return "DEBUG"
        }
    }

    private func sample(_ text: UnsafeRawBufferPointer) -> String {
        var end = 0
        var lines = 0
        while end < text.count, end < Self.sampleBytes, lines < Self.sampleLines {
            if text[end] == 0x0A { lines += 1 }
            end += 1
        }
        var s = Bytes.string(text, 0..<end)
        while s.hasSuffix("\n") || s.hasSuffix(" ") { s.removeLast() }
        return redactor.redact(s)
    }
}
