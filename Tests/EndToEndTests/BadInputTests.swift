import Foundation
import XCTest

/// Bad input gets a clear error and nothing is lost: one line on stderr naming the input
/// and the problem, the other inputs still processed, exit 2; no crash, no hang.
final class BadInputTests: XCTestCase {
    var dir: URL!

    override func setUpWithError() throws { dir = try Binary.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func file(_ name: String, _ data: Data) throws -> String {
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    var pairFixture: String { Binary.fixtures.appendingPathComponent("colour-stripped-2.3.6.log").path }

    func summary(_ r: RunResult) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], r.out)
    }

    func totals(_ r: RunResult) throws -> [String: Any] {
        try XCTUnwrap(try summary(r)["totals"] as? [String: Any])
    }

    /// Deterministic pseudo-random bytes (xorshift), including NULs, ESC and invalid UTF-8.
    func garbage(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> Data {
        var x = seed
        var bytes = [UInt8](repeating: 0, count: count)
        for i in 0..<count {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17
            bytes[i] = UInt8(truncatingIfNeeded: x)
        }
        return Data(bytes)
    }

    func testBinaryGarbageIsReadWithoutErrorOrFalseFailures() throws {
        let path = try file("garbage.bin", garbage(3 << 20))
        let r = try Binary.run(["scan", "--fail-on", "never", "--format", "json", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try summary(r)["failures_total"] as? Int, 0)
        XCTAssertEqual(try totals(r)["bytes"] as? Int, 3 << 20)
    }

    func testInvalidUTF8AndNULsInsideARecordStillExtract() throws {
        var text = try Data(contentsOf: URL(fileURLWithPath: pairFixture))
        // An instance-tagged P2002 record whose instance name holds a cut emoji and a NUL.
        let record = "[Evolution API]  [loja-\u{FFFD}]  v2.3.6  211   -  Tue Jun 10 2025 14:07:31     ERROR   [ChannelStartupService]  [object]   \nPrismaClientKnownRequestError: \nInvalid `this.prismaRepository.contact.upsert()` invocation in\n/evolution/dist/main.js:2:1\n\nUnique constraint failed on the fields: (`remoteJid`,`instanceId`)\n    at async Xy.upsertContact (/evolution/dist/main.js:2:5) {\n  code: 'P2002',\n  meta: { modelName: 'Contact', target: [ 'remoteJid', 'instanceId' ] },\n  clientVersion: '6.17.1'\n} \n\n"
        var bytes = Array(record.utf8)
        let mark = Array("\u{FFFD}".utf8)
        if let i = bytes.firstRange(of: mark) { bytes.replaceSubrange(i, with: [0xF0, 0x9F, 0x98, 0x00]) }
        text.append(contentsOf: bytes)
        let path = try file("broken-utf8.log", text)
        let r = try Binary.run(["scan", "--fail-on", "never", "--format", "ndjson", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let contact = try XCTUnwrap(r.events.first { $0["model"] as? String == "Contact" })
        XCTAssertEqual(contact["code"] as? String, "P2002")
        XCTAssertEqual(contact["fields"] as? [String], ["remoteJid", "instanceId"])
        XCTAssertEqual(contact["method"] as? String, "upsertContact")
        let instance = try XCTUnwrap(contact["instance"] as? String)
        XCTAssertTrue(instance.hasPrefix("loja-"), instance)
        XCTAssertTrue(instance.contains("\u{FFFD}"), "invalid UTF-8 is replaced, not dropped: \(instance)")
    }

    func testFiftyMegabyteLineWithoutNewlineIsCutAndCounted() throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: pairFixture))
        data.append(Data(repeating: UInt8(ascii: "x"), count: 50 << 20))
        let path = try file("huge-line.log", data)
        let start = Date()
        let r = try Binary.run(["scan", "--fail-on", "never", "--format", "json", path], timeout: 60)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
        let t = try totals(r)
        XCTAssertEqual(t["truncated_lines"] as? Int, 1)
        XCTAssertEqual(t["bytes"] as? Int, data.count)
        XCTAssertEqual(try summary(r)["failures_total"] as? Int, 3, "the records before the long line are intact")
    }

    func testRecordCutAtEndOfFileIsStillReported() throws {
        let text = try String(contentsOfFile: pairFixture, encoding: .utf8)
        // Cut the input in the middle of the last record's trailer.
        let cut = try XCTUnwrap(text.range(of: "clientVersion", options: .backwards))
        let path = try file("cut.log", Data(text[..<cut.lowerBound].utf8))
        let r = try Binary.run(["scan", "--fail-on", "never", "--format", "ndjson", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.events.count, 3)
        XCTAssertEqual(r.events.last?["code"] as? String, "P2010")
    }

    func testTruncatedGzipKeepsWhatWasDecodedAndExitsTwo() throws {
        let gz = try Data(contentsOf: Binary.fixtures.appendingPathComponent("colour-ansi-2.2.3.log.gz"))
        let path = try file("cut.log.gz", gz.prefix(gz.count * 2 / 3))
        let r = try Binary.run(["scan", "--fail-on", "never", "--format", "ndjson", path, pairFixture])
        XCTAssertEqual(r.status, 2)
        let lines = r.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, r.stderr)
        XCTAssertTrue(lines.first?.contains("cut.log.gz") ?? false, r.stderr)
        XCTAssertTrue(lines.first?.contains("truncated gzip") ?? false, r.stderr)
        let fromCut = r.events.filter { ($0["input"] as? String)?.hasSuffix("cut.log.gz") ?? false }
        XCTAssertGreaterThanOrEqual(fromCut.count, 1, "events decoded before the cut are kept")
        XCTAssertEqual(r.events.filter { ($0["input"] as? String) == pairFixture }.count, 3, "the next input is still scanned")
    }

    func testEmptyFileAndEmptyStdin() throws {
        let path = try file("empty.log", Data())
        let r = try Binary.run(["scan", "--fail-on", "never", "--format", "json", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try summary(r)["failures_total"] as? Int, 0)
        let s = try Binary.run(["scan", "--fail-on", "never", "-"], stdin: Data())
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertTrue(s.out.contains("No Prisma errors found"), s.out)
    }

    func testMissingFileAndDirectoryAreReportedAndOthersStillScanned() throws {
        let missing = dir.appendingPathComponent("nope.log").path
        let r = try Binary.run(["scan", "--fail-on", "never", "--format", "json", missing, dir.path, pairFixture])
        XCTAssertEqual(r.status, 2)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, r.stderr)
        XCTAssertEqual(lines[0], "evoscan: \(missing): cannot open: No such file or directory")
        XCTAssertEqual(lines[1], "evoscan: \(dir.path): is a directory")
        XCTAssertEqual(try summary(r)["failures_total"] as? Int, 3)
        XCTAssertEqual(try totals(r)["input_errors"] as? Int, 2)
    }

    func testReadErrorIsReportedAndOthersStillScanned() throws {
        // /proc/self/mem opens (even for root) but reading offset 0 fails with EIO: an
        // unreadable file that no permission bits can fake when tests run as root.
        let r = try Binary.run(["scan", "--fail-on", "never", "--format", "json", "/proc/self/mem", pairFixture])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "evoscan: /proc/self/mem: read failed: Input/output error\n")
        XCTAssertEqual(try summary(r)["failures_total"] as? Int, 3)
    }

    func testPermissionDeniedWhenNotRoot() throws {
        try XCTSkipIf(getuid() == 0, "root reads any file; the read-error test above covers this path")
        let path = try file("secret.log", Data("x\n".utf8))
        chmod(path, 0)
        let r = try Binary.run(["scan", "--fail-on", "never", path])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "evoscan: \(path): cannot open: Permission denied\n")
    }

    func testUnsupportedCompressionIsAClearError() throws {
        let path = try file("x.log.zst", Data([0x28, 0xB5, 0x2F, 0xFD, 0, 0, 0, 0]))
        let r = try Binary.run(["scan", "--fail-on", "never", path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("zstd-compressed input is not supported"), r.stderr)
    }

    func testUsageErrorsExitTwoNotSixtyFour() throws {
        let unknown = try Binary.run(["scan", "--fail-on", "never", "--no-such-flag", pairFixture])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("--no-such-flag"), unknown.stderr)
        let zone = try Binary.run(["scan", "--fail-on", "never", "--log-tz", "Mars/Olympus", pairFixture])
        XCTAssertEqual(zone.status, 2)
        XCTAssertTrue(zone.stderr.contains("unknown zone"), zone.stderr)
        let format = try Binary.run(["scan", "--fail-on", "never", "--format", "xml", pairFixture])
        XCTAssertEqual(format.status, 2)
    }

    func testHelpAndVersionExitZero() throws {
        let help = try Binary.run(["scan", "--fail-on", "never", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.out.contains("journalctl -u evolution -o json | evoscan scan -"), help.out)
        let version = try Binary.run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.out.contains("PCRE2 10."), version.out)
    }

    /// Megabytes of the characters the patterns loop on, inside records the Prisma
    /// trigger opens: the scan ends (well inside the time-out; quadratic work would not), a
    /// pattern that hits its match limit is counted, and the records past the size cap are.
    func testPathologicalCharactersFinishAndAreCounted() throws {
        let header = "[Evolution API]    v2.2.3  211   -  Tue Jun 10 2025 14:07:31     ERROR   [unhandledRejection]  [object]  \n"
        for (name, ch) in [("backticks", "`"), ("brackets", "["), ("quotes", "\"'"), ("braces", "{")] {
            var text = ""
            for _ in 0..<3 {
                text += header + "PrismaClientKnownRequestError: \nInvalid `prisma.proxy." + String(repeating: ch, count: (1 << 20) / ch.count)
                    + "\n  code: 'P2002',\n}\n"
            }
            let path = try file("\(name).log", Data(text.utf8))
            let r = try Binary.run(["scan", "--fail-on", "never", "--format", "json", path], timeout: 60)
            XCTAssertEqual(r.status, 0, name)
            XCTAssertEqual(r.stderr, "", name)
            let t = try totals(r)
            XCTAssertEqual(t["truncated_records"] as? Int, 3, name)
            XCTAssertGreaterThan(t["regex_limit_hits"] as? Int ?? 0, 0, "\(name): a pattern gave up and it was counted")
        }
    }

    /// A FIFO named as a file is read as the stream it is, like standard input.
    func testFIFOGivenAsAFileIsReadLikeAStream() throws {
        let fifo = dir.appendingPathComponent("evolution.fifo").path
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let direct = try Binary.run(["scan", "--fail-on", "never", "--format", "ndjson", pairFixture])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        let outPath = dir.appendingPathComponent("out").path, errPath = dir.appendingPathComponent("err").path
        process.arguments = ["-c", "cat \"$1\" > \"$2\" & \"$0\" scan --fail-on never --format ndjson \"$2\" >\"$3\" 2>\"$4\"",
                             Binary.url.path, pairFixture, fifo, outPath, errPath]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertEqual(try String(contentsOfFile: errPath, encoding: .utf8), "")
        let viaFIFO = try String(contentsOfFile: outPath, encoding: .utf8).replacingOccurrences(of: fifo, with: pairFixture)
        XCTAssertEqual(viaFIFO, direct.out)
        XCTAssertEqual(direct.events.count, 3)
    }

    /// A full disk on standard output (`/dev/full`): one line naming the problem, exit 2.
    func testFullDiskOnOutputIsAClearErrorAndExitsTwo() throws {
        for format in ["json", "ndjson", "table", "csv"] {
            let errPath = dir.appendingPathComponent("err-\(format)").path
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = ["-c", "\"$0\" scan --format \(format) \"$1\" >/dev/full 2>\"$2\"", Binary.url.path, pairFixture, errPath]
            try process.run()
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 2, format)
            let err = try String(contentsOfFile: errPath, encoding: .utf8)
            XCTAssertEqual(err.split(separator: "\n").count, 1, "\(format): \(err)")
            XCTAssertTrue(err.hasPrefix("evoscan: ") && err.contains("No space left on device"), "\(format): \(err)")
        }
    }

    func testClosedPipeEndsQuietly() throws {
        // Enough events to overflow the pipe buffer after `head` has gone.
        let one = try Data(contentsOf: URL(fileURLWithPath: pairFixture))
        var big = Data()
        for _ in 0..<3000 { big.append(one) }
        let path = try file("many.log", big)
        let errPath = dir.appendingPathComponent("err").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "\"$0\" scan --fail-on never --format ndjson \"$1\" 2>\"$2\" | head -n 2 >/dev/null; exit ${PIPESTATUS[0]}",
                             Binary.url.path, path, errPath]
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(try String(contentsOfFile: errPath, encoding: .utf8), "", "no error when the reader goes away")
        XCTAssertEqual(process.terminationStatus, 0)
    }
}
