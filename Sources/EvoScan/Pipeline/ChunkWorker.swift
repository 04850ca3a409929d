/// One worker of a log read in chunks (`SplitScan`): its PCRE2 scratch, redactor, read
/// buffer and extractor live as long as the worker and serve chunk after chunk. A fresh
/// extractor per chunk started with an empty facts cache each time: every error body
/// was extracted again in every 8 MiB chunk (1,761 distinct bodies in the 1 GiB dense log).
final class ChunkWorker {
    let scratch = RegexScratch()
    private let redactor: Redactor
    private let reader: LineReader
    private let log = ExtractionLog()
    private let zone: ZoneResolver
    private let extractor: RecordExtractor
    private let options: ScanSession.Options
    private let fd: Int32
    private let name: String
    private var chunks = 0

    /// Decides and counts the failures that need no evidence, when the session lets it.
    private let decider: ChunkDecider?

    init(fd: Int32, name: String, options: ScanSession.Options, decide: Bool, sharedFacts: SharedFactsTable? = nil) {
        self.fd = fd
        self.name = name
        self.options = options
        reader = LineReader(source: RangeSource(fd: fd, name: name, range: 0..<0), readSize: options.readSize,
                            maxLineBytes: options.lineCap)
        zone = ZoneResolver(flag: options.logZone)
        decider = decide ? ChunkDecider(log: log, correlation: options.correlation) : nil
        redactor = Redactor(rules: options.knowledge.redactions)
        extractor = RecordExtractor(sink: decider ?? log, zone: zone, redactor: redactor, scratch: scratch,
                                    accessLogs: options.knowledge.accessLogs)
        extractor.evidence = log
        extractor.keepsRawOrigins = false
        extractor.sharedFacts = sharedFacts
        extractor.input = name
    }

    /// Access-log formats and time zones seen in all the worker's chunks.
    var accessFormats: [String: Int] { extractor.accessFormats }
    var zones: [String: ZoneResolver.Source] { zone.used }

    /// Framing, record assembly and extraction of one chunk, logged for the replay.
    func scan(_ range: Range<Int>, progress: ProgressLine?) -> ScanSession.ChunkResult {
        let assembler = options.assembler(sink: extractor, scratch: scratch)
        let source = RangeSource(fd: fd, name: name, range: range)
        reader.restart(source: source)
        let framer = PlainFramer()
        var result = ScanSession.ChunkResult()
        var reported = 0
        do {
            try reader.forEachBlock { block in
                if let progress {
                    progress.add(source.rawBytesRead - reported)
                    reported = source.rawBytesRead
                }
                framer.frame(block, into: assembler)
            }
        } catch let error as InputError {
            result.error = error
        } catch {
            result.error = InputError(name, "\(error)")
        }
        framer.finish(into: assembler)
        assembler.finish()
        for e in extractor.takeWaitingOrigins() { log.waiting(e) }
        result.items = log.take()
        result.aggregate = decider?.takeAggregate()
        result.totals = assembler.totals
        result.bytes = reader.bytesRead
        result.truncatedLines = reader.truncatedLines
        chunks += 1
        // The worker's malloc arena keeps what was freed in it (the chunk's records, and
        // events freed on the session's thread after the replay); every 16 chunks (128 MiB)
        // it goes back, so a 4 GiB scan stays within a few MiB of a 1 GiB one.
        if chunks % 16 == 0 { MallocTuning.releaseFreed() }
        return result
    }
}
