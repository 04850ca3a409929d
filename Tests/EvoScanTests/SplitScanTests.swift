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

    func run(_ path: String, access: String? = nil, split: Bool, chunk: Int = 200) -> Run {
        let session = ScanSession()
        if split {
            session.splitJobs = 2
            session.splitMinimumBytes = 0
            session.splitChunkBytes = chunk
        }
        var events: [String] = []
        session.aggregate.onEvent = { events.append(EventJSON.failure($0).serialized()) }
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
