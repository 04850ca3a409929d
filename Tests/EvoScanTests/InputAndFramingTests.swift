import Foundation
import XCTest
@testable import EvoScan

/// A source that hands out at most `chunk` bytes per read, like a slow pipe.
final class TricklingSource: ByteSource {
    let bytes: [UInt8]
    let chunk: Int
    var offset = 0
    init(_ bytes: [UInt8], chunk: Int) { self.bytes = bytes; self.chunk = chunk }
    var rawBytesRead: Int { offset }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(chunk, buffer.count, bytes.count - offset)
        for i in 0..<n { buffer[i] = bytes[offset + i] }
        offset += n
        return n
    }
}

final class LineReaderTests: XCTestCase {
    func lines(_ text: [UInt8], readSize: Int, maxLine: Int = 1 << 20, chunk: Int = .max) throws -> ([String], Int) {
        let reader = LineReader(source: TricklingSource(text, chunk: chunk), readSize: readSize, maxLineBytes: maxLine, sniffBytes: 16)
        var out: [String] = []
        try reader.forEachBlock { block in
            XCTAssertEqual(block.bytes.last, 0x0A, "blocks end at a newline")
            out += String(decoding: block.bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        }
        return (out, reader.truncatedLines)
    }

    func testNothingIsLostAtBlockBoundaries() throws {
        let text = (0..<500).map { "line \($0) " + String(repeating: "x", count: $0 % 37) }.joined(separator: "\n") + "\n"
        for readSize in [7, 64, 100, 4096] {
            let (got, cut) = try lines(Array(text.utf8), readSize: readSize, maxLine: 4096, chunk: 13)
            XCTAssertEqual(got, text.split(separator: "\n").map(String.init), "readSize \(readSize)")
            XCTAssertEqual(cut, 0)
        }
    }

    func testCutLandingExactlyOnTheCap() throws {
        // The carried partial line reaches the cap exactly (nothing after the cut point)
        // or by one byte: both must cut once and resume at the next line.
        // (line length, bytes per read): the cut happens with 0, 1 and 2 bytes after the cap.
        for (length, chunk) in [(1000, 500), (1001, 1001), (1005, 1002)] {
            let text = String(repeating: "q", count: length) + "\nnext\n"
            let (got, cut) = try lines(Array(text.utf8), readSize: chunk, maxLine: 1000, chunk: chunk)
            XCTAssertEqual(got, [String(repeating: "q", count: 1000), "next"], "length \(length)")
            XCTAssertEqual(cut, 1, "length \(length)")
        }
    }

    func testLastLineWithoutNewlineIsDelivered() throws {
        let (got, _) = try lines(Array("a\nb\nlast".utf8), readSize: 64)
        XCTAssertEqual(got, ["a", "b", "last"])
    }

    func testOverlongLineIsCutOnceAndTheRestSkipped() throws {
        let text = "before\n" + String(repeating: "y", count: 10_000) + "\nafter\n"
        let (got, cut) = try lines(Array(text.utf8), readSize: 256, maxLine: 1000, chunk: 100)
        XCTAssertEqual(cut, 1)
        XCTAssertEqual(got.count, 3)
        XCTAssertEqual(got[0], "before")
        XCTAssertEqual(got[1], String(repeating: "y", count: 1000))
        XCTAssertEqual(got[2], "after")
    }
}

final class GzipSourceTests: XCTestCase {
    func gzip(_ text: String) throws -> [UInt8] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("gz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("x")
        try Data(text.utf8).write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-n", file.path]
        try p.run()
        p.waitUntilExit()
        return Array(try Data(contentsOf: dir.appendingPathComponent("x.gz")))
    }

    func readAll(_ source: ByteSource) throws -> String {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1000)
        while true {
            let n = try buf.withUnsafeMutableBytes { try source.read(into: $0) }
            if n == 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    func testDetectedByMagicAndConcatenatedMembersAreAllRead() throws {
        let a = try gzip("first member\n"), b = try gzip(String(repeating: "second member\n", count: 500))
        let opened = try InputOpener.wrap(MemorySource(a + b), name: "two.bin")
        XCTAssertEqual(opened.compression, .gzip)
        XCTAssertEqual(try readAll(opened.source), "first member\n" + String(repeating: "second member\n", count: 500))
    }

    func testTruncatedStreamDeliversDecodedBytesThenFails() throws {
        let whole = try gzip((0..<3000).map { "record \($0) with some text to compress\n" }.joined())
        let opened = try InputOpener.wrap(MemorySource(Array(whole.prefix(whole.count / 2))), name: "cut.gz")
        var decoded = 0
        var buf = [UInt8](repeating: 0, count: 4096)
        XCTAssertThrowsError(try {
            while true {
                let n = try buf.withUnsafeMutableBytes { try opened.source.read(into: $0) }
                if n == 0 { break }
                decoded += n
            }
        }()) { error in
            XCTAssertTrue("\(error)".contains("truncated gzip"), "\(error)")
        }
        XCTAssertGreaterThan(decoded, 10_000)
    }

    func testPlainTextIsNotMistakenForCompression() throws {
        XCTAssertEqual(try InputOpener.wrap(MemorySource(Array("BZ is not bzip2 here\n".utf8)), name: "t").compression, .none)
        XCTAssertEqual(try InputOpener.wrap(MemorySource([]), name: "empty").compression, .none)
    }
}

/// Collects what a framer produces: the text of each line, its stream and time.
final class FramedCollector: FramedLineSink {
    var lines: [(text: String, stream: Int32, time: Int64)] = []
    func consume(_ bytes: UnsafeRawBufferPointer, segments: UnsafeBufferPointer<FrameSegment>?) {
        var start = 0
        for seg in segments ?? UnsafeBufferPointer(start: nil, count: 0) {
            for line in String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<seg.end]), as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                lines.append((String(line), seg.stream, seg.time))
            }
            start = seg.end
        }
        if segments == nil {
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                lines.append((String(line), 0, FrameSegment.noTime))
            }
        }
    }
}

final class FramingTests: XCTestCase {
    func frame(_ text: String) -> (Framer, FramedCollector) {
        let bytes = Array(text.utf8)
        let sink = FramedCollector()
        let framer = bytes.withUnsafeBytes { FramerSniffer.framer(for: $0) }
        bytes.withUnsafeBytes { framer.frame(LineReader.Block(bytes: $0, truncated: false), into: sink) }
        framer.finish(into: sink)
        return (framer, sink)
    }

    let header = "[Evolution API]    v2.3.6  211   -  Tue Jun 10 2025 14:07:31     ERROR   [unhandledRejection]  [object]   "
    let t = Int64(1_749_575_251_123_456)  // 2025-06-10T17:07:31.123456Z

    func testDockerTimestampsAreStrippedAndKept() {
        let (framer, sink) = frame("2025-06-10T17:07:31.123456789Z \(header)\n2025-06-10T17:07:31.123461022Z {\n")
        XCTAssertEqual(framer.transport, "docker-t")
        XCTAssertEqual(sink.lines.map(\.text), [header, "{"])
        XCTAssertEqual(sink.lines[0].time, t)
    }

    func testComposePrefixWithAnyPaddingAndTimestamp() {
        let (framer, sink) = frame("evolution_api       | \(header)\nevolution_postgres  | 2025-06-10 17:07:31.120 UTC [77] ERROR:  duplicate key\nevolution_api  | 2025-06-10T17:07:31.123456789Z next\n")
        XCTAssertEqual(framer.transport, "compose")
        XCTAssertEqual(sink.lines.map(\.text), [header, "2025-06-10 17:07:31.120 UTC [77] ERROR:  duplicate key", "next"])
        XCTAssertEqual(sink.lines[0].stream, sink.lines[2].stream, "same service, same stream")
        XCTAssertNotEqual(sink.lines[0].stream, sink.lines[1].stream)
        XCTAssertEqual(sink.lines[2].time, t)
    }

    func testJournalShortModes() {
        let iso = frame("2025-06-10T17:07:31+00:00 evo1 node[211]: \(header)\n").1
        XCTAssertEqual(iso.lines[0].text, header)
        XCTAssertEqual(iso.lines[0].time, 1_749_575_251_000_000)
        let short = frame("Jun 10 14:07:31 evo1 node[211]: \(header)\nJun 10 14:07:31 evo1 node[211]: {\n").1
        XCTAssertEqual(short.lines.map(\.text), [header, "{"])
        XCTAssertEqual(short.lines[0].time, FrameSegment.noTime, "short has no zone and no year")
        let precise = frame("Jun 10 14:07:31.123456 evo1 node[211]: \(header)\n").1
        XCTAssertEqual(precise.lines[0].text, header)
    }

    func testPM2TailAndStreamPhases() {
        let (framer, sink) = frame("0|evolutio | \(header)\n0|evolution  | {\n2025-06-10-14:07:31 0|evolution  | }\n")
        XCTAssertEqual(framer.transport, "pm2")
        XCTAssertEqual(sink.lines.map(\.text), [header, "{", "}"])
        XCTAssertEqual(Set(sink.lines.map(\.stream)).count, 1)
    }

    func testKubectlAndCRIWithPartialLines() {
        let k = frame("[pod/evolution-api-7c9f6d8b5d-x2k4q/evolution-api] 2025-06-10T17:07:31.123456789Z \(header)\n").1
        XCTAssertEqual(k.lines[0].text, header)
        XCTAssertEqual(k.lines[0].time, t)
        let cri = frame("2025-06-10T17:07:31.123456789Z stdout P [Evolution API]    v2.3.6\n2025-06-10T17:07:31.123456789Z stderr F other stream\n2025-06-10T17:07:31.12345678Z stdout F   211   -  rest\n").1
        XCTAssertEqual(cri.lines.map(\.text), ["other stream", "[Evolution API]    v2.3.6  211   -  rest"])
        XCTAssertEqual(cri.lines[1].time, t, "the joined line keeps the first chunk's time")
    }

    func testJournalJSONByteArraysAndStreams() {
        let headerBytes = Array("\u{1B}[1m\u{1B}[31m[Evolution API]\u{1B}[0m x".utf8).map(String.init).joined(separator: ",")
        let text = """
        {"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1749575251123456","_PID":"211","_STREAM_ID":"aa","_SYSTEMD_UNIT":"evolution-api.service","MESSAGE":[\(headerBytes)]}
        {"__CURSOR":"s=2","__REALTIME_TIMESTAMP":"1749575251123479","_PID":"300","_STREAM_ID":"bb","_SYSTEMD_UNIT":"evolution-api.service","MESSAGE":"other \\u00e9 \\ud83d\\ude00"}
        {"__CURSOR":"s=3","__REALTIME_TIMESTAMP":"1749575251123500","_PID":"211","_STREAM_ID":"aa","_SYSTEMD_UNIT":"evolution-api.service","MESSAGE":null}
        not json at all

        """
        let (framer, sink) = frame(text)
        XCTAssertEqual(framer.transport, "journald-json")
        XCTAssertEqual(sink.lines.map(\.text), ["\u{1B}[1m\u{1B}[31m[Evolution API]\u{1B}[0m x", "other é 😀", "", "not json at all"])
        XCTAssertEqual(sink.lines[0].time, t)
        XCTAssertEqual(sink.lines[0].stream, sink.lines[2].stream)
        XCTAssertNotEqual(sink.lines[0].stream, sink.lines[1].stream)
        XCTAssertEqual((framer as? JournalJSONFramer)?.malformedLines, 1)
    }

    func testDockerJSONFileJoinsPartialChunks() {
        let text = """
        {"log":"\\u001b[1mfirst ","stream":"stdout","time":"2025-06-10T17:07:31.1234567Z"}
        {"log":"half\\n","stream":"stdout","time":"2025-06-10T17:07:31.2Z"}
        {"log":"err line\\n","stream":"stderr","time":"2025-06-10T17:07:31.3Z"}

        """
        let (framer, sink) = frame(text)
        XCTAssertEqual(framer.transport, "docker-json-file")
        XCTAssertEqual(sink.lines.map(\.text), ["\u{1B}[1mfirst half", "err line"])
        XCTAssertEqual(sink.lines[0].time, 1_749_575_251_123_456)
    }

    func testDoubledBlankLinesAreUndoubled() {
        let original = ["a", "b", "", "c", "}", "", "d", "e", "f", "g"]
        let doubled = original.map { $0 + "\n\n" }.joined()
        let (framer, sink) = frame(doubled)
        XCTAssertTrue(framer is UndoubledBlankLinesFramer)
        XCTAssertEqual(sink.lines.map(\.text), original)
    }

    func testPlainTextStaysPlain() {
        let (framer, _) = frame("\(header)\n{ stderr: 2 } \n\nrecv 3 chats, 4 contacts, 5 msgs (is latest: true)\n")
        XCTAssertTrue(framer is PlainFramer)
    }
}

/// A file that changes between being opened and being read to its end (truncated,
/// deleted, replaced by rotation) gets a clear message; only a shrink is an input error,
/// and what was read is reported either way.
final class FileChangedWhileReadTests: XCTestCase {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/colour-stripped-2.3.6.log")

    /// Opens a copy of the fixture, lets `change` act on it, then scans what was opened.
    func scanOpened(_ change: (String) throws -> Void) throws -> (read: Bool, session: ScanSession, errors: [String], warnings: [String], events: Int) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evoscan-changed-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("evolution.log").path
        try FileManager.default.copyItem(atPath: Self.fixture.path, toPath: path)
        let session = ScanSession()
        var errors: [String] = [], warnings: [String] = [], events = 0
        session.onInputError = { errors.append("\($0.input): \($0.problem)") }
        session.onInputWarning = { warnings.append("\($0.input): \($0.problem)") }
        session.aggregate.onEvent = { _ in events += 1 }
        let input = try InputOpener.open(path)
        try change(path)
        let read = session.scan(input)
        session.finish()
        return (read, session, errors.map { $0.replacingOccurrences(of: path, with: "LOG") },
                warnings.map { $0.replacingOccurrences(of: path, with: "LOG") }, events)
    }

    func testUnchangedFileSaysNothing() throws {
        let r = try scanOpened { _ in }
        XCTAssertTrue(r.read)
        XCTAssertEqual(r.errors + r.warnings, [])
        XCTAssertEqual(r.events, 3)
    }

    func testTruncatedFileIsAnInputErrorAndKeepsWhatWasRead() throws {
        let size = try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: Self.fixture.path)[.size] as? Int)
        let r = try scanOpened { XCTAssertEqual(truncate($0, 10), 0) }
        XCTAssertFalse(r.read)
        XCTAssertEqual(r.errors, ["LOG: shrank from \(size) to 10 bytes while being read (truncated, or rotated by copytruncate): what was read is reported, the rest was not read"])
        XCTAssertEqual(r.warnings, [])
        XCTAssertEqual(r.session.totals.inputErrors, 1)
        XCTAssertEqual(r.session.inputs.count, 1, "one entry for the input, with its error")
        XCTAssertEqual(r.session.inputs.first?.error.map { $0.hasPrefix("shrank from") }, true)
        XCTAssertEqual(r.session.inputs.first?.bytes, 10)
    }

    func testDeletedFileIsReadInFullWithAWarning() throws {
        let r = try scanOpened { XCTAssertEqual(unlink($0), 0) }
        XCTAssertTrue(r.read)
        XCTAssertEqual(r.errors, [])
        XCTAssertEqual(r.warnings, ["LOG: was deleted while being read; it was read in full through the open file"])
        XCTAssertEqual(r.events, 3)
    }

    func testReplacedFileIsReadInFullWithAWarning() throws {
        let r = try scanOpened { path in
            let other = path + ".new"
            XCTAssertTrue(FileManager.default.createFile(atPath: other, contents: Data("new file\n".utf8)))
            XCTAssertEqual(rename(other, path), 0)
        }
        XCTAssertTrue(r.read)
        XCTAssertEqual(r.errors, [])
        XCTAssertEqual(r.warnings, ["LOG: was replaced while being read (rotated?); the file opened was read in full, not the new one"])
        XCTAssertEqual(r.events, 3)
    }
}
