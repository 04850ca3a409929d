/// Reads what matters out of records: failure events from records that mention Prisma
/// (Evolution header parsed, time zone applied, Prisma facts extracted, copies of one
/// failure folded into one event: the 2.1.1+ pair of `[unhandledRejection]` records,
/// `evolution-logs.md` §5), and evidence of what clients were told: access-log lines and
/// the 2.3.2+ `testProxy: proxy connection successful` line.
public final class RecordExtractor: RecordSink {
    private let sink: FailureSink
    /// Receives access requests and Evolution-side success evidence.
    public weak var evidence: EvidenceSink?
    /// Receives the requests of `--access-log` files as the correlator keeps them, read
    /// without the parsed request's strings (`AccessLogParser.keep`); without it they go
    /// to `evidence` like any request.
    weak var fileEvidence: KeptRequestSink?
    /// `evoscan timeline`: the instance whose own log lines and requests are collected.
    public var timelineInstance: String?
    public var onTimeline: ((TimelineEntry) -> Void)?
    /// Reading an `--access-log` file: only evidence is taken from it.
    public var evidenceOnly = false
    private let accessParser: AccessLogParser
    private let zone: ZoneResolver
    private let redactor: Redactor
    private let scratch: RegexScratch
    private let extractor: PrismaErrorExtractor
    private let factsCache: FactsCache
    private let headers: HeaderCache
    private var clean: [UInt8] = []
    /// An origin-only record waiting for its bare twin, per stream, with its raw bytes
    /// (carried to the next run by `--state` when the input ends in between).
    private var pending: [Int32: FailureEvent] = [:]
    private var pendingRaw: [Int32: (time: Int64, bytes: [UInt8])] = [:]
    /// Keep a copy of each waiting origin record (`takePendingOrigins`, for `--state` and a
    /// rotated file's successor). A chunk worker never hands them on: copying 75,000 of
    /// them per dense GiB was for nothing.
    var keepsRawOrigins = true
    public var input = ""
    public private(set) var events = 0

    static let pinoTime = Regex(static: #""time":(?<ms>\d{13})"#)

    public init(sink: FailureSink, zone: ZoneResolver, redactor: Redactor, scratch: RegexScratch,
                accessLogs: AccessLogCatalog = Knowledge.builtIn.accessLogs) {
        self.sink = sink
        self.zone = zone
        self.redactor = redactor
        self.scratch = scratch
        self.extractor = PrismaErrorExtractor(scratch: scratch)
        self.factsCache = FactsCache(scratch: scratch)
        self.headers = HeaderCache(scratch: scratch)
        self.accessParser = AccessLogParser(scratch: scratch, catalog: accessLogs)
    }

    public var accessLinesParsed: Int { accessParser.linesParsed }

    public func accessLinesSeen(_ count: Int) {
        evidence?.requestsSeen(count)
    }
    public var accessFormats: [String: Int] { accessParser.formatsSeen }

    public func record(_ r: RawRecord) {
        withCleanText(r.bytes) { text in
            if r.kind == .accessLog {
                var line = text
                while line.last == 0x0A { line = UnsafeRawBufferPointer(rebasing: line[0..<(line.count - 1)]) }
                if evidenceOnly, timelineInstance == nil, let files = fileEvidence {
                    if let (end, kept) = accessParser.keep(line, input: input) { files.fileRequest(end: end, kept: kept) }
                    return
                }
                if let request = accessParser.parse(line, input: input) {
                    evidence?.request(request, fromAccessLogFile: evidenceOnly)
                    if let name = timelineInstance, request.instance == name {
                        onTimeline?(TimelineEntry(time: request.end, kind: "request", text: "\(request.method) \(request.path) → \(request.status)", detail: request.line(redactedBy: redactor)))
                    }
                }
                return
            }
            if evidenceOnly { return }
            let parsed = r.kind == .evolutionHeader ? headers.parse(text) : nil
            let header = parsed?.header
            let transport: Int64? = r.time == FrameSegment.noTime ? nil : r.time
            if let header, header.context == "ProxyController", Bytes.contains(text, "testProxy: proxy connection successful") {
                let t = Instant(seconds: zone.utc(wall: header.wallSeconds, transportMicros: transport))
                evidence?.testProxySucceeded(at: transport.map { Instant(micros: $0) } ?? t, line: redactor.redact(firstLine(text)), input: input)
                return
            }
            let all = facts(text, known: parsed?.line)
            if all.isEmpty, let name = timelineInstance, let header, header.instance == name {
                let t = Instant(seconds: zone.utc(wall: header.wallSeconds, transportMicros: transport))
                let line = firstLine(text)
                var value = line.range(of: "[\(header.valueType)]").map { String(line[$0.upperBound...]).trimming(" ") } ?? line
                if value.isEmpty {
                    // A multi-line value: its first non-empty line.
                    value = Bytes.string(text).pieces("\n").dropFirst().map { String($0).trimming(" ") }.first { !$0.isEmpty } ?? ""
                }
                onTimeline?(TimelineEntry(time: t, kind: header.level.lowercased(), text: "[\(header.context)] " + redactor.redact(value), detail: nil))
            }
            guard !all.isEmpty else { return }
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
                    sample: FailureSample(of: text, redactor: redactor))
                event.isOriginOnly = originOnly && all.count == 1
                event.wallSeconds = header?.wallSeconds
                if event.isOriginOnly && keepsRawOrigins { pendingRaw[r.stream] = (r.time, Array(r.bytes)) }
                if header?.context == "SERVER" { event.httpStatus = Self.serverStatus(text, scratch: scratch) }
                deliver(event)
            }
        }
    }

    /// `bytes` without ANSI sequences and CRs; as they are when they have neither (access
    /// lines and no-colour logs: copying them cost a tenth of an access line's parse).
    @inline(__always)
    private func withCleanText(_ bytes: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) -> Void) {
        guard Bytes.index(of: 0x1B, in: bytes, from: 0) != nil || Bytes.index(of: 0x0D, in: bytes, from: 0) != nil else {
            return body(bytes)
        }
        // The buffer only grows: trimmed to each record's length, it was zero-filled
        // again up to the next one's.
        if clean.count < bytes.count { clean.append(contentsOf: repeatElement(0, count: bytes.count - clean.count)) }
        clean.withUnsafeMutableBytes { out in
            let written = Bytes.stripANSIAndCR(bytes, to: out.baseAddress!)
            body(UnsafeRawBufferPointer(rebasing: out[0..<written]))
        }
    }

    /// Facts extracted by the other chunk workers of the scan (`SharedFactsTable`).
    var sharedFacts: SharedFactsTable? {
        get { factsCache.shared }
        set { factsCache.shared = newValue }
    }

    /// Records extracted before the facts cache is used: a log with a handful of Prisma
    /// records gains nothing from it and would pay for compiling every pattern it checks.
    static let uncachedRecords = 16
    private var extracted = 0

    /// The redacted facts of `text`, from the cache when its body was seen before.
    private func facts(_ text: UnsafeRawBufferPointer, known: HeaderCache.Line?) -> [PrismaFacts] {
        extracted += 1
        guard extracted > Self.uncachedRecords, let body = factsCache.body(of: text, known: known) else { return redactedFacts(text) }
        if let known = factsCache.lookup(body) { return known }
        let limitHits = scratch.limitHits
        let all = redactedFacts(text)
        // A pattern that gave up on its limit may not give up on another copy.
        if scratch.limitHits == limitHits { factsCache.store(body, all) }
        return all
    }

    private func redactedFacts(_ text: UnsafeRawBufferPointer) -> [PrismaFacts] {
        extractor.extract(text).map { f in
            // Facts are log text too: a secret inside a field list or message is masked.
            var facts = f
            facts.fields = facts.fields.map(redactor.redact)
            facts.constraint = facts.constraint.map(redactor.redact)
            facts.message = facts.message.map(redactor.redact)
            return facts
        }
    }

    /// End of input: pending origin records without a twin are failures of their own.
    public func finish() {
        for e in takeWaitingOrigins() { emit(e) }
    }

    /// End of one chunk of an input read on several cores: the origin records still waiting
    /// for their twin, in stream order, for whoever continues the input to hold.
    func takeWaitingOrigins() -> [FailureEvent] {
        let out = pending.keys.sorted().compactMap { pending[$0] }
        pending.removeAll()
        pendingRaw.removeAll()
        return out
    }

    /// `--state` end of input: origin records still waiting for their twin are handed out
    /// (raw) instead of being reported; the next run reads them again before its input.
    public func takePendingOrigins() -> [(stream: Int32, time: Int64, bytes: [UInt8])] {
        let out = pendingRaw.keys.sorted().compactMap { k in pendingRaw[k].map { (k, $0.time, $0.bytes) } }
        pending.removeAll()
        pendingRaw.removeAll()
        return out
    }

    private func deliver(_ event: FailureEvent) {
        if let waiting = pending.removeValue(forKey: event.stream) {
            if !event.isOriginOnly { pendingRaw[event.stream] = nil }
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
        // `<rejected>` first, found from `<` to `<` with memchr: a record without it (most)
        // is told apart without a memmem over all of it (glibc's is not vectorised: 2 %
        // of a dense scan).
        hasRejected(text) && Bytes.contains(text, "origin: Promise {", rareByteAt: 16)
            && !Bytes.contains(text, "error: PrismaClient", rareByteAt: 7)
    }

    static func hasRejected(_ text: UnsafeRawBufferPointer) -> Bool {
        var from = 0
        while let lt = Bytes.index(of: UInt8(ascii: "<"), in: text, from: from) {
            if Bytes.hasPrefix(text, at: lt, "<rejected>") { return true }
            from = lt + 1
        }
        return false
    }

    static let statusField = Regex(static: #"^\s*status: (?<status>[1-5]\d\d),?$"#)

    /// The HTTP status of a `[SERVER]` error event (`status: 500,`).
    static func serverStatus(_ text: UnsafeRawBufferPointer, scratch: RegexScratch) -> Int? {
        guard let m = scratch.firstMatch(statusField, in: text), let r = m.range(statusField.group("status")) else { return nil }
        return Bytes.parseInt(text, r)
    }

    private func firstLine(_ text: UnsafeRawBufferPointer) -> String {
        let end = Bytes.index(of: 0x0A, in: text, from: 0) ?? text.count
        return Bytes.string(text, 0..<end).trimming(" ")
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
}
