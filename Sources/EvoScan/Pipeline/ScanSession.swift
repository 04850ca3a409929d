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
    }

    public let options: Options
    public let aggregate = Aggregator()
    public let correlator: SilentFailureCorrelator
    public private(set) var totals = ScanTotals()
    public private(set) var inputs: [ScanReport.InputSummary] = []
    public let zone: ZoneResolver
    private let scratch = RegexScratch()
    private let redactor = Redactor()
    private let extractor: RecordExtractor
    private var finished = false
    /// One line per input problem, for stderr.
    public var onInputError: ((InputError) -> Void)?

    public init(options: Options = Options()) {
        self.options = options
        zone = ZoneResolver(flag: options.logZone)
        correlator = SilentFailureCorrelator(next: aggregate, options: options.correlation)
        extractor = RecordExtractor(sink: correlator, zone: zone, redactor: redactor, scratch: scratch)
        extractor.evidence = correlator
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

    private func scan(_ input: OpenedInput) -> Bool {
        let reader = LineReader(source: input.source, readSize: options.readSize, maxLineBytes: options.lineCap)
        let assembler = RecordAssembler(sink: extractor, cap: options.recordCap, scratch: scratch)
        extractor.input = input.name
        zone.beginInput()
        var framer: Framer? = nil
        var failure: InputError? = nil
        var identity: InputIdentity? = nil
        do {
            try reader.forEachBlock { block in
                if framer == nil {
                    framer = FramerSniffer.framer(for: block.bytes)
                    if let (device, inode) = input.identity {
                        let n = min(InputIdentity.fingerprintLength, block.bytes.count)
                        identity = InputIdentity(device: device, inode: inode,
                                                 fingerprint: InputIdentity.fnv1a(UnsafeRawBufferPointer(rebasing: block.bytes[0..<n])),
                                                 fingerprintBytes: n)
                    }
                }
                framer!.frame(block, into: assembler)
            }
        } catch let error as InputError {
            failure = error
        } catch {
            failure = InputError(input.name, "\(error)")
        }
        // Whatever was read before an error is still analysed.
        framer?.finish(into: assembler)
        assembler.finish()
        extractor.finish()
        let a = assembler.totals
        totals.bytes += reader.bytesRead
        totals.lines += a.lines
        totals.records += a.records
        totals.truncatedRecords += a.truncatedRecords
        totals.recordsWithPrismaText += a.recordsWithPrismaText
        totals.accessLogLines += a.accessLogLines
        totals.truncatedLines += reader.truncatedLines
        totals.regexLimitHits = scratch.limitHits
        let transport = framer?.transport ?? "empty"
        if let failure {
            fail(failure, name: input.name, transport: transport, compression: input.compression.rawValue, bytes: reader.bytesRead)
            return false
        }
        inputs.append(.init(name: input.name, transport: transport, compression: input.compression.rawValue, bytes: reader.bytesRead,
                            error: nil, source: options.sourceID, identity: identity, isEvidence: extractor.evidenceOnly))
        return true
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
        totals.accessRequests = correlator.accessRequestsSeen
        totals.failuresOutsideWindow = correlator.outsideWindow
        totals.untimedFailuresExcluded = correlator.untimedExcluded
        totals.accessFormats = extractor.accessFormats
    }

    /// This machine's host name: the default source id of a partial.
    public static var hostName: String? {
        var buf = [CChar](repeating: 0, count: 256)
        guard gethostname(&buf, buf.count) == 0 else { return nil }
        return String(cString: buf)
    }

    public func report(tool: String) -> ScanReport {
        finish()
        return ScanReport(tool: tool, totals: totals, inputs: inputs, aggregate: aggregate, zones: zone.used,
                          window: options.correlation.window, timeWindow: options.correlation.timeWindow)
    }
}
