import Foundation

/// One large plain log read on several cores.
///
/// The file is cut into chunks at record boundaries (`ChunkPlanner`); workers run
/// framing, record assembly and extraction on one chunk each, with their own scratch, and
/// log what the extraction produced (`ExtractionLog`). This session replays the logs
/// chunk after chunk into its correlator, so the correlation and the aggregation see the
/// exact sequence a serial read produces: the report is byte-identical (tested), and the
/// record numbers are renumbered as if one assembler had read the whole file.
///
/// Memory stays bounded: a worker reads its chunk through its own 1 MiB buffer, and at
/// most `maxAhead` finished chunks wait for the replay.
extension ScanSession {
    /// Is `input` a large plain regular file that may be read in chunks now?
    func canReadInChunks(_ input: OpenedInput) -> Bool {
        guard splitJobs > 1, state == nil, input.compression == .none, let file = input.regularFile,
              file.size >= splitMinimumBytes, !hasTimeline, !extractorEvidenceOnly else { return false }
        guard let head = try? RangeSource.bytes(fd: file.fd, name: input.name, at: 0, count: 64 << 10) else { return false }
        let framer = head.withUnsafeBytes { FramerSniffer.framer(for: $0) }
        return framer is PlainFramer && framer.transport == PlainFramer().transport
    }

    /// What one chunk produced; summed over the chunks for the input, where the access-log
    /// formats, zones and PCRE2 limit hits come from the workers at the end.
    struct ChunkResult {
        var items: [ExtractionLog.Item] = []
        /// The failures the worker decided and counted itself (`ChunkDecider`).
        var aggregate: Aggregator? = nil
        var totals = AssemblyTotals()
        var bytes = 0
        var truncatedLines = 0
        var formats: [String: Int] = [:]
        var zones: [String: ZoneResolver.Source] = [:]
        var limitHits = 0
        var error: InputError?
    }

    /// Reads `input` (eligible, see `canReadInChunks`) on `splitJobs` cores.
    func scanSplit(_ input: OpenedInput) -> Bool {
        let file = input.regularFile!
        let name = input.name
        let options = self.options
        final class Shared: @unchecked Sendable {
            let cond = NSCondition()
            var planner: ChunkPlanner
            var planned = 0
            var consumed = 0
            var results: [Int: ChunkResult] = [:]
            var stop = false
            var limitHits = 0
            var formats: [String: Int] = [:]
            var zones: [String: ZoneResolver.Source] = [:]
            var workersLeft: Int
            init(_ planner: ChunkPlanner, workers: Int) { self.planner = planner; workersLeft = workers }
        }
        let workers = splitJobs
        // Events shown one by one as they are decided keep their serial order.
        let decideInWorkers = aggregate.onEvent == nil
        let sharedFacts = SharedFactsTable()
        let maxAhead = workers + 2
        let shared = Shared(ChunkPlanner(fd: file.fd, name: name, size: file.size, chunkBytes: splitChunkBytes), workers: workers)
        let progress = self.progress
        for _ in 0..<workers {
            let thread = Thread {
                let worker = ChunkWorker(fd: file.fd, name: name, options: options, decide: decideInWorkers, sharedFacts: sharedFacts)
                while true {
                    shared.cond.lock()
                    while !shared.stop && shared.planned - shared.consumed >= maxAhead { shared.cond.wait() }
                    var range: Range<Int>? = nil
                    var planError: InputError? = nil
                    if !shared.stop {
                        do { range = try shared.planner.next() } catch let e as InputError { planError = e } catch {}
                    }
                    let index = shared.planned
                    if range != nil || planError != nil { shared.planned += 1 }
                    shared.cond.unlock()
                    var result: ChunkResult
                    if let range {
                        result = worker.scan(range, progress: progress)
                    } else if let planError {
                        result = ChunkResult(error: planError)
                    } else {
                        break
                    }
                    shared.cond.lock()
                    shared.results[index] = result
                    if result.error != nil { shared.stop = true }
                    shared.cond.broadcast()
                    shared.cond.unlock()
                }
                shared.cond.lock()
                shared.limitHits += worker.scratch.limitHits
                for (k, v) in worker.accessFormats { shared.formats[k, default: 0] += v }
                for (k, v) in worker.zones where shared.zones[k] == nil { shared.zones[k] = v }
                shared.workersLeft -= 1
                shared.cond.broadcast()
                shared.cond.unlock()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }

        var replay = SplitReplay(correlator: correlator, aggregate: aggregate)
        var sum = ChunkResult()
        var failure: InputError? = nil
        var index = 0
        while true {
            shared.cond.lock()
            while shared.results[index] == nil && !(shared.workersLeft == 0 && index >= shared.planned) { shared.cond.wait() }
            guard let result = shared.results.removeValue(forKey: index) else { shared.cond.unlock(); break }
            shared.consumed = index + 1
            if shouldStop() { shared.stop = true }
            shared.cond.broadcast()
            shared.cond.unlock()
            // What was read before an error is still analysed.
            replay.replay(result)
            sum.totals.add(result.totals)
            sum.bytes += result.bytes
            sum.truncatedLines += result.truncatedLines
            if let e = result.error { failure = e; break }
            index += 1
        }
        // Wait for the workers: they hold the descriptor and count their PCRE2 limit hits.
        shared.cond.lock()
        shared.stop = true
        shared.cond.broadcast()
        while shared.workersLeft > 0 { shared.cond.wait() }
        sum.limitHits = shared.limitHits
        sum.formats = shared.formats
        sum.zones = shared.zones
        shared.cond.unlock()
        replay.finish()
        return finishSplitInput(input, sum: sum, failure: failure)
    }
}

/// Feeds the chunks' extraction logs to the correlator as one extractor reading the whole
/// file would have: record numbers continue across chunks, and an origin record still
/// waiting for its twin at a chunk's end is held until the next failure of its stream,
/// as `RecordExtractor` holds it (the cut never separates a twin from its origin).
struct SplitReplay {
    let correlator: SilentFailureCorrelator
    /// Where the failures the workers decided are counted.
    let aggregate: Aggregator
    /// Samples are redacted when read, on this thread: they are handed this redactor
    /// instead of their worker's, which is busy with the next chunk.
    private let redactor: Redactor
    private var held: [Int32: FailureEvent] = [:]
    private var sequenceOffset = 0

    init(correlator: SilentFailureCorrelator, aggregate: Aggregator) {
        self.correlator = correlator
        self.aggregate = aggregate
        redactor = Redactor(rules: correlator.options.knowledge.redactions)
    }

    mutating func replay(_ chunk: ScanSession.ChunkResult) {
        for item in chunk.items {
            switch item {
            case .failure(let e):
                let e = arrival(of: e)
                correlator.failure(e)
            case .waitingOrigin(let e):
                let e = arrival(of: e)
                held[e.stream] = e
            case .request(let r, let fromFile):
                correlator.request(r, fromAccessLogFile: fromFile)
            case .testProxy(let t, let line, let input):
                correlator.testProxySucceeded(at: t, line: line, input: input)
            case .requestsSeen(let n):
                correlator.requestsSeen(n)
            case .decided(let upTo, let stream):
                arrival(on: stream)
                correlator.decidedElsewhere(upTo: upTo)
            case .surfaced(let code, let context, let time, let stream):
                arrival(on: stream)
                correlator.noteSurfaced(code: code, context: context, at: time)
            }
        }
        if let counted = chunk.aggregate { aggregate.absorb(counted) }
        sequenceOffset += chunk.totals.records
    }

    /// A failure of `stream` arrives: an origin held from an earlier chunk goes first, as
    /// the serial extractor hands it on at the next failure of its stream.
    private mutating func arrival(on stream: Int32) {
        if let waiting = held.removeValue(forKey: stream) { correlator.failure(waiting) }
    }

    /// `arrival(on:)` for a logged event, renumbered as one extractor reading the whole
    /// file would have, its sample redacted on this thread.
    private mutating func arrival(of event: FailureEvent) -> FailureEvent {
        var e = event
        e.sequence += sequenceOffset
        e.sample = e.sample.redacted(by: redactor)
        arrival(on: e.stream)
        return e
    }

    /// End of the file: origins that never met a twin are failures of their own.
    mutating func finish() {
        for key in held.keys.sorted() { correlator.failure(held[key]!) }
        held.removeAll()
    }
}
