import XCTest

/// Every command's `--help` (and `evoscan help CMD`) ends with the three ways people run it.
final class HelpTests: XCTestCase {
    func testEveryCommandsHelpEndsWithTheThreeWorkflows() throws {
        for command in ["", "scan", "merge", "report", "explain", "timeline", "config"] {
            let args = command.isEmpty ? ["--help"] : [command, "--help"]
            let r = try Binary.run(args)
            XCTAssertEqual(r.status, 0, "\(args)")
            let help = r.out
            let examples = try XCTUnwrap(help.range(of: "\nExamples:\n"), "\(args): no examples")
            let tail = help[examples.upperBound...]
            XCTAssertFalse(tail.contains("OPTIONS:") || tail.contains("USAGE:"), "\(args): examples are not last")
            let titles = ["Live, piped from journald:", "Nightly job (cron):", "Postmortem over an incident's files:"]
            var at = tail.startIndex
            for title in titles {
                let found = try XCTUnwrap(tail.range(of: "  " + title + "\n", range: at..<tail.endIndex), "\(args): \(title)")
                at = found.upperBound
                XCTAssertTrue(tail[at...].hasPrefix("    "), "\(args): an example follows \(title)")
            }
            XCTAssertTrue(tail.contains("journalctl "), "\(args)")
            XCTAssertTrue(tail.contains("evoscan \(command.isEmpty ? "scan" : command)"), "\(args)")
            XCTAssertEqual(help.components(separatedBy: "\nExamples:\n").count, 2, "\(args): examples once")
            for line in help.split(separator: "\n") where !line.hasPrefix("USAGE:") {
                XCTAssertLessThanOrEqual(line.count, 80, "\(args): \(line)")
            }
            if !command.isEmpty {
                XCTAssertEqual(try Binary.run(["help", command]).out, help, "evoscan help \(command)")
            }
        }
    }
}
