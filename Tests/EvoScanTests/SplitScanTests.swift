import XCTest
@testable import EvoScan

/// One plain file read in chunks on several cores reports exactly what a serial read does:
/// every fixture and scenario, cut into chunks of a few hundred bytes (so most records sit
/// near a cut), gives the same summary document and the same event stream, byte for byte.
final class SplitScanTests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    struct Run {
        var summary: String
        var events: [String]
        var session: ScanSession
    }

    /// `streamed`: each decided event is rendered as it comes (ndjson), which keeps every
    /// failure on the session's thread; without it the workers decide and count the ones
    /// that need no evidence (`ChunkDecider`).
    func run(_ path: String, access: String? = nil, split: Bool, chunk: Int = 200, streamed: Bool = true,
             window: TimeWindow = TimeWindow()) -> Run {
        var options = ScanSession.Options()
        options.correlation.timeWindow = window
        let session = ScanSession(options: options)
        if split {
            session.splitJobs = 2
            session.splitMinimumBytes = 0
            session.splitChunkBytes = chunk
        }
        var events: [String] = []
        if streamed { session.aggregate.onEvent = { events.append(EventJSON.failure($0).serialized()) } }
        if let access { session.scanAccessLog(path: access) }
        session.scan(paths: [path])
        let report = session.report(tool: "test")
        return Run(summary: SummaryJSON.render(report).serialized(), events: events, session: session)
    }

    /// Plain logs among the fixtures and the scenarios (other transports are never cut).
    func plainLogs() throws -> [(log: String, access: String?)] {
        let fm = FileManager.default
        var out: [(String, String?)] = try fm.contentsOfDirectory(atPath: Self.root.path).sorted()
            .filter { $0.hasSuffix(".log") }.map { (Self.root.appendingPathComponent($0).path, nil) }
        let silent = Self.root.appendingPathComponent("silent")
        for name in try fm.contentsOfDirectory(atPath: silent.path).sorted() {
            let log = silent.appendingPathComponent(name).appendingPathComponent("evolution.log")
            guard fm.fileExists(atPath: log.path) else { continue }
            let access = silent.appendingPathComponent(name).appendingPathComponent("access.log")
            out.append((log.path, fm.fileExists(atPath: access.path) ? access.path : nil))
        }
        return out
    }

    func testChunkedReadEqualsSerialOnEveryPlainLog() throws {
        var cutFiles = 0
        for (log, access) in try plainLogs() {
            let serial = run(log, access: access, split: false)
            for chunk in [150, 700] {
                let split = run(log, access: access, split: true, chunk: chunk)
                XCTAssertEqual(split.summary, serial.summary, "\(log) chunk \(chunk): summary")
                XCTAssertEqual(split.events, serial.events, "\(log) chunk \(chunk): events")
            }
            let planner = try planned(log, chunk: 150)
            if planner > 1 { cutFiles += 1 }
        }
        XCTAssertGreaterThanOrEqual(cutFiles, 10, "most logs are really cut")
    }

    /// The workers decide the failures that need no evidence and count them in chunk
    /// aggregates; the report is still the serial one, with and without --since/--until
    /// (a window over the middle third of each log, so failures fall on both sides).
    func testFailuresDecidedOnTheWorkersGiveTheSerialReport() throws {
        var decidedOnWorkers = 0, surfaced = 0
        for (log, access) in try plainLogs() {
            let serial = run(log, access: access, split: false, streamed: false)
            XCTAssertEqual(serial.summary, run(log, access: access, split: false).summary, "\(log): streaming changes nothing")
            var windows = [TimeWindow()]
            if let first = serial.session.aggregate.firstSeen, let last = serial.session.aggregate.lastSeen, last.seconds - first.seconds >= 3 {
                let third = (last.seconds - first.seconds) / 3
                windows.append(TimeWindow(since: first.adding(seconds: third), until: last.adding(seconds: -third)))
            }
            for window in windows {
                let expected = window.isUnbounded ? serial : run(log, access: access, split: false, streamed: false, window: window)
                for chunk in [150, 700] {
                    let split = run(log, access: access, split: true, chunk: chunk, streamed: false, window: window)
                    XCTAssertEqual(split.summary, expected.summary, "\(log) chunk \(chunk) window \(window)")
                }
            }
            decidedOnWorkers += (serial.session.aggregate.outcomes[.background] ?? 0) + (serial.session.aggregate.outcomes[.surfaced] ?? 0)
            surfaced += serial.session.aggregate.outcomes[.surfaced] ?? 0
        }
        XCTAssertGreaterThan(decidedOnWorkers, 20, "the fixtures have failures the workers can decide")
        XCTAssertGreaterThan(surfaced, 3, "and failures that are evidence for others")
    }

    /// A failure the workers decide still holds its place in the correlator's queue: here a
    /// background failure logged with a later time than the silent pair after it keeps
    /// that pair waiting, so the 201 logged after them is seen, as in a serial read.
    func testADecidedFailureKeepsTheQueueOrder() throws {
        let bare = "[Evolution API]" + Samples.pair223.components(separatedBy: "\n\n[Evolution API]")[1]
        let background = bare.replacingOccurrences(of: "14:07:31", with: "14:08:00").replacingOccurrences(of: "[unhandledRejection]", with: "[ChannelStartupService]")
        func nginx(_ time: String, _ path: String) -> String {
            #"203.0.113.7 - - [10/Jun/2025:\#(time) +0000] "POST \#(path) HTTP/1.1" 201 212 "-" "Mozilla/5.0""#
        }
        // One-line records where the file may be cut.
        let quiet = (0..<3).map { _ in colourHeader(level: "INFO", fg: 4, bg: 4, context: "ChannelStartupService", type: "string", value: "Browser: Evolution API") }
            .joined(separator: "\n")
        let log = [quiet, background, quiet, Samples.pair223, quiet, nginx("17:07:50", "/settings/set/other"), quiet,
                   nginx("17:07:32", "/proxy/set/loja-centro"), quiet, nginx("17:08:30", "/settings/set/other")].joined(separator: "\n") + "\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evoscan-queue-order-\(getpid()).log").path
        try log.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let serial = run(path, split: false, streamed: false)
        XCTAssertEqual(serial.session.aggregate.outcomes[.background], 1)
        XCTAssertEqual(serial.session.aggregate.silentFailures.map(\.instance), ["loja-centro"])
        for chunk in [150, 700] {
            XCTAssertEqual(run(path, split: true, chunk: chunk, streamed: false).summary, serial.summary, "chunk \(chunk)")
        }
        XCTAssertGreaterThan(try planned(path, chunk: 150), 2)
    }

    /// Error bodies repeated across chunks: each worker takes the facts the other one
    /// extracted (`SharedFactsTable`) and the report is still the serial one.
    func testFactsSharedBetweenWorkersGiveTheSerialReport() throws {
        let bare = "[Evolution API]" + Samples.pair223.components(separatedBy: "\n\n[Evolution API]")[1]
        let quiet = colourHeader(level: "INFO", fg: 4, bg: 4, context: "ChannelStartupService", type: "string", value: "Browser: Evolution API")
        var records: [String] = []
        for i in 0..<120 {
            let second = String(format: "%02d", i % 60)
            let body = i % 3 == 0 ? bare : bare.replacingOccurrences(of: "P2002", with: i % 3 == 1 ? "P2003" : "P2025")
            records.append(quiet)
            records.append(body.replacingOccurrences(of: "14:07:31", with: "14:0\(i / 60 + 1):\(second)")
                .replacingOccurrences(of: "[unhandledRejection]", with: "[ChannelStartupService]"))
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("evoscan-shared-facts-\(getpid()).log").path
        try (records.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let serial = run(path, split: false, streamed: false)
        XCTAssertEqual(serial.session.aggregate.failuresTotal, 120)
        XCTAssertEqual(serial.session.aggregate.codes, ["P2002": 40, "P2003": 40, "P2025": 40])
        for chunk in [700, 3000] {
            XCTAssertEqual(run(path, split: true, chunk: chunk, streamed: false).summary, serial.summary, "chunk \(chunk)")
        }
    }

    func testSharedFactsAreCopies() throws {
        let table = SharedFactsTable()
        var f = PrismaFacts()
        f.code = "P2002"
        f.model = "AVeryLongModelNameThatIsNotSmall"
        f.fields = ["instanceIdentifierThatIsLong"]
        var body = Array("\n{\n  code: 'P2002'\n}".utf8)
        try body.withUnsafeMutableBytes { raw in
            let b = UnsafeRawBufferPointer(raw)
            XCTAssertNil(table.lookup(b))
            table.store(b, [f])
            let got = try XCTUnwrap(table.lookup(b))
            XCTAssertEqual(got, [f])
        }
    }

    /// The chunks a file is cut into.
    func planned(_ path: String, chunk: Int) throws -> Int {
        let input = try InputOpener.open(path)
        let file = try XCTUnwrap(input.regularFile)
        var planner = ChunkPlanner(fd: file.fd, name: path, size: file.size, chunkBytes: chunk)
        var n = 0
        var covered = 0
        while let r = try planner.next() {
            XCTAssertEqual(r.lowerBound, covered, "chunks are contiguous")
            covered = r.upperBound
            n += 1
        }
        XCTAssertEqual(covered, file.size)
        return n
    }

    /// A cut lands on a header line after a plain one-line record, never inside a pair:
    /// the origin record of an `[unhandledRejection]` pair and its twin stay together.
    func testCutsAvoidRecordsThatCarryErrors() throws {
        let plain = "[Evolution API]    v2.2.3  211   -  Tue Jun 10 2025 14:07:30     LOG   [ChatwootService]  [string] ok\n"
        let text = String(repeating: plain, count: 3) + Samples.pair223 + String(repeating: plain, count: 3)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("evoscan-cut-\(getpid()).log")
        try Data(text.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let input = try InputOpener.open(url.path)
        let file = try XCTUnwrap(input.regularFile)
        let pairStart = try XCTUnwrap(text.utf8.count - Samples.pair223.utf8.count - 3 * plain.utf8.count)
        let pairEnd = pairStart + Samples.pair223.utf8.count
        var cuts: [Int] = []
        for nominal in stride(from: 0, to: file.size, by: 7) {
            let planner = ChunkPlanner(fd: file.fd, name: url.path, size: file.size, chunkBytes: 1)
            if let cut = try planner.cut(near: nominal) { cuts.append(cut) }
        }
        XCTAssertFalse(cuts.isEmpty)
        for cut in cuts { XCTAssertFalse(cut > pairStart && cut <= pairEnd, "cut at \(cut) inside the pair \(pairStart)..<\(pairEnd)") }
        XCTAssertTrue(cuts.contains(pairEnd + plain.utf8.count), "the first cut after the pair: behind one plain record")
        let serial = run(url.path, split: false)
        let split = run(url.path, split: true, chunk: 40)
        XCTAssertEqual(serial.events.count, 1)
        XCTAssertEqual(split.events, serial.events)
        XCTAssertEqual(split.session.totals.lines, serial.session.totals.lines)
        XCTAssertEqual(split.session.totals.records, serial.session.totals.records)
    }
}
