import Foundation
import XCTest

/// The README's nightly crontab line and live pipe, run as written (paths moved to a
/// temporary directory), so that what users copy works.
final class ReadmeTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Binary.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func readme() throws -> String {
        try String(contentsOf: Binary.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
    }

    func sh(_ command: String) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        let out = dir.appendingPathComponent("sh.out")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = p.standardOutput
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, try String(contentsOf: out, encoding: .utf8))
    }

    func testTheNightlyCrontabLineWorks() throws {
        let line = try XCTUnwrap(try readme().split(separator: "\n").first { $0.hasPrefix("15 0 * * * ") }, "crontab line in README")
        // What cron runs: the line without its five schedule fields, `\%` unescaped.
        var command = String(line.dropFirst("15 0 * * * ".count)).replacingOccurrences(of: "\\%", with: "%")
        let logs = dir.appendingPathComponent("log-evolution"), lib = dir.appendingPathComponent("lib-evoscan")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: lib.appendingPathComponent("reports"), withIntermediateDirectories: true)
        command = command.replacingOccurrences(of: "/var/log/evolution", with: logs.path)
            .replacingOccurrences(of: "/var/lib/evoscan", with: lib.path)
        XCTAssertTrue(command.hasPrefix("evoscan "))
        command = Binary.url.path + command.dropFirst("evoscan".count)

        let log = logs.appendingPathComponent("evolution.log")
        try Data(contentsOf: Binary.fixtures.appendingPathComponent("colour-ansi-2.2.3.log")).write(to: log)
        let first = try sh(command)
        XCTAssertEqual(first.status, 0, "echo runs after ||: \(first.out)")
        XCTAssertTrue(first.out.contains("evoscan: silent failures or unreadable logs"), "cron mails this line: \(first.out)")
        let reports = try FileManager.default.contentsOfDirectory(atPath: lib.appendingPathComponent("reports").path)
        XCTAssertEqual(reports.count, 1)
        let report = lib.appendingPathComponent("reports").appendingPathComponent(reports[0])
        let night1 = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        XCTAssertEqual(night1["failures_total"] as? Int, 4)

        // The next night sees only what was appended.
        let h = try FileHandle(forWritingTo: log)
        try h.seekToEnd()
        try h.write(contentsOf: try Data(contentsOf: Binary.fixtures.appendingPathComponent("nocolour.log")))
        try h.close()
        _ = try sh(command)
        let night2 = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: report)) as? [String: Any])
        XCTAssertEqual(night2["failures_total"] as? Int, 3)
        XCTAssertTrue(FileManager.default.fileExists(atPath: lib.appendingPathComponent("state.json").path))
    }

    func testTheLivePipeIsDocumented() throws {
        // FollowTests.testStdinPipeEndsWithTheWriterAndPrintsTheTableSummary runs this pipe on
        // a journalctl -o json capture.
        XCTAssertTrue(try readme().contains("journalctl -u evolution-api -u nginx -f -o json | evoscan scan --follow -"))
    }

    /// The README's three-line config is the fork scenario's, and its error example is
    /// what evoscan prints for that file with the typo it shows.
    func testTheConfigExamplesAreWhatEvoscanDoes() throws {
        let text = try readme()
        let start = try XCTUnwrap(text.range(of: "```toml\n"))
        let end = try XCTUnwrap(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let snippet = String(text[start.upperBound..<end.lowerBound])
        let fixture = try String(contentsOf: Binary.fixtures.appendingPathComponent("silent/fork-config-endpoint/config.toml"), encoding: .utf8)
        XCTAssertEqual(snippet, fixture)
        XCTAssertEqual(snippet.split(separator: "\n").count, 3)

        let shown = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("evoscan: config: fork.toml:") })
        try snippet.replacingOccurrences(of: "model =", with: "modle =").write(to: dir.appendingPathComponent("fork.toml"), atomically: true, encoding: .utf8)
        let r = try Binary.run(["scan", "--config", "fork.toml", Binary.fixtures.appendingPathComponent("nocolour.log").path], currentDirectory: dir)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, shown + "\n")
    }
}
