import Foundation
import XCTest

/// `--follow`: failures appear while the log is written, through rotation by rename and by
/// truncation, and SIGTERM ends the run with the summary and the usual exit status.
final class FollowTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Binary.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func append(_ fixture: String, to file: URL) throws {
        let data = try Data(contentsOf: Binary.fixtures.appendingPathComponent(fixture))
        let h = try FileHandle(forWritingTo: file)
        try h.seekToEnd()
        try h.write(contentsOf: data)
        try h.close()
    }

    func lines(_ url: URL) -> [[String: Any]] {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    /// Waits until `count` failure lines were printed (or the deadline passes).
    func waitFor(_ count: Int, in url: URL, seconds: Double = 15) -> Int {
        let deadline = Date().addingTimeInterval(seconds)
        var n = 0
        while Date() < deadline {
            n = lines(url).filter { $0["kind"] as? String == "failure" }.count
            if n >= count { return n }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return n
    }

    func testFollowsAppendsRotationAndTruncation() throws {
        let log = dir.appendingPathComponent("app.log"), out = dir.appendingPathComponent("out.ndjson"), err = dir.appendingPathComponent("err")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = Binary.url
        p.arguments = ["scan", "--follow", "--format", "ndjson", log.path]
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        defer { if p.isRunning { p.terminate() } }

        try append("colour-stripped-2.3.6.log", to: log)            // 3 failures
        XCTAssertEqual(waitFor(3, in: out), 3, "printed while the file is written")
        try FileManager.default.moveItem(at: log, to: dir.appendingPathComponent("app.log.1"))
        FileManager.default.createFile(atPath: log.path, contents: nil)
        try append("nocolour.log", to: log)                          // 3 more, in the new file
        XCTAssertEqual(waitFor(6, in: out), 6, "followed through the rename")
        try FileHandle(forWritingTo: log).truncate(atOffset: 0)
        Thread.sleep(forTimeInterval: 0.6)
        try append("v2.0.4-rc-triple.log", to: log)                  // 2 more after the truncation
        XCTAssertEqual(waitFor(8, in: out), 8, "started over after the truncation")

        p.terminate()   // SIGTERM
        p.waitUntilExit()
        XCTAssertEqual(p.terminationStatus, 1, "probable silent failures: the usual status 1")
        XCTAssertEqual(try String(contentsOf: err, encoding: .utf8), "")
        let all = lines(out)
        let summary = try XCTUnwrap(all.last)
        XCTAssertEqual(summary["kind"] as? String, "summary")
        XCTAssertEqual(summary["failures_total"] as? Int, 8)
        XCTAssertEqual(all.filter { $0["kind"] as? String == "failure" }.count, 8, "no failure twice")
    }

    func testStdinPipeEndsWithTheWriterAndPrintsTheTableSummary() throws {
        let data = try Data(contentsOf: Binary.fixtures.appendingPathComponent("journal.json"))
        let r = try Binary.run(["scan", "--follow", "--fail-on", "never", "-"], stdin: data)
        XCTAssertEqual(r.status, 0, r.stderr)
        // The live lines come first, then the summary table (headed "evoscan: …").
        let live = r.out.components(separatedBy: "evoscan: ")[0].split(separator: "\n").filter { $0.hasPrefix("2025-") }
        XCTAssertEqual(live.count, 3, r.out)
        XCTAssertTrue(r.out.contains("Failures by code, model and fields"), "the summary follows the live lines")
    }

    func testFollowTakesOneInput() throws {
        let r = try Binary.run(["scan", "--follow", "a.log", "b.log"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--follow reads one input"), r.stderr)
    }
}
