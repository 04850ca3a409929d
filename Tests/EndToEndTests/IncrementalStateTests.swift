import Foundation
import XCTest

/// The nightly job: `--state` runs over a log that grows, is rotated by rename and by
/// copytruncate, and is compressed, add up (through `evoscan merge`) to one run over
/// everything: no line lost, none counted twice. A run killed mid-way changes nothing.
final class IncrementalStateTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Binary.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Several layouts one after the other: ~60 failures, pairs, multi-line records.
    func corpus() throws -> [UInt8] {
        let names = ["colour-ansi-2.2.3.log", "colour-stripped-2.3.6.log", "nocolour.log", "lite.log", "v2.0.4-rc-triple.log",
                     "bare-prisma.log", "deploy-cli.log", "pino.log", "doubled-blank-lines.log"]
        var all: [UInt8] = []
        for n in names { all += Array(try Data(contentsOf: Binary.fixtures.appendingPathComponent(n))) }
        return all
    }

    func append(_ bytes: ArraySlice<UInt8>, to name: String) throws {
        if !FileManager.default.fileExists(atPath: path(name)) { FileManager.default.createFile(atPath: path(name), contents: nil) }
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path(name)))
        try h.seekToEnd()
        try h.write(contentsOf: Data(bytes))
        try h.close()
    }

    func shell(_ command: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        p.currentDirectoryURL = dir
        try p.run()
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 0, command)
    }

    func nightly(_ night: Int) throws -> String {
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix("app.log") }.sorted()
        let r = try Binary.run(["scan", "--state", path("state.json"), "--format", "json", "--fail-on", "never"] + files.map(path))
        XCTAssertEqual(r.status, 0, "night \(night): \(r.stderr)")
        let out = path("night-\(night).json")
        try r.stdout.write(to: URL(fileURLWithPath: out))
        return out
    }

    func doc(_ r: RunResult) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], r.stderr)
    }

    /// What must be equal between the merged nights and one run over everything.
    func essentials(_ d: [String: Any]) -> String {
        let t = d["totals"] as? [String: Any] ?? [:]
        let picked: [String: Any] = [
            "failures_total": d["failures_total"] ?? 0, "codes": d["codes"] ?? [:], "groups": d["groups"] ?? [],
            "instances": d["instances"] ?? [], "outcomes": d["outcomes"] ?? [:],
            // Input names differ (app.log, app.log.1 … against whole.log); the rest must not.
            "silent_failures": (d["silent_failures"] as? [[String: Any]] ?? []).map { s in s.filter { $0.key != "input" } },
            "lines": t["lines"] ?? 0, "records": t["records"] ?? 0, "bytes": t["bytes"] ?? 0, "period": d["period"] ?? [:],
        ]
        return String(decoding: try! JSONSerialization.data(withJSONObject: picked, options: [.sortedKeys]), as: UTF8.self)
    }

    func testAMonthOfNightlyRunsEqualsOneRun() throws {
        let corpus = try corpus()
        var rng = MergeTests.SplitMix(state: 424_242)
        // 30 days of appends, cut anywhere (mid-line and mid-record too).
        var cuts = Set<Int>()
        while cuts.count < 29 { cuts.insert(Int.random(in: 1..<corpus.count, using: &rng)) }
        let bounds = [0] + cuts.sorted() + [corpus.count]
        var partials: [String] = []
        for day in 0..<30 {
            switch day {
            case 8:  // logrotate: rename
                try shell("mv app.log app.log.1")
            case 15: // logrotate copytruncate (the old .1 shifts to .2)
                try shell("mv app.log.1 app.log.2 && cp app.log app.log.1 && : > app.log")
            case 22: // compress the older rotations
                try shell("gzip -n app.log.2")
            default: break
            }
            try append(corpus[bounds[day]..<bounds[day + 1]], to: "app.log")
            partials.append(try nightly(day))
        }
        // One more run after the writes stop: the records left open at the end come out.
        partials.append(try nightly(30))
        try Data(corpus).write(to: URL(fileURLWithPath: path("whole.log")))
        let one = try doc(try Binary.run(["scan", "--format", "json", "--fail-on", "never", path("whole.log")]))
        let merged = try Binary.run(["merge", "--format", "json", "--fail-on", "never"] + partials)
        XCTAssertEqual(merged.status, 0, merged.stderr)
        let m = try doc(merged)
        XCTAssertGreaterThan(one["failures_total"] as? Int ?? 0, 20)
        XCTAssertEqual(essentials(m), essentials(one))
    }

    /// Scans `log` with a state, appends `log` to it again, lets `killedRun` start a second
    /// scan with the same arguments (`executable`, `arguments`) and kill it, then checks the
    /// state is still the first run's and the next run reads exactly the appended half.
    func checkKilledSecondRun(log: [UInt8], killedRun: (_ executable: String, _ arguments: [String]) throws -> Void) throws {
        try Data(log).write(to: URL(fileURLWithPath: path("app.log")))
        let arguments = ["scan", "--state", path("state.json"), "--format", "json", "--fail-on", "never", path("app.log")]
        let first = try Binary.run(arguments)
        XCTAssertEqual(first.status, 0, first.stderr)
        let before = try Data(contentsOf: URL(fileURLWithPath: path("state.json")))
        try append(ArraySlice(log), to: "app.log")
        try killedRun(Binary.url.path, arguments)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path("state.json"))), before, "the state is as the last good run left it")
        let second = try doc(try Binary.run(arguments))
        XCTAssertEqual(second["failures_total"] as? Int, try doc(first)["failures_total"] as? Int, "the second half, read again")
        XCTAssertEqual((second["totals"] as? [String: Any])?["bytes"] as? Int, log.count)
    }

    func testKilledRunChangesNothing() throws {
        // A log big enough to kill the scan in the middle.
        let corpus = try corpus()
        var big: [UInt8] = []
        while big.count < 48 << 20 { big += corpus }
        try checkKilledSecondRun(log: big) { executable, arguments in
            // Killed while it reads.
            let p = Process()
            p.executableURL = URL(fileURLWithPath: executable)
            p.arguments = arguments
            p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            try p.run()
            Thread.sleep(forTimeInterval: 0.15)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationReason, .uncaughtSignal)
        }
    }

    /// SIGKILL at the worst moment of a state write: the new state written to its
    /// temporary file and synced, the rename not done. strace delivers the signal at the
    /// rename itself, so the moment is exact. The previous state stays, and the next run
    /// reads what the killed one did not commit.
    func testKilledDuringTheStateWriteKeepsThePreviousState() throws {
        let strace = ["/usr/bin/strace", "/bin/strace"].first { FileManager.default.isExecutableFile(atPath: $0) }
        try XCTSkipIf(strace == nil, "strace is not installed")
        try checkKilledSecondRun(log: try corpus()) { executable, arguments in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: strace!)
            p.arguments = ["-f", "-qq", "-o", "/dev/null", "-e", "trace=rename,renameat,renameat2",
                           "-e", "inject=rename,renameat,renameat2:signal=KILL", executable] + arguments
            p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            try p.run()
            p.waitUntilExit()
            XCTAssertNotEqual(p.terminationStatus, 0, "killed at the rename")
        }
    }

    func testCorruptForeignAndUnwritableStateAreClearErrors() throws {
        let log = Binary.fixtures.appendingPathComponent("nocolour.log").path
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: path("bad.json")))
        let bad = try Binary.run(["scan", "--state", path("bad.json"), log])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("corrupt state file"), bad.stderr)
        XCTAssertEqual(try String(contentsOfFile: path("bad.json"), encoding: .utf8), "{not json", "never overwritten")
        try Data(#"{"schema":"evoscan.state/9","inputs":[]}"#.utf8).write(to: URL(fileURLWithPath: path("new.json")))
        let newer = try Binary.run(["scan", "--state", path("new.json"), log])
        XCTAssertEqual(newer.status, 2)
        XCTAssertTrue(newer.stderr.contains("evoscan.state/9"), newer.stderr)
        try Data(#"{"name":"something else"}"#.utf8).write(to: URL(fileURLWithPath: path("other.json")))
        XCTAssertEqual(try Binary.run(["scan", "--state", path("other.json"), log]).status, 2)
        // A state in a directory that cannot be written: the error names it, nothing is lost.
        let r = try Binary.run(["scan", "--fail-on", "never", "--state", "/proc/evoscan-state.json", log])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("cannot write the state"), r.stderr)
    }

    func testStdinCarriesCutRecordsLikeJournalctlCursorRuns() throws {
        // journalctl --cursor-file hands each run only the new entries; a record cut
        // between two runs is carried in the state.
        let text = Array(try Data(contentsOf: Binary.fixtures.appendingPathComponent("colour-stripped-2.3.6.log")))
        let cut = text.count / 2
        let a = try doc(try Binary.run(["scan", "--state", path("s.json"), "--format", "json", "--fail-on", "never", "-"], stdin: Data(text[..<cut])))
        let b = try doc(try Binary.run(["scan", "--state", path("s.json"), "--format", "json", "--fail-on", "never", "-"], stdin: Data(text[cut...])))
        let c = try doc(try Binary.run(["scan", "--state", path("s.json"), "--format", "json", "--fail-on", "never", "-"], stdin: Data()))
        let total = [a, b, c].reduce(0) { $0 + ($1["failures_total"] as? Int ?? 0) }
        XCTAssertEqual(total, 3)
    }
}
