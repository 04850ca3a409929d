import XCTest
@testable import EvoScan

/// `logcli query --output=jsonl` input (`LokiJSONLFramer`): decoding, streams, times,
/// detection, and the reordering of newest-first (backward) output.
final class LokiFramerTests: XCTestCase {
    /// Frames `text` as one input, the way `ScanSession` does: sniff, frame each block,
    /// finish. `blockLines` > 0 splits the input into blocks of that many lines.
    func frame(_ text: String, blockLines: Int = 0, make: (() -> Framer)? = nil) -> (Framer, FramedCollector) {
        let bytes = Array(text.utf8)
        let sink = FramedCollector()
        let framer = make?() ?? bytes.withUnsafeBytes { FramerSniffer.framer(for: $0) }
        if blockLines > 0 {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            var i = lines.startIndex
            while i < lines.endIndex {
                let j = min(i + blockLines, lines.endIndex)
                let block = Array((lines[i..<j].joined(separator: "\n") + "\n").utf8)
                block.withUnsafeBytes { framer.frame(LineReader.Block(bytes: $0, truncated: false), into: sink) }
                i = j
            }
        } else {
            bytes.withUnsafeBytes { framer.frame(LineReader.Block(bytes: $0, truncated: false), into: sink) }
        }
        framer.finish(into: sink)
        return (framer, sink)
    }

    /// One logcli jsonl entry as Go's encoding/json writes it (keys sorted). `line` is JSON
    /// text already (escapes included).
    func entry(_ line: String, _ time: String, host: String = "evo1") -> String {
        #"{"labels":{"host":"\#(host)","job":"systemd-journal","unit":"evolution-api.service"},"line":"\#(line)","timestamp":"\#(time)"}"#
    }

    let t = Int64(1_749_575_251_123_456)  // 2025-06-10T17:07:31.123456Z

    func testEscapesAreDecoded() {
        let text = entry(#"\u001b[1m\u001b[31m[Evolution API]\u001b[0m \u003crejected\u003e \"q\" \\ é \ud83d\ude00\ttab"#, "2025-06-10T17:07:31.123456789Z") + "\n"
        let (framer, sink) = frame(text)
        XCTAssertEqual(framer.transport, "loki-jsonl")
        XCTAssertEqual(sink.lines.map(\.text), ["\u{1B}[1m\u{1B}[31m[Evolution API]\u{1B}[0m <rejected> \"q\" \\ é 😀\ttab"])
    }

    func testLabelsMakeStreamsWhateverTheirOrder() {
        let text = """
        {"labels":{"host":"evo1","job":"systemd-journal","unit":"evolution-api.service"},"line":"a1","timestamp":"2025-06-10T17:07:31.1Z"}
        {"labels":{"host":"evo2","job":"systemd-journal","unit":"evolution-api.service"},"line":"b1","timestamp":"2025-06-10T17:07:31.2Z"}
        {"timestamp":"2025-06-10T17:07:31.3Z","line":"a2","labels":{"unit":"evolution-api.service","host":"evo1","job":"systemd-journal"}}
        {"labels":{"host":"evo1","job":"systemd-journal","unit":"other.service"},"line":"c1","timestamp":"2025-06-10T17:07:31.4Z"}
        {"labels":{},"line":"d1","timestamp":"2025-06-10T17:07:31.5Z"}
        {"line":"d2","timestamp":"2025-06-10T17:07:31.6Z"}

        """
        let (framer, sink) = frame(text)
        XCTAssertEqual(sink.lines.map(\.text), ["a1", "b1", "a2", "c1", "d1", "d2"])
        let s = sink.lines.map(\.stream)
        XCTAssertEqual(s[0], s[2], "same labels in another key order: same stream")
        XCTAssertEqual(Set([s[0], s[1], s[3], s[4]]).count, 4, "host and unit both separate streams")
        XCTAssertEqual(s[4], s[5], "no labels and {} are the same (empty) label set")
        // `--state` carries streams by name: all labels, sorted by name.
        let naming = framer as! StreamNaming
        XCTAssertEqual(naming.streamKey(s[2]), "host=evo1\0job=systemd-journal\0unit=evolution-api.service\0")
        XCTAssertEqual(naming.streamID(forKey: naming.streamKey(s[1])), s[1])
    }

    func testTimestampsToMicroseconds() {
        let text = [
            entry("a", "2025-06-10T17:07:31.123456789Z"),
            entry("b", "2025-06-10T17:07:31.1234567Z"),   // Go trims trailing zeros
            entry("c", "2025-06-10T14:07:31.123456-03:00"),  // --timezone Local
            entry("d", "2025-06-10T17:07:32Z"),
            entry("e", "not a time"),
        ].joined(separator: "\n") + "\n"
        let (_, sink) = frame(text)
        XCTAssertEqual(sink.lines.map(\.time), [t, t, t, 1_749_575_252_000_000, FrameSegment.noTime])
    }

    func testMalformedLinesAreKeptAndCounted() {
        let text = [
            entry("first", "2025-06-10T17:07:31.1Z"),
            "not json at all",
            #"{"labels":{"host":"evo1"},"line":"#,             // cut off
            #"{"labels":{"host":"evo1"},"timestamp":"2025-06-10T17:07:31.2Z"}"#,  // no line
            #"{"labels":{"host":},"line":"x","timestamp":"2025-06-10T17:07:31.2Z"}"#,  // bad labels
            "",
            entry("last", "2025-06-10T17:07:31.3Z"),
        ].joined(separator: "\n") + "\n"
        let (framer, sink) = frame(text)
        XCTAssertEqual(sink.lines.map(\.text), ["first", "not json at all", #"{"labels":{"host":"evo1"},"line":"#,
                                                #"{"labels":{"host":"evo1"},"timestamp":"2025-06-10T17:07:31.2Z"}"#,
                                                #"{"labels":{"host":},"line":"x","timestamp":"2025-06-10T17:07:31.2Z"}"#, "last"])
        XCTAssertEqual((framer as? LokiJSONLFramer)?.malformedLines, 4)
        XCTAssertEqual(sink.lines[1].time, FrameSegment.noTime)
    }

    func testEntryWithItsOwnNewlinesAndTrailingNewline() {
        // A shipper's multiline stage joins a record into one entry; some keep the `\n`.
        let text = entry(#"header\n{\n  code: 'P2002'\n}"#, "2025-06-10T17:07:31.1Z") + "\n"
            + entry(#"next\n"#, "2025-06-10T17:07:31.2Z") + "\n"
        let (_, sink) = frame(text)
        XCTAssertEqual(sink.lines.map(\.text), ["header", "{", "  code: 'P2002'", "}", "next"])
    }

    func testSnifferDetectsLogcliJSONL() {
        func sniff(_ s: String) -> Framer { Array(s.utf8).withUnsafeBytes { FramerSniffer.framer(for: $0) } }
        XCTAssertTrue(sniff(entry("x", "2025-06-10T17:07:31.1Z") + "\n") is LokiJSONLFramer)
        XCTAssertTrue(sniff("\n" + #"{"line":"x","timestamp":"2025-06-10T17:07:31Z"}"# + "\n") is LokiJSONLFramer, "--no-labels")
        XCTAssertTrue(sniff(#"{"timestamp":"2025-06-10T17:07:31Z","labels":{},"line":""}"# + "\n") is LokiJSONLFramer, "any key order")
        XCTAssertTrue(sniff(#"{"log":"x\n","stream":"stdout","time":"2025-06-10T17:07:31.1Z"}"# + "\n") is DockerJSONFramer)
        XCTAssertTrue(sniff(#"{"log":"{\"line\":1,\"timestamp\":2}\n","stream":"stdout","time":"2025-06-10T17:07:31.1Z"}"# + "\n") is DockerJSONFramer)
        XCTAssertTrue(sniff(#"{"__CURSOR":"s=1","MESSAGE":"x","line":"y","timestamp":"2025-06-10T17:07:31Z"}"# + "\n") is JournalJSONFramer)
        XCTAssertFalse(sniff(#"{"level":30,"time":1749575251123,"line":42,"msg":"x"}"# + "\n") is LokiJSONLFramer, "a pino line is not an entry")
        XCTAssertFalse(sniff(#"{"line":"x","timestamp":"yesterday"}"# + "\n") is LokiJSONLFramer)
    }

    // MARK: Order

    /// Two hosts, each a header followed by body lines, interleaved, 1 ms apart overall;
    /// a pause of `pause` seconds between two bursts. Returns forward-ordered entries.
    func twoHostBursts(bursts: Int = 3, linesPerRecord: Int = 4, pauseSeconds: Int = 5) -> [String] {
        var out: [String] = []
        var second = 0
        for b in 0..<bursts {
            var ms = 0
            for l in 0..<linesPerRecord {
                for host in ["evo1", "evo2"] {
                    let text = l == 0 ? "HEADER \(host) \(b)" : "body \(host) \(b).\(l)"
                    out.append(entry(text, String(format: "2025-06-10T17:07:%02d.%03dZ", 10 + second, ms), host: host))
                    ms += 1
                }
            }
            second += pauseSeconds
        }
        return out
    }

    /// Lines of each stream, as the record assembler will see them.
    func perStream(_ sink: FramedCollector) -> [Int32: [String]] {
        Dictionary(grouping: sink.lines, by: \.stream).mapValues { $0.map(\.text) }
    }

    func testForwardInputPassesThroughInOrder() {
        let lines = twoHostBursts()
        let (framer, sink) = frame(lines.joined(separator: "\n") + "\n", blockLines: 5)
        let loki = framer as! LokiJSONLFramer
        XCTAssertEqual(loki.direction, .forward)
        XCTAssertEqual(framer.transport, "loki-jsonl")
        XCTAssertEqual(sink.lines.count, lines.count)
        XCTAssertEqual(sink.lines.map(\.time), sink.lines.map(\.time).sorted())
    }

    func testBackwardInputIsHandedOnOldestFirstPerRecord() {
        let forward = twoHostBursts()
        let backward = forward.reversed().joined(separator: "\n") + "\n"
        let (framer, sink) = frame(backward, blockLines: 3)
        let loki = framer as! LokiJSONLFramer
        XCTAssertEqual(loki.direction, .backward)
        XCTAssertEqual(framer.transport, LokiJSONLFramer.backwardTransport)
        XCTAssertEqual(loki.forcedCuts, 0, "every cut fell on a pause")
        XCTAssertEqual(sink.lines.count, forward.count)
        // Each stream's lines: bursts newest first, each burst in time order, header first.
        let streams = perStream(sink)
        XCTAssertEqual(streams.count, 2)
        for (_, texts) in streams {
            let host = texts[0].split(separator: " ")[1]
            var want: [String] = []
            for b in [2, 1, 0] {
                want.append("HEADER \(host) \(b)")
                for l in 1..<4 { want.append("body \(host) \(b).\(l)") }
            }
            XCTAssertEqual(texts, want)
        }
        // Within a burst, time order across streams too.
        let firstBurst = Array(sink.lines.prefix(8)).map(\.time)
        XCTAssertEqual(firstBurst, firstBurst.sorted())
    }

    func testBackwardWindowWithoutPauseIsCutAtTheLongestSilence() {
        // Records 10 ms apart, lines 1 µs apart, no pause: the window (12 lines) must be cut
        // between records, never inside one.
        var forward: [String] = []
        for r in 0..<10 {
            for l in 0..<4 {
                let text = l == 0 ? "HEADER \(r)" : "body \(r).\(l)"
                forward.append(entry(text, String(format: "2025-06-10T17:07:31.%03d%03dZ", r * 10, l)))
            }
        }
        let backward = forward.reversed().joined(separator: "\n") + "\n"
        let (framer, sink) = frame(backward, blockLines: 7, make: { LokiJSONLFramer(windowLines: 12) })
        let loki = framer as! LokiJSONLFramer
        XCTAssertEqual(loki.direction, .backward)
        XCTAssertGreaterThan(loki.forcedCuts, 0)
        XCTAssertEqual(sink.lines.count, forward.count)
        // Every record arrives whole and in order: header, then its body lines.
        var i = 0
        var seen = Set<String>()
        while i < sink.lines.count {
            let header = sink.lines[i].text
            XCTAssertTrue(header.hasPrefix("HEADER "), "line \(i): \(header)")
            let r = header.dropFirst("HEADER ".count)
            XCTAssertEqual(sink.lines[(i + 1)..<(i + 4)].map(\.text), (1..<4).map { "body \(r).\($0)" })
            seen.insert(header)
            i += 4
        }
        XCTAssertEqual(seen.count, 10)
    }

    func testBackwardRunsOneAfterAnotherAreEachTurnedRound() {
        // Two backward queries concatenated: the step forwards in time starts a new run.
        let a = twoHostBursts(bursts: 1)
        let b = twoHostBursts(bursts: 1).map { $0.replacingOccurrences(of: "17:07:", with: "18:07:") }
        let text = (a.reversed() + b.reversed()).joined(separator: "\n") + "\n"
        let (_, sink) = frame(text)
        let times = sink.lines.map(\.time)
        XCTAssertEqual(Array(times.prefix(8)), Array(times.prefix(8)).sorted())
        XCTAssertEqual(Array(times.suffix(8)), Array(times.suffix(8)).sorted())
        XCTAssertLessThan(times[7], times[8], "runs keep their input order")
    }

    func testFixtureNewestFirstYieldsTheSameEvents() throws {
        // `Fixtures/loki.jsonl` is `--forward` output; reversed it is what logcli prints by default.
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/loki.jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n")
        let forward = scanEvents(text, name: "loki.jsonl").events
        let backward = scanEvents(lines.reversed().joined(separator: "\n") + "\n", name: "loki.jsonl").events
        func key(_ e: FailureEvent) -> String {
            "\(e.time.map { $0.micros } ?? 0) \(e.appVersion ?? "-") \(e.instance ?? "-") \(e.facts.code ?? "-") \(e.facts.model ?? "-") \(e.facts.fields) \(e.facts.method ?? "-") \(e.facts.clientVersion ?? "-")"
        }
        XCTAssertEqual(forward.count, 3)
        XCTAssertEqual(backward.map(key).sorted(), forward.map(key).sorted())
    }

    func testBackwardPairYieldsOneEventEndToEnd() {
        // The 2.2.3 pair as logcli prints it by default (newest first): one event, as forward.
        let lines = Samples.pair223.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        func json(_ s: Substring) -> String {
            var out = ""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "<": out += "\\u003c"
                case ">": out += "\\u003e"
                default: out.unicodeScalars.append(u)
                }
            }
            return out
        }
        let forward = lines.enumerated().map { i, l in
            entry(json(l), String(format: "2025-06-10T17:07:31.%06dZ", 100_000 + i * 23))
        }
        let f = scanEvents(forward.joined(separator: "\n") + "\n").events
        let b = scanEvents(forward.reversed().joined(separator: "\n") + "\n").events
        XCTAssertEqual(f.count, 1)
        XCTAssertEqual(b.count, 1)
        XCTAssertEqual(b.first?.facts.code, "P2002")
        XCTAssertEqual(b.first?.facts.method, "setProxy")
        XCTAssertEqual(b.first?.appVersion, "2.2.3")
    }
}
