#if canImport(Glibc)
import Glibc
#endif

/// Runs the pipeline over inputs: Input → Framing → Records → Extraction → Analysis.
/// One session per scan; inputs are processed one after the other, and a broken input is
/// reported and skipped without stopping the others. Access logs (`scanAccessLog`) go
/// first, so the correlation has its evidence before the failures arrive.
public final class ScanSession {
    public struct Options: Sendable {
        public var logZone: LogTimeZone?
        public var recordCap = 1 << 20
        public var lineCap = 1 << 20
        public var readSize = 1 << 20
        public var correlation = SilentFailureCorrelator.Options()
        /// Which host or source the inputs come from, recorded with each input's coverage.
        public var sourceID: String? = ScanSession.hostName
        public init(logZone: LogTimeZone? = nil) { self.logZone = logZone }
        /// The write map, remediation hints, redaction rules and access-log formats
        /// (built in, or with a config file read on top).
        public var knowledge: Knowledge {
            get { correlation.knowledge }
            set { correlation.knowledge = newValue }
        }

        /// A record assembler with the record cap and the config's access-log formats.
        func assembler(sink: RecordSink, scratch: RegexScratch) -> RecordAssembler {
            let assembler = RecordAssembler(sink: sink, cap: recordCap, scratch: scratch)
            assembler.extraAccessLines = knowledge.accessLogFormats.map(\.regex)
            assembler.extraEvidencePaths = knowledge.accessLogs.evidenceNeedles
            return assembler
        }
    }

    public let options: Options
    public let aggregate = Aggregator()
    public let correlator: SilentFailureCorrelator
    public private(set) var totals = ScanTotals()
    public private(set) var inputs: [ScanReport.InputSummary] = []
    public let zone: ZoneResolver
    private let scratch = RegexScratch()
    private let redactor: Redactor
    private let extractor: RecordExtractor
    private var finished = false

    /// One line per input problem, for stderr.
    public var onInputError: ((InputError) -> Void)?
    /// One line per input that changed while it was read without losing anything (deleted
    /// or replaced): worth saying, not an input error.
    public var onInputWarning: ((InputError) -> Void)?

    public init(options: Options = Options()) {
        self.options = options
        zone = ZoneResolver(flag: options.logZone)
        correlator = SilentFailureCorrelator(next: aggregate, options: options.correlation)
        redactor = Redactor(rules: options.knowledge.redactions)
        extractor = RecordExtractor(sink: correlator, zone: zone, redactor: redactor, scratch: scratch,
                                    accessLogs: options.knowledge.accessLogs)
        extractor.evidence = correlator
        extractor.fileEvidence = correlator
    }

    /// Scans a path (`-` = standard input). Returns false when the input had an error.
    @discardableResult
    public func scan(path: String) -> Bool {
        extractor.evidenceOnly = false
        return open(path).map { scan($0) } ?? false
    }

    /// Reads a reverse proxy's access log (`--access-log`): requests only.
    @discardableResult
    public func scanAccessLog(path: String) -> Bool {
        extractor.evidenceOnly = true
        defer { extractor.evidenceOnly = false }
        return open(path).map { scan($0) } ?? false
    }

    /// Scans bytes held in memory (tests, embedding).
    @discardableResult
    public func scan(bytes: [UInt8], name: String, accessLog: Bool = false) -> Bool {
        totals.inputs += 1
        extractor.evidenceOnly = accessLog
        defer { extractor.evidenceOnly = false }
        do {
            return scan(try InputOpener.wrap(MemorySource(bytes), name: name))
        } catch let error as InputError {
            fail(error, name: name, transport: "-", compression: "-", bytes: 0)
            return false
        } catch {
            return false
        }
    }

    private func open(_ path: String) -> OpenedInput? {
        totals.inputs += 1
        do {
            return try InputOpener.open(path)
        } catch let error as InputError {
            fail(error, name: path == "-" ? "<stdin>" : path, transport: "-", compression: "-", bytes: 0)
        } catch {
            fail(InputError(path, "\(error)"), name: path, transport: "-", compression: "-", bytes: 0)
        }
        return nil
    }

    /// `--state`: where the previous run stopped; `updatedState` is what this run leaves.
    public private(set) var state: IncrementalState?
    private var newState: IncrementalState?
    /// The state this run leaves: its inputs' entries, plus the previous entries of files
    /// it did not read (a file left out of one run resumes in the next).
    public var updatedState: IncrementalState? {
        guard var s = newState, let old = state else { return newState }
        let seenPrints = Set(s.entries.map(\.fingerprint))
        let seenFiles = Set(s.entries.map { "\($0.device):\($0.inode)" })
        s.entries += old.entries.filter { !seenPrints.contains($0.fingerprint) && !seenFiles.contains("\($0.device):\($0.inode)") }
            .prefix(max(0, 1000 - s.entries.count))
        if !readStdin { s.stdinCarried = old.stdinCarried }
        return s
    }
    private var readStdin = false
    /// Set while a truncated-and-rewritten file is read anew.
    private var resumeDisabled = false

    /// Resume from `state` (`--state`); `updatedState` then collects where this run stops.
    public func resume(from state: IncrementalState) {
        self.state = state
        newState = IncrementalState()
    }

    /// An input opened and its first bytes read: enough to know where it resumes.
    struct Peeked {
        var input: OpenedInput
        var head: [UInt8]
        var failure: InputError?
        var entry: IncrementalState.Entry?
        var identity: InputIdentity?
    }

    /// What a rotated file leaves to the file now at its old path: the records its end cut
    /// and the incomplete last line, which continue at the start of the new file.
    struct Handoff {
        var carried: [IncrementalState.Carried]
        var tail: [UInt8]
    }

    private var handoffs: [String: Handoff] = [:]
    /// `evoscan timeline`: collect one instance's requests and log lines.
    public func timeline(instance: String, _ sink: @escaping (TimelineEntry) -> Void) {
        extractor.timelineInstance = instance
        extractor.onTimeline = sink
        // `[name]` literally: \Q…\E, with any `\E` in the name split out of the quote.
        timelineTrigger = Regex(static: "\\Q[" + instance.replacingOccurrences(of: "\\E", with: "\\E\\\\E\\Q") + "]\\E")
    }
    private var timelineTrigger: Regex?

    /// Told the on-disk bytes read, for the progress line.
    public var progress: ProgressLine?
    /// Checked between inputs: the output went away (`| head`), no need to read on.
    public var shouldStop: () -> Bool = { false }

    /// Scans several paths in the order `--state` needs: files rotated away since the last
    /// run first, so that what their end cut continues in the file now at their old path.
    public func scan(paths: [String]) {
        guard state != nil else {
            for p in paths where !shouldStop() { scan(path: p) }
            return
        }
        extractor.evidenceOnly = false
        var peeked: [Peeked] = []
        for p in paths {
            if let input = open(p) { peeked.append(peek(input)) }
        }
        let names = Set(peeked.map(\.input.name))
        let rotated = peeked.filter { p in p.entry.map { $0.path != p.input.name && names.contains($0.path) } ?? false }
        let others = peeked.filter { p in !(p.entry.map { $0.path != p.input.name && names.contains($0.path) } ?? false) }
        for p in rotated { _ = process(p, handOffTo: p.entry!.path) && checkUnchanged(p.input) }
        for p in others { _ = process(p, handOffTo: nil) && checkUnchanged(p.input) }
    }

    func scan(_ input: OpenedInput) -> Bool {
        let read = canReadInChunks(input) ? scanSplit(input) : process(peek(input), handOffTo: nil)
        return read && checkUnchanged(input)
    }

    /// A file that shrank while it was read lost its end: an input error (the report keeps
    /// what was read). One deleted or replaced was still read in full: a warning.
    private func checkUnchanged(_ input: OpenedInput) -> Bool {
        switch InputOpener.change(of: input) {
        case nil:
            return true
        case .shrank(let from, let to)?:
            let problem = "shrank from \(from) to \(to) bytes while being read (truncated, or rotated by copytruncate): "
                + "what was read is reported, the rest was not read"
            totals.inputErrors += 1
            if let i = inputs.lastIndex(where: { $0.name == input.name }), inputs[i].error == nil { inputs[i].error = problem }
            onInputError?(InputError(input.name, problem))
            return false
        case .deleted?:
            onInputWarning?(InputError(input.name, "was deleted while being read; it was read in full through the open file"))
        case .replaced?:
            onInputWarning?(InputError(input.name, "was replaced while being read (rotated?); the file opened was read in full, not the new one"))
        }
        return true
    }

    /// Cores one large plain file may be read on (`--jobs`; see `SplitScan.swift`), the
    /// smallest file worth cutting (below it, starting the workers costs more than it saves)
    /// and the nominal chunk size.
    public var splitJobs = 1
    public var splitMinimumBytes = 64 << 20
    public var splitChunkBytes = 8 << 20
    var hasTimeline: Bool { timelineTrigger != nil }
    var extractorEvidenceOnly: Bool { extractor.evidenceOnly }

    /// The end of an input read in chunks: the same bookkeeping as `process` does for one
    /// read in one piece.
    func finishSplitInput(_ input: OpenedInput, sum: ChunkResult, failure: InputError?) -> Bool {
        let identity = peek(input).identity
        extractor.finish()
        correlator.endInput()
        borrowedLimitHits += sum.limitHits
        count(sum.totals, truncatedLines: sum.truncatedLines, bytes: sum.bytes)
        for (k, v) in sum.formats { splitAccessFormats[k, default: 0] += v }
        zone.absorb(sum.zones)
        let transport = PlainFramer().transport
        if let failure {
            fail(failure, name: input.name, transport: transport, compression: input.compression.rawValue, bytes: sum.bytes)
            return false
        }
        inputs.append(ScanReport.InputSummary(name: input.name, transport: transport, compression: input.compression.rawValue,
                                              bytes: sum.bytes, error: nil, source: options.sourceID, identity: identity,
                                              rangeStart: 0, isEvidence: false, rangeEnd: sum.bytes))
        return true
    }

    private func peek(_ input: OpenedInput) -> Peeked {
        var failure: InputError? = nil
        // The first bytes identify the input (fingerprint) and decide where to resume.
        var head = [UInt8](repeating: 0, count: InputIdentity.fingerprintLength)
        var headCount = 0
        do {
            while headCount < head.count {
                let n = try head.withUnsafeMutableBytes { try input.source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[headCount...])) }
                if n == 0 { break }
                headCount += n
            }
        } catch let error as InputError {
            failure = error
        } catch {
            failure = InputError(input.name, "\(error)")
        }
        head.removeLast(head.count - headCount)
        var identity: InputIdentity? = nil
        var entry: IncrementalState.Entry? = nil
        if let (device, inode) = input.identity {
            identity = head.withUnsafeBytes { InputIdentity(device: device, inode: inode, fingerprint: InputIdentity.fnv1a($0), fingerprintBytes: headCount) }
            if let state, !resumeDisabled {
                entry = head.withUnsafeBytes { state.entry(device: device, inode: inode, head: $0) }
            }
        }
        return Peeked(input: input, head: head, failure: failure, entry: entry, identity: identity)
    }

    private func process(_ peeked: Peeked, handOffTo successor: String?) -> Bool {
        let input = peeked.input
        var failure = peeked.failure
        var head = peeked.head
        let identity = peeked.identity
        var offset = 0
        var carried: [IncrementalState.Carried] = []
        var knownTransport: String? = nil
        var knownEnd: Int? = nil
        if let e = peeked.entry {
            offset = e.offset
            carried = e.carried
            knownTransport = e.transport
            knownEnd = e.end
        } else if let state, !resumeDisabled, input.name == "<stdin>" {
            carried = state.stdinCarried
        }
        // A file now at the path of one rotated away continues what that one's end cut.
        var prepended = 0
        if peeked.entry == nil, let h = handoffs.removeValue(forKey: input.name) {
            carried = h.carried + carried
            head = h.tail + head
            prepended = h.tail.count
        }
        let skipFromHead = min(offset, head.count)
        let source = ReplaySource(head: Array(head[skipFromHead...]), rest: input.source)
        var skipped = skipFromHead
        if failure == nil, offset > head.count {
            // Skip the bytes read by earlier runs (decompressing them, for gzip).
            var scratch = [UInt8](repeating: 0, count: 1 << 16)
            do {
                while skipped < offset {
                    let want = min(scratch.count, offset - skipped)
                    let n = try scratch.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<want])) }
                    if n == 0 { break }
                    skipped += n
                }
            } catch let error as InputError { failure = error } catch { failure = InputError(input.name, "\(error)") }
            if skipped < offset {
                // Shorter than where the last run stopped: truncated and rewritten. Start over.
                return rescanFromStart(input, reason: failure)
            }
        }

        let reader = LineReader(source: source, readSize: options.readSize, maxLineBytes: options.lineCap)
        reader.holdIncompleteTail = state != nil
        reader.finalIfBytesRead = successor == nil ? knownEnd.map { $0 - offset } : nil
        let assembler = options.assembler(sink: extractor, scratch: scratch)
        if let timelineTrigger {
            assembler.extraTriggers = [timelineTrigger]
            assembler.emitAllAccessLines = true
        }
        assembler.accessLinesOnly = extractor.evidenceOnly
        extractor.input = input.name
        zone.beginInput()
        var framer: Framer? = nil
        var localKeys: [String: Int32] = [:]
        func streamID(_ key: String) -> Int32 {
            if let naming = framer as? StreamNaming { return naming.streamID(forKey: key) }
            if key.isEmpty { return 0 }
            if let id = localKeys[key] { return id }
            let id = Int32(localKeys.count + 1)
            localKeys[key] = id
            return id
        }
        func inject() {
            for c in carried { assembler.inject(c.bytes, stream: streamID(c.streamKey), time: c.time ?? FrameSegment.noTime) }
            carried = []
        }
        var reported = 0
        if failure == nil {
            do {
                try reader.forEachBlock { block in
                    if let progress {
                        let raw = input.source.rawBytesRead
                        progress.add(raw - reported)
                        reported = raw
                    }
                    if framer == nil {
                        framer = (offset > 0 ? knownTransport.flatMap(FramerSniffer.framer(forTransport:)) : nil)
                            ?? FramerSniffer.framer(for: block.bytes)
                        inject()
                    }
                    framer!.frame(block, into: assembler)
                }
            } catch let error as InputError {
                failure = error
            } catch {
                failure = InputError(input.name, "\(error)")
            }
        }
        inject()
        framer?.finish(into: assembler)
        var leftOver: [IncrementalState.Carried] = []
        // Nothing new since the last run: what it held back (records, a last line) is final.
        let grew = reader.bytesRead > 0 && reader.bytesRead != knownEnd.map({ $0 - offset })
        // Bytes of this input's coverage: a held last line is counted where it is read in
        // full; a handed-off one is this file's; prepended bytes are the rotated file's.
        let consumed = (successor != nil ? reader.bytesRead : reader.consumedBytes) - prepended
        if let successor, failure == nil {
            // Rotated away: what its end cut continues in the file now at its old path.
            var h = Handoff(carried: [], tail: reader.heldTail)
            let key: (Int32) -> String = { id in (framer as? StreamNaming)?.streamKey(id) ?? (localKeys.first { $0.value == id }?.key ?? "") }
            for o in extractor.takePendingOrigins() {
                h.carried.append(.init(streamKey: key(o.stream), time: o.time == FrameSegment.noTime ? nil : o.time, bytes: o.bytes))
                totals.lines -= o.bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                totals.records -= 1
            }
            for u in assembler.takeUnfinished() {
                h.carried.append(.init(streamKey: key(u.stream), time: u.time == FrameSegment.noTime ? nil : u.time, bytes: u.bytes))
            }
            handoffs[successor] = h
        } else if newState != nil && grew && failure == nil {
            // Leave the records the input's end may have cut for the next run.
            let key: (Int32) -> String = { id in (framer as? StreamNaming)?.streamKey(id) ?? (localKeys.first { $0.value == id }?.key ?? "") }
            for o in extractor.takePendingOrigins() {
                leftOver.append(.init(streamKey: key(o.stream), time: o.time == FrameSegment.noTime ? nil : o.time, bytes: o.bytes))
                totals.lines -= o.bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                totals.records -= 1
            }
            for u in assembler.takeUnfinished() {
                leftOver.append(.init(streamKey: key(u.stream), time: u.time == FrameSegment.noTime ? nil : u.time, bytes: u.bytes))
            }
        }
        // Whatever was read before an error is still analysed.
        assembler.finish()
        extractor.finish()
        if !extractor.evidenceOnly { correlator.endInput() }
        // Bytes of this input's coverage: an incomplete last line held for the next run is
        // counted there.
        count(assembler.totals, truncatedLines: reader.truncatedLines, bytes: consumed)
        if newState != nil {
            if let identity {
                newState!.entries.append(.init(path: input.name, device: identity.device, inode: identity.inode,
                                                   fingerprint: identity.fingerprint, fingerprintBytes: identity.fingerprintBytes,
                                                   offset: offset + consumed, carried: leftOver,
                                                   transport: framer?.transport ?? knownTransport,
                                                   end: offset + reader.bytesRead - prepended))
            } else if input.name == "<stdin>" {
                newState!.stdinCarried = leftOver
                readStdin = true
            }
        }
        let transport = framer?.transport ?? "empty"
        if let failure {
            fail(failure, name: input.name, transport: transport, compression: input.compression.rawValue, bytes: reader.bytesRead)
            return false
        }
        var summary = ScanReport.InputSummary(name: input.name, transport: transport, compression: input.compression.rawValue,
                                              bytes: reader.bytesRead, error: nil, source: options.sourceID, identity: identity,
                                              rangeStart: offset, isEvidence: extractor.evidenceOnly, rangeEnd: offset + consumed)
        if let journal = framer as? JournalJSONFramer, let first = journal.firstCursor, let last = journal.lastCursor {
            summary.journalCursors = (first, last)
        }
        inputs.append(summary)
        return true
    }

    /// `--follow`: reads one growing input (standard input, or a file followed through
    /// rotation and truncation) and decides each failure as soon as its evidence window
    /// has passed; returns when the input ends or `shouldStop` says so.
    public func follow(path: String, shouldStop: @escaping () -> Bool) {
        totals.inputs += 1
        let name = path == "-" ? "<stdin>" : path
        let source: FollowingSource
        do {
            source = path == "-" ? FollowingSource() : try FollowingSource(path: path)
        } catch let error as InputError {
            fail(error, name: name, transport: "-", compression: "-", bytes: 0)
            return
        } catch {
            return
        }
        correlator.followMode = true
        let reader = LineReader(source: source, readSize: options.readSize, maxLineBytes: options.lineCap, sniffBytes: 1)
        let assembler = options.assembler(sink: extractor, scratch: scratch)
        extractor.input = name
        extractor.evidenceOnly = false
        zone.beginInput()
        var framer: Framer? = nil
        source.shouldStop = shouldStop
        source.onIdle = { [extractor, correlator] in
            // Quiet input: the records still open are complete, pairs will not get a twin.
            if let framer { framer.finish(into: assembler) }
            assembler.finish()
            extractor.finish()
            correlator.tick()
        }
        var failure: InputError? = nil
        do {
            try reader.forEachBlock { block in
                if framer == nil { framer = FramerSniffer.framer(for: block.bytes) }
                framer!.frame(block, into: assembler)
            }
        } catch let error as InputError {
            failure = error
        } catch {
            failure = InputError(name, "\(error)")
        }
        framer?.finish(into: assembler)
        assembler.finish()
        extractor.finish()
        count(assembler.totals, truncatedLines: reader.truncatedLines, bytes: reader.bytesRead)
        if let failure {
            fail(failure, name: name, transport: framer?.transport ?? "-", compression: "none", bytes: reader.bytesRead)
        } else {
            inputs.append(.init(name: name, transport: (framer?.transport ?? "empty") + " (followed)", compression: "none",
                                bytes: reader.bytesRead, error: nil, source: options.sourceID))
        }
    }

    /// Takes over what a worker read from the `--access-log` files (`scanAccessLogsConcurrently`)
    /// as if this session had read them first: their inputs go to the front of the list.
    func takeAccessLogs(from worker: ScanSession, errors: [InputError]) {
        errors.forEach { onInputError?($0) }
        correlator.takeFileEvidence(from: worker.correlator)
        var t = worker.totals
        for (k, v) in worker.extractor.accessFormats { t.accessFormats[k, default: 0] += v }
        t.regexLimitHits = 0
        totals.add(t)
        borrowedLimitHits += worker.scratch.limitHits
        totals.regexLimitHits = scratch.limitHits + borrowedLimitHits
        inputs.insert(contentsOf: worker.inputs, at: 0)
        zone.absorb(worker.zone.used)
    }
    /// PCRE2 limit hits of a worker's inputs (its own scratch counted them).
    private var borrowedLimitHits = 0
    /// Access-log formats seen by the workers of inputs read in chunks.
    private var splitAccessFormats: [String: Int] = [:]

    /// Folds a worker's finished report into this session (parallel scans).
    func absorb(_ r: ScanReport) {
        aggregate.absorb(r.aggregate)
        var t = r.totals
        // The shared access-log requests were counted by this session already.
        t.accessRequests = 0
        t.accessFormats = [:]
        totals.add(t)
        inputs += r.inputs
        zone.absorb(r.zones)
    }

    /// Adds one input's counters to the session's.
    private func count(_ a: AssemblyTotals, truncatedLines: Int, bytes: Int) {
        totals.bytes += bytes
        totals.lines += a.lines
        totals.records += a.records
        totals.truncatedRecords += a.truncatedRecords
        totals.recordsWithPrismaText += a.recordsWithPrismaText
        totals.accessLogLines += a.accessLogLines
        totals.truncatedLines += truncatedLines
        totals.regexLimitHits = scratch.limitHits + borrowedLimitHits
    }

    /// A file shorter than the recorded offset was truncated and rewritten: read it anew.
    private func rescanFromStart(_ input: OpenedInput, reason: InputError?) -> Bool {
        if let reason {
            fail(reason, name: input.name, transport: "-", compression: input.compression.rawValue, bytes: 0)
            return false
        }
        guard let reopened = try? InputOpener.open(input.name) else { return false }
        resumeDisabled = true
        defer { resumeDisabled = false }
        return scan(reopened)
    }

    private func fail(_ error: InputError, name: String, transport: String, compression: String, bytes: Int) {
        totals.inputErrors += 1
        inputs.append(.init(name: name, transport: transport, compression: compression, bytes: bytes, error: error.problem,
                            source: options.sourceID))
        onInputError?(error)
    }

    /// Ends the scan: failures still waiting for evidence are decided.
    public func finish() {
        guard !finished else { return }
        finished = true
        correlator.finish()
        totals.accessRequests += correlator.accessRequestsSeen
        totals.failuresOutsideWindow += correlator.outsideWindow
        totals.untimedFailuresExcluded += correlator.untimedExcluded
        totals.failuresDecidedEarly += correlator.decidedEarly
        totals.accessRequestsDropped += correlator.requestsDropped
        for (k, v) in extractor.accessFormats { totals.accessFormats[k, default: 0] += v }
        for (k, v) in splitAccessFormats { totals.accessFormats[k, default: 0] += v }
    }

    /// This machine's host name: the default source id of a partial.
    public static var hostName: String? {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count) == 0 else { return nil }
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public func report(tool: String) -> ScanReport {
        finish()
        var report = ScanReport(tool: tool, totals: totals, inputs: inputs, aggregate: aggregate, zones: zone.used,
                                window: options.correlation.window, timeWindow: options.correlation.timeWindow)
        report.remediation = options.knowledge.remediation
        report.configFiles = options.knowledge.files
        return report
    }
}
