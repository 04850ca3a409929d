import EvoScan
import Foundation

/// libFuzzer targets, one per parser that takes outside bytes (`FUZZING.md`). The fuzzer
/// binary (`EvoScanFuzz`, built by `scripts/fuzz.sh`) runs the one `EVOSCAN_FUZZ_TARGET`
/// names; the tests run every saved crash input and every fixture through all of them.
/// Each target must return normally on any input; a crash, a sanitizer report, a time-out
/// or a memory blow-up is a finding. Public API only: this is what a caller can reach.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The whole pipeline on one input: compression and format detection, framing, records,
    /// extraction, correlation, aggregation and the JSON report.
    case scan
    /// Every framer (plain, journald JSON, docker, Loki, the prefixed transports) on the
    /// same bytes, whatever the sniffer would pick.
    case framing
    /// The journald JSON decoder alone (`journalctl -o json`, `-o json-seq`).
    case journal
    /// The Evolution record assembler with every record handed on, and the header parser.
    case records
    /// The Prisma error extractor and the redactor on one record.
    case prisma
    /// The access-log parsers on every line (nginx, Apache, Traefik, NPM, Caddy).
    case access
    /// The `--state` file loader.
    case state
    /// The summary loader (`evoscan merge`, `evoscan diff`).
    case summary
    /// The config reader (`--config`), and a valid config's redaction rules and access-log
    /// formats on a few lines.
    case config

    public func run(_ data: UnsafeRawBufferPointer) {
        switch self {
        case .scan: Self.scan(data)
        case .framing: for name in Self.transports { Self.frame(data, with: FramerSniffer.framer(forTransport: name)!) }
        case .journal: Self.frame(data, with: JournalJSONFramer())
        case .records: Self.records(data)
        case .prisma: Self.prisma(data)
        case .access: Self.access(data)
        case .state: Self.state(data)
        case .summary: _ = try? SummaryReader.read(Data(data), name: "fuzz.json")
        case .config: Self.config(data)
        }
    }

    static let transports = ["plain", UndoubledBlankLinesFramer().transport, JournalJSONFramer().transport, DockerJSONFramer().transport,
                             LokiJSONLFramer().transport] + TransportPrefix.all.map(\.name)

    /// The first byte picks an evidence-only (`--access-log`) read, so both paths get inputs.
    static func scan(_ data: UnsafeRawBufferPointer) {
        let session = ScanSession()
        session.onInputError = { _ in }
        session.scan(bytes: Array(data), name: "fuzz.log", accessLog: data.first.map { $0 & 1 == 1 } ?? false)
        session.finish()
        _ = SummaryJSON.render(session.report(tool: "evoscan-fuzz")).bytes(pretty: true)
    }

    /// Small reads and a small line cap, so that lines cut at the cap and lines across
    /// reads happen on fuzzer-sized inputs.
    static func frame(_ data: UnsafeRawBufferPointer, with framer: Framer) {
        let sink = CountingSink()
        let reader = LineReader(source: MemorySource(Array(data)), readSize: 64, maxLineBytes: 256, sniffBytes: 64)
        try? reader.forEachBlock { framer.frame($0, into: sink) }
        framer.finish(into: sink)
    }

    static func records(_ data: UnsafeRawBufferPointer) {
        let records = CollectingRecordSink()
        let assembler = RecordAssembler(sink: records, cap: 512)
        assembler.emitAll = true
        let reader = LineReader(source: MemorySource(Array(data)), readSize: 64, maxLineBytes: 256, sniffBytes: 64)
        let framer = PlainFramer()
        try? reader.forEachBlock { framer.frame($0, into: assembler) }
        assembler.finish()
        let scratch = RegexScratch()
        for record in records.records { record.withUnsafeBytes { _ = EvolutionHeaderParser.parse($0, scratch: scratch) } }
    }

    static func prisma(_ data: UnsafeRawBufferPointer) {
        let facts = PrismaErrorExtractor().extract(data)
        let redactor = Redactor()
        _ = redactor.redact(String(decoding: data, as: UTF8.self))
        for f in facts { _ = f.fields.map(redactor.redact) }
    }

    static func access(_ data: UnsafeRawBufferPointer) {
        let scratch = RegexScratch()
        let parser = AccessLogParser(scratch: scratch)
        var start = 0
        while start <= data.count {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.count
            _ = parser.parse(UnsafeRawBufferPointer(rebasing: data[start..<end]), input: "fuzz.log")?.managerInstanceId(scratch: scratch)
            start = end + 1
        }
    }

    static let configProbes = [
        #"203.0.113.7 - - [10/Jun/2025:14:07:31 -0300] "POST /crm/set/loja-centro HTTP/1.1" 201 389 "-" "curl/8" password=hunter2"#,
        #"203.0.113.7 [2025-06-10T17:07:30.990Z] "POST /proxy/set/a%20b HTTP/1.1" 201 40ms token: 'abc' Bearer abcdefghijk"#,
    ]

    static func config(_ data: UnsafeRawBufferPointer) {
        guard let knowledge = try? Knowledge.builtIn.reading(text: String(decoding: data, as: UTF8.self), file: "fuzz.toml") else { return }
        let redactor = Redactor(rules: knowledge.redactions)
        let parser = AccessLogParser(scratch: RegexScratch(), catalog: knowledge.accessLogs)
        for probe in configProbes {
            _ = redactor.redact(probe)
            var line = Array(probe.utf8)
            _ = line.withUnsafeMutableBytes { parser.parse(UnsafeRawBufferPointer($0), input: "fuzz.log") }
        }
    }

    static func state(_ data: UnsafeRawBufferPointer) {
        let path = NSTemporaryDirectory() + "evoscan-fuzz-state-\(getpid()).json"
        guard FileManager.default.createFile(atPath: path, contents: Data(data)) else { return }
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try? IncrementalState.load(path)
    }
}

final class CountingSink: FramedLineSink {
    var bytes = 0
    func consume(_ b: UnsafeRawBufferPointer, segments: UnsafeBufferPointer<FrameSegment>?) { bytes += b.count }
}

final class CollectingRecordSink: RecordSink {
    var records: [[UInt8]] = []
    func record(_ record: RawRecord) { if records.count < 64 { records.append(Array(record.bytes)) } }
    func accessLinesSeen(_ count: Int) {}
}
