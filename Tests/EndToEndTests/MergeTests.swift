import Foundation
import XCTest

/// `evoscan merge` of partial summaries equals a single run over the same inputs, whatever
/// the split; overlapping coverage is refused; foreign documents are rejected clearly.
final class MergeTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Binary.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// A deterministic generator (SplitMix64) for the random splits.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// Plain-text fixtures of every layout, one after the other, and the nginx log of a
    /// silent-failure scenario so that confirmed ones are part of the comparison.
    func corpus() throws -> [Substring] {
        let names = ["colour-ansi-2.2.3.log", "colour-stripped-2.3.6.log", "nocolour.log", "lite.log", "v2.0.4-rc-triple.log",
                     "bare-prisma.log", "deploy-cli.log", "pino.log", "silent/v20x-proxy-resave/evolution.log",
                     "silent/ambiguous-same-second/evolution.log"]
        var text = ""
        for n in names { text += try String(contentsOf: Binary.fixtures.appendingPathComponent(n), encoding: .utf8) }
        return text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    func accessLog() throws -> String {
        let a = try String(contentsOf: Binary.fixtures.appendingPathComponent("silent/v20x-proxy-resave/access.log"), encoding: .utf8)
        let b = try String(contentsOf: Binary.fixtures.appendingPathComponent("silent/ambiguous-same-second/access.log"), encoding: .utf8)
        let path = dir.appendingPathComponent("access.log")
        try (a + b).write(to: path, atomically: true, encoding: .utf8)
        return path.path
    }

    func json(_ r: RunResult) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], r.stderr)
    }

    /// The document without what legitimately differs between runs (input names and coverage).
    func comparable(_ d: [String: Any]) -> String {
        var d = d
        d["inputs"] = nil
        let data = try! JSONSerialization.data(withJSONObject: d, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    func testMergeOfRandomSplitsEqualsOneRun() throws {
        let lines = try corpus()
        let access = try accessLog()
        var rng = SplitMix(state: 20_250_610)
        for round in 0..<5 {
            let parts = Int.random(in: 2...5, using: &rng)
            var cuts = Set<Int>()
            while cuts.count < parts - 1 { cuts.insert(Int.random(in: 1..<(lines.count - 1), using: &rng)) }
            let bounds = [0] + cuts.sorted() + [lines.count]
            var partPaths: [String] = []
            for i in 0..<parts {
                let path = dir.appendingPathComponent("r\(round)-part\(i).log")
                try (lines[bounds[i]..<bounds[i + 1]].joined(separator: "\n") + "\n").write(to: path, atomically: true, encoding: .utf8)
                partPaths.append(path.path)
            }
            var partials: [String] = []
            for (i, p) in partPaths.enumerated() {
                let r = try Binary.run(["scan", "--format", "json", "--fail-on", "never", "--access-log", access, p])
                XCTAssertEqual(r.status, 0, r.stderr)
                let out = dir.appendingPathComponent("r\(round)-partial\(i).json")
                try r.stdout.write(to: out)
                partials.append(out.path)
            }
            let merged = try Binary.run(["merge", "--format", "json", "--fail-on", "never"] + partials)
            XCTAssertEqual(merged.status, 0, merged.stderr)
            // The access log is read once per partial: count it once per part in the single run too.
            var single = ["scan", "--format", "json", "--fail-on", "never"]
            for _ in partPaths { single += ["--access-log", access] }
            let one = try Binary.run(single + partPaths)
            XCTAssertEqual(one.status, 0, one.stderr)
            let m = try json(merged), s = try json(one)
            XCTAssertGreaterThan(m["failures_total"] as? Int ?? 0, 20)
            XCTAssertFalse((m["silent_failures"] as? [Any] ?? []).isEmpty)
            XCTAssertEqual(comparable(m), comparable(s), "round \(round): \(parts) parts at \(cuts.sorted())")
        }
    }

    func testMergeOfWholeFilesEqualsOneRunOverThem() throws {
        let files = ["colour-ansi-2.2.3.log", "nocolour.log", "journal.json", "docker-t.log"].map { Binary.fixtures.appendingPathComponent($0).path }
        var partials: [String] = []
        for (i, f) in files.enumerated() {
            let r = try Binary.run(["scan", "--format", "json", "--fail-on", "never", f])
            let out = dir.appendingPathComponent("p\(i).json")
            try r.stdout.write(to: out)
            partials.append(out.path)
        }
        let merged = try json(try Binary.run(["merge", "--format", "json"] + partials))
        let one = try json(try Binary.run(["scan", "--format", "json", "--fail-on", "never"] + files))
        XCTAssertEqual(comparable(merged), comparable(one))
        let instances = try XCTUnwrap(merged["instances"] as? [[String: Any]])
        XCTAssertFalse(instances.isEmpty)
        XCTAssertNotNil(instances.first?["minutes"] as? [String: Any], "per-minute trend per instance")
    }

    func testOverlapIsRefusedAndAnExactDuplicateCountedOnce() throws {
        let f = Binary.fixtures.appendingPathComponent("colour-ansi-2.2.3.log").path
        let a = dir.appendingPathComponent("a.json"), b = dir.appendingPathComponent("b.json")
        try (try Binary.run(["scan", "--format", "json", f])).stdout.write(to: a)
        try (try Binary.run(["scan", "--format", "json", "--window", "5", f])).stdout.write(to: b)
        let overlap = try Binary.run(["merge", a.path, b.path])
        XCTAssertEqual(overlap.status, 2)
        XCTAssertTrue(overlap.stderr.contains("both cover"), overlap.stderr)
        let dup = try Binary.run(["merge", "--format", "json", a.path, a.path])
        XCTAssertTrue(dup.stderr.contains("counted once"), dup.stderr)
        XCTAssertEqual(try json(dup)["failures_total"] as? Int, 4)
        // Different hosts may read files with the same name and content: that is no overlap.
        let c = dir.appendingPathComponent("c.json")
        try (try Binary.run(["scan", "--format", "json", "--source-id", "host-b", f])).stdout.write(to: c)
        XCTAssertEqual(try json(try Binary.run(["merge", "--format", "json", a.path, c.path]))["failures_total"] as? Int, 8)
    }

    func testOverlappingJournalCursorRangesAreRefused() throws {
        let journal = try Data(contentsOf: Binary.fixtures.appendingPathComponent("journal.json"))
        let a = dir.appendingPathComponent("a.json"), b = dir.appendingPathComponent("b.json")
        let ra = try Binary.run(["scan", "--format", "json", "--fail-on", "never", "-"], stdin: journal)
        try ra.stdout.write(to: a)
        try (try Binary.run(["scan", "--format", "json", "--fail-on", "never", "--window", "4", "-"], stdin: journal)).stdout.write(to: b)
        let input = try XCTUnwrap((try json(ra)["inputs"] as? [[String: Any]])?.first)
        XCTAssertNotNil(input["journal_cursors"], "journald partials record their cursor range")
        let r = try Binary.run(["merge", a.path, b.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("journal entries"), r.stderr)
    }

    func testForeignDocumentsAreRejected() throws {
        let old = dir.appendingPathComponent("old.json"), junk = dir.appendingPathComponent("junk.json")
        try Data(#"{"schema":"evoscan.summary/1","failures_total":3}"#.utf8).write(to: old)
        try Data("not json".utf8).write(to: junk)
        let r = try Binary.run(["merge", old.path, junk.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("schema \"evoscan.summary/1\" is not supported"), r.stderr)
        XCTAssertTrue(r.stderr.contains("not a JSON object"), r.stderr)
    }
}

final class ParallelTests: XCTestCase {
    /// With two jobs the `--access-log` files are read beside the main input; every
    /// scenario's report and event stream equal the serial run's, byte for byte.
    func testAccessLogsReadBesideTheScanEqualSerial() throws {
        var compared = 0
        for s in try SilentScenarioTests.scenarios() {
            guard FileManager.default.fileExists(atPath: s.dir.appendingPathComponent("access.log").path) else { continue }
            for format in ["json", "ndjson"] {
                let args = try SilentScenarioTests.arguments(s, format: format) + ["--fail-on", "never"]
                let serial = try Binary.run(args + ["--jobs", "1"])
                let beside = try Binary.run(args + ["--jobs", "2"])
                XCTAssertEqual(serial.status, beside.status, s.name)
                XCTAssertEqual(serial.stderr, beside.stderr, s.name)
                XCTAssertEqual(serial.out, beside.out, "\(s.name) \(format): same output, byte for byte")
                compared += 1
            }
        }
        XCTAssertGreaterThanOrEqual(compared, 20)
    }

    /// A log of 64 MiB or more is read in chunks on all cores (`SplitScan`): through the
    /// command line, with an access log read beside it, json and ndjson equal `--jobs 1`.
    func testLargeLogReadInChunksEqualsSerial() throws {
        let dir = Binary.fixtures.appendingPathComponent("silent/v20x-proxy-resave")
        let piece = try Data(contentsOf: dir.appendingPathComponent("evolution.log"))
            + (try Data(contentsOf: Binary.fixtures.appendingPathComponent("colour-ansi-2.2.3.log")))
        // Mostly ordinary one-line records (a failure per ~2 MB keeps the debug binary quick),
        // so that cuts fall everywhere, also right before and after the failures.
        let line = Data("\u{1B}[1m\u{1B}[32m[Evolution API]\u{1B}[0m \u{1B}[1m\u{1B}[32m [loja] \u{1B}[1m\u{1B}[32m v2.2.3 \u{1B}[1m\u{1B}[32m 211 \u{1B}[0m - Tue Jun 10 2025 14:07:3\u{30} LOG [ChannelStartupService] [string] ok\n".utf8)
        var filler = Data()
        while filler.count < 2 << 20 { filler.append(line) }
        var big = Data()
        big.reserveCapacity(66 << 20)
        while big.count < 65 << 20 { big.append(filler); big.append(piece) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("evoscan-large-\(getpid()).log")
        try big.write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let access = dir.appendingPathComponent("access.log").path
        for format in ["json", "ndjson"] {
            let args = ["scan", "--format", format, "--fail-on", "never", "--access-log", access, url.path]
            let serial = try Binary.run(args + ["--jobs", "1"])
            let chunked = try Binary.run(args + ["--jobs", "2"])
            XCTAssertEqual(serial.status, 0, serial.stderr)
            XCTAssertEqual(chunked.status, 0, chunked.stderr)
            XCTAssertEqual(serial.out, chunked.out, "\(format): same output, byte for byte")
            XCTAssertGreaterThan(serial.stdout.count, 1000)
        }
    }

    func testParallelScanEqualsSerial() throws {
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: Binary.fixtures.path)
            .filter { !$0.hasSuffix(".ndjson") && !$0.hasSuffix(".md") && !$0.hasSuffix(".tsv") && $0 != "silent" }
            .sorted().map { Binary.fixtures.appendingPathComponent($0).path }
        let access = Binary.fixtures.appendingPathComponent("silent/v20x-proxy-resave/access.log").path
        let evolution = Binary.fixtures.appendingPathComponent("silent/v20x-proxy-resave/evolution.log").path
        let args = ["scan", "--format", "json", "--fail-on", "never", "--access-log", access] + fixtures + [evolution]
        let serial = try Binary.run(args + ["--jobs", "1"])
        let parallel = try Binary.run(args + ["--jobs", "3"])
        XCTAssertEqual(serial.status, 0, serial.stderr)
        XCTAssertEqual(parallel.status, 0, parallel.stderr)
        XCTAssertEqual(serial.out, parallel.out, "same document, byte for byte")
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: parallel.stdout) as? [String: Any])
        XCTAssertGreaterThanOrEqual((doc["silent_by_confidence"] as? [String: Int])?["confirmed"] ?? 0, 1)
        XCTAssertGreaterThan(doc["failures_total"] as? Int ?? 0, 60)
    }
}
