import XCTest
@testable import EvoScan

final class RecordCollector: RecordSink {
    var records: [(kind: LineKind, text: String, stream: Int32, sequence: Int, truncated: Bool)] = []
    func record(_ r: RawRecord) {
        records.append((r.kind, String(decoding: r.bytes, as: UTF8.self), r.stream, r.sequence, r.truncated))
    }
}

final class RecordAssemblerTests: XCTestCase {
    func assemble(_ text: String, cap: Int = 1 << 20, blockSize: Int = .max, emitAll: Bool = true) -> (RecordCollector, AssemblyTotals) {
        let sink = RecordCollector()
        let assembler = RecordAssembler(sink: sink, cap: cap)
        assembler.emitAll = emitAll
        let bytes = Array(text.utf8)
        // Feed blocks that end at line boundaries, as the line reader does.
        var start = 0
        while start < bytes.count {
            var end = min(bytes.count, start + blockSize)
            while end < bytes.count, bytes[end - 1] != 0x0A { end += 1 }
            bytes[start..<end].withUnsafeBytes { assembler.consume($0, segments: nil) }
            start = end
        }
        assembler.finish()
        return (sink, assembler.totals)
    }

    func testColourObjectBodyEndsAtSpaceThenEmptyLine() {
        let text = Samples.pair223 + "recv 1 chats, 2 contacts, 3 msgs (is latest: true)\nCache request for group: 1@g.us\n"
        let (sink, totals) = assemble(text)
        XCTAssertEqual(sink.records.map(\.kind), [.evolutionHeader, .evolutionHeader, .rawConsole, .rawConsole])
        XCTAssertTrue(sink.records[1].text.hasPrefix("[Evolution API]"))
        XCTAssertTrue(sink.records[1].text.contains("PrismaClientKnownRequestError: \nInvalid"), "the bare error is the header's body")
        XCTAssertTrue(sink.records[1].text.hasSuffix("} \n\n"), "the empty line belongs to the record")
        XCTAssertEqual(totals.records, 4)
        XCTAssertEqual(totals.recordsWithPrismaText, 2)
    }

    func testSameRecordsWhateverTheBlockSize() {
        let text = Samples.pair223 + Samples.triple204
        let whole = assemble(text).0.records.map(\.text)
        for size in [1, 50, 333, 4096] {
            XCTAssertEqual(assemble(text, blockSize: size).0.records.map(\.text), whole, "block size \(size)")
        }
    }

    func testOnlyPrismaRecordsAreEmittedByDefault() {
        let text = "[Evolution API]  [a]  v2.3.6  211   -  Tue Jun 10 2025 14:07:31     INFO   [ChannelStartupService]  [string]  Connection state: open \n" + Samples.pair223
        let (sink, totals) = assemble(text, emitAll: false)
        XCTAssertEqual(sink.records.count, 2)
        XCTAssertEqual(sink.records.map(\.sequence), [1, 2], "sequence numbers count every record")
        XCTAssertEqual(totals.records, 3)
    }

    func testHeaderlessPrismaBlockEndsAtClosingBrace() {
        let text = """
        some raw line
        PrismaClientKnownRequestError: \("")
        Invalid `prisma.customer.create()` invocation:


        Unique constraint failed on the fields: (`email`)
            at async add (/app/src/users.ts:31:3) {
          code: 'P2002',
          clientVersion: '5.22.0',
          meta: { modelName: 'Customer', target: [ 'email' ] }
        }
        after the block

        """
        let (sink, _) = assemble(text)
        XCTAssertEqual(sink.records.map(\.kind), [.other, .prismaBlock, .other])
        XCTAssertTrue(sink.records[1].text.hasSuffix("}\n"))
        XCTAssertEqual(sink.records[2].text, "after the block\n")
    }

    func testRecordCapTruncatesAndFlags() {
        let big = "[Evolution API]    v2.3.6  211   -  Tue Jun 10 2025 14:07:31     ERROR   [X]  [string]  \(String(repeating: "z", count: 100))\n"
            + (0..<200).map { "  PrismaClient line \($0)\n" }.joined()
        for blockSize in [64, .max] {
            let (sink, totals) = assemble(big, cap: 4096, blockSize: blockSize)
            XCTAssertEqual(sink.records.count, 1)
            XCTAssertTrue(sink.records[0].truncated)
            XCTAssertEqual(sink.records[0].text.utf8.count, 4096)
            XCTAssertEqual(totals.truncatedRecords, 1)
        }
    }

    func testInterleavedStreamsAreAssembledApart() {
        let a = "[Evolution API]    v2.3.6  211   -  Tue Jun 10 2025 14:07:31     ERROR   [unhandledRejection]  [object]   \n"
        let b = "[Evolution API]    v2.3.6  300   -  Tue Jun 10 2025 14:07:31     INFO   [X]  [string]  hello \n"
        var bytes: [UInt8] = []
        var segments: [FrameSegment] = []
        for (text, stream) in [(a, Int32(0)), (b, 1), ("PrismaClientKnownRequestError: \n", 0), ("{\n", 1), ("  code: 'P2002'\n", 0), ("} \n", 0), ("\n", 0)] {
            bytes += Array(text.utf8)
            segments.append(FrameSegment(end: bytes.count, stream: stream))
        }
        let sink = RecordCollector()
        let assembler = RecordAssembler(sink: sink)
        assembler.emitAll = true
        bytes.withUnsafeBytes { b in segments.withUnsafeBufferPointer { assembler.consume(b, segments: $0) } }
        assembler.finish()
        let s0 = sink.records.filter { $0.stream == 0 }
        XCTAssertEqual(s0.count, 1)
        XCTAssertEqual(s0[0].text, a + "PrismaClientKnownRequestError: \n  code: 'P2002'\n} \n\n")
        XCTAssertEqual(sink.records.filter { $0.stream == 1 }.map(\.text), [b + "{\n"])
    }
}

final class PipelineTests: XCTestCase {
    func testPairIsOneEventWithMetaFromTheBareRecord() {
        let (events, session) = scanEvents(Samples.pair223)
        XCTAssertEqual(events.count, 1)
        let e = events[0]
        XCTAssertEqual(e.time?.iso8601, "2025-06-10T17:07:31Z")
        XCTAssertEqual(e.context, "unhandledRejection")
        XCTAssertEqual(e.appVersion, "2.2.3")
        XCTAssertEqual(e.pid, 211)
        XCTAssertEqual(e.facts.model, "Proxy")
        XCTAssertEqual(e.facts.fields, ["instanceId"])
        XCTAssertEqual(session.aggregate.failuresTotal, 1)
    }

    func testTwoDistinctFailuresInTheSameSecondStayTwo() {
        let (events, _) = scanEvents(Samples.pair223 + Samples.pair223)
        XCTAssertEqual(events.count, 2)
    }

    func testOriginRecordWithoutTwinIsStillAFailure() {
        let origin = Samples.pair223.components(separatedBy: "\n\n[Evolution API]")[0] + "\n\n"
        let (events, _) = scanEvents(origin)
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events[0].facts.code, "P2002")
        XCTAssertEqual(events[0].facts.fields, ["instanceId"], "fields from the message when meta is [Object]")
    }

    func testRawANSIColourHeaderIsParsed() {
        let text = colourHeader(instance: "loja-centro", version: "2.3.6", context: "ChannelStartupService") + "\n"
            + "PrismaClientKnownRequestError: \nInvalid `this.prismaRepository.contact.upsert()` invocation in\n/evolution/dist/main.js:2:1\n\nUnique constraint failed on the fields: (`remoteJid`,`instanceId`)\n    at async Ab.upsertContact (/evolution/dist/main.js:2:9) {\n  code: 'P2002',\n  meta: { modelName: 'Contact', target: [ 'remoteJid', 'instanceId' ] },\n  clientVersion: '6.17.1'\n} \n\n"
        let (events, _) = scanEvents(text)
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events[0].instance, "loja-centro")
        XCTAssertEqual(events[0].appVersion, "2.3.6")
        XCTAssertEqual(events[0].level, "ERROR")
        XCTAssertEqual(events[0].facts.model, "Contact")
    }

    func testTransportTimeInfersTheZone() {
        let text = Samples.pair223.split(separator: "\n", omittingEmptySubsequences: false)
            .map { "2025-06-10T20:07:31.500000000Z " + $0 }.joined(separator: "\n")
        let (events, session) = scanEvents(text)
        XCTAssertEqual(events.count, 1)
        // Header 14:07:31 with the transport at 20:07:31Z: the process ran at UTC−06:00.
        XCTAssertEqual(events[0].time?.iso8601, "2025-06-10T20:07:31Z")
        XCTAssertEqual(events[0].transportTime?.iso8601Micros, "2025-06-10T20:07:31.500000Z")
        XCTAssertEqual(session.zone.used, ["-06:00": .inferred])
    }
}

final class TimeAndTextTests: XCTestCase {
    func testCivilTimeRoundTrip() {
        for s: Int64 in [0, 951_782_400, 1_749_575_251, 4_102_444_799, -1] {
            let (y, m, d, hh, mm, ss) = CivilTime.fields(s)
            XCTAssertEqual(CivilTime.epochSeconds(y, m, d, hh, mm, ss), s)
        }
        XCTAssertEqual(Instant(seconds: 1_749_575_251).iso8601, "2025-06-10T17:07:31Z")
        XCTAssertEqual(Timestamps.parseRFC3339("2025-06-10T14:07:31.5-03:00")?.micros, 1_749_575_251_500_000)
        XCTAssertEqual(Timestamps.parseRFC3339("2025-06-10T17:07:31+0000")?.micros, 1_749_575_251_000_000)
        XCTAssertNil(Timestamps.parseRFC3339("2025-13-10T17:07:31Z"))
    }

    func testLogTimeZones() {
        XCTAssertEqual(LogTimeZone("-03:00"), .fixed(seconds: -10_800, name: "-03:00"))
        XCTAssertEqual(LogTimeZone("+0530"), .fixed(seconds: 19_800, name: "+05:30"))
        XCTAssertNil(LogTimeZone("Not/AZone"))
        let berlin = LogTimeZone("Europe/Berlin")!
        // Summer time (UTC+2) and winter time (UTC+1).
        XCTAssertEqual(berlin.utc(fromWall: CivilTime.epochSeconds(2025, 7, 1, 12, 0, 0)), CivilTime.epochSeconds(2025, 7, 1, 10, 0, 0))
        XCTAssertEqual(berlin.utc(fromWall: CivilTime.epochSeconds(2025, 1, 1, 12, 0, 0)), CivilTime.epochSeconds(2025, 1, 1, 11, 0, 0))
    }

    /// The resolver lists every zone it used with how it knew it, however often and in
    /// whatever order the same ones come back.
    func testZoneResolverListsEveryZoneUsed() {
        let wall = CivilTime.epochSeconds(2025, 6, 10, 14, 7, 31)
        let resolver = ZoneResolver(flag: nil)
        XCTAssertEqual(resolver.utc(wall: wall, transportMicros: nil), wall + 3 * 3600)
        XCTAssertEqual(resolver.utc(wall: wall, transportMicros: (wall + 3 * 3600) * 1_000_000), wall + 3 * 3600)
        XCTAssertEqual(resolver.utc(wall: wall, transportMicros: (wall - 2 * 3600) * 1_000_000), wall - 2 * 3600)
        XCTAssertEqual(resolver.utc(wall: wall, transportMicros: nil), wall - 2 * 3600, "the last inferred offset holds")
        _ = resolver.utc(wall: wall, transportMicros: (wall + 3 * 3600) * 1_000_000)
        resolver.beginInput()
        _ = resolver.utc(wall: wall, transportMicros: nil)
        XCTAssertEqual(resolver.used, ["America/Sao_Paulo": .assumed, "-03:00": .inferred, "+02:00": .inferred])
        let flagged = ZoneResolver(flag: LogTimeZone("+05:30"))
        for _ in 0..<3 { XCTAssertEqual(flagged.utc(wall: wall, transportMicros: 0), wall - 19_800) }
        XCTAssertEqual(flagged.used, ["+05:30": .flag])
    }

    func testHeaderParserBothLayouts() {
        let scratch = RegexScratch()
        func parse(_ s: String) -> EvolutionHeader? {
            var b = Array(s.utf8)
            return b.withUnsafeMutableBytes { EvolutionHeaderParser.parse(UnsafeRawBufferPointer($0), scratch: scratch) }
        }
        let colour = parse("[Evolution API]  [filial norte]  v2.4.0-rc2  211   -  Tue Jun 10 2025 14:07:31     INFO   [ChannelStartupService]  [string]  Connection state: open ")
        XCTAssertEqual(colour?.instance, "filial norte")
        XCTAssertEqual(colour?.version, "2.4.0-rc2")
        XCTAssertEqual(colour?.wallSeconds, CivilTime.epochSeconds(2025, 6, 10, 14, 7, 31))
        let plain = parse("[Evolution API Lite] [loja] 211 - Tue Jun 10 2025 14:07:31   ERROR  [unhandledRejection] [object] {")
        XCTAssertEqual(plain?.lite, true)
        XCTAssertNil(plain?.version)
        XCTAssertEqual(plain?.instance, "loja")
        XCTAssertEqual(plain?.context, "unhandledRejection")
        XCTAssertNil(parse("Evolution API is great"))
    }

    func testRedactorMasksEveryKindOfSecret() {
        let r = Redactor()
        XCTAssertEqual(r.redact("Database URL: postgresql://evo:s3cret@db:5432/evo"), "Database URL: postgresql://evo:[REDACTED]@db:5432/evo")
        XCTAssertEqual(r.redact("  api_key: 'ABCDEF123456',"), "  api_key: '[REDACTED]',")
        XCTAssertEqual(r.redact(#"{"Apikey":["tok123"],"password":"p\"w"}"#), #"{"Apikey":["[REDACTED]"],"password":"[REDACTED]"}"#)
        XCTAssertEqual(r.redact("proxyPassword: \"x y\", chatwootToken=abc123&x=1"), "proxyPassword: \"[REDACTED]\", chatwootToken=[REDACTED]&x=1")
        XCTAssertEqual(r.redact("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y"), "Authorization: Bearer [REDACTED]")
        XCTAssertEqual(r.redact("Unique constraint failed on the fields: (`instanceId`)"), "Unique constraint failed on the fields: (`instanceId`)")
    }

    func testSecretPrefilterPicksOnlyThePatternsThatCanMatch() {
        let r = Redactor()
        // The built-in rules in order: url-credentials, quoted-secret, bare-secret, bearer.
        XCTAssertEqual(Knowledge.builtIn.redactions.map(\.name), ["url-credentials", "quoted-secret", "bare-secret", "bearer"])
        struct Kinds: OptionSet, Equatable {
            let rawValue: UInt64
            static let url = Kinds(rawValue: 1), word = Kinds(rawValue: 6), bearer = Kinds(rawValue: 8)
        }
        func kinds(_ text: String) -> Kinds { Kinds(rawValue: r.needles(in: Array(text.utf8))) }
        XCTAssertEqual(kinds("APIKEY=1"), .word)
        XCTAssertEqual(kinds("api_key: 1"), .word)
        XCTAssertEqual(kinds("x-Api-Key"), .word)
        XCTAssertEqual(kinds("x PaSsWoRd and Secret and tokEN"), .word)
        XCTAssertEqual(kinds("HTTPS://h"), .url)
        XCTAssertEqual(kinds("Authorization: BEARER abc"), .bearer)
        XCTAssertEqual(kinds("postgresql://evo:pw@db Bearer x, token"), [.word, .url, .bearer])
        for miss in ["", "key", "Foreign key constraint", "Message_instanceId_fkey", "api key", "apike", "pas", "secre", "toke", ":/", "beare", "Unique constraint failed on the fields: (`instanceId`)", "k\u{0}ey"] {
            XCTAssertEqual(kinds(miss), [], miss)
        }
        // "Foreign key" alone must not run the URL pattern, and nothing is masked in it.
        XCTAssertEqual(r.redact("Foreign key constraint violated: `Message_instanceId_fkey (index)`"), "Foreign key constraint violated: `Message_instanceId_fkey (index)`")
    }

    func testJSONEscapeOfControlQuotesAndLineSeparators() {
        var out: [UInt8] = []
        JSONValue.escape("a\"b\\c\nd\re\tf\u{1}g\u{7F}h\u{2028}i\u{2029}j é😀", into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), #""a\"b\\c\nd\re\tf\u0001g\u007fh\u2028i\u2029j é😀""#)
        out = []
        JSONValue.escape("", into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), #""""#)
    }

    func testFirstLinesSkipsEmptyLinesLikeTheEvidenceAlwaysDid() {
        XCTAssertEqual(SilentFailureCorrelator.firstLines(2, of: "a\n\nb\nc"), "a\nb")
        XCTAssertEqual(SilentFailureCorrelator.firstLines(2, of: "only"), "only")
        XCTAssertEqual(SilentFailureCorrelator.firstLines(2, of: "\n\nx\n"), "x")
        XCTAssertEqual(SilentFailureCorrelator.firstLines(2, of: ""), "")
    }

    func testRegexLimitsAreCountedNotFatal() throws {
        let scratch = RegexScratch(matchLimit: 10_000)
        let evil = try Regex(#"^(\w+\s?)*$"#)
        let subject = Array((String(repeating: "a", count: 40) + "!").utf8)
        XCTAssertNil(scratch.firstMatch(evil, in: subject))
        XCTAssertEqual(scratch.limitHits, 1)
        XCTAssertThrowsError(try Regex("(unclosed"))
    }
}

final class BytesTests: XCTestCase {
    /// ESC and CR are found wherever they sit in the 8-byte words skipped at once.
    func testStripANSIAndCRAtEveryOffset() {
        for pad in 0..<17 {
            let p = String(repeating: "x", count: pad)
            let input = p + "\u{1B}[1;31mred\u{1B}[0m" + p + "\r\n" + p + "a\rb\u{1B}c" + p
            let expected = p + "red" + p + "\n" + p + "a\rb\u{1B}c" + p
            XCTAssertEqual(Bytes.stripANSIAndCR(Array(input.utf8)), Array(expected.utf8), "pad \(pad)")
        }
        XCTAssertEqual(Bytes.stripANSIAndCR(Array("\u{1B}[1mA\u{1B}[0m \u{1B}\u{1B}[2Kb\u{1B}[".utf8)), Array("A \u{1B}b\u{1B}[".utf8))
        XCTAssertTrue(Bytes.hasByte(0x1B00_0000_0000_0000, 0x1B))
        XCTAssertFalse(Bytes.hasByte(0x0101_0101_0101_0101 &* 0x1C, 0x1B))
    }

    /// The first matching byte of a word, also when a byte just below it borrows.
    func testFirstByte() {
        for at in 0..<8 {
            var bytes = [UInt8](repeating: 0x1C, count: 8)
            bytes[at] = 0x1B
            if at + 1 < 8 { bytes[at + 1] = 0x1A }
            let w = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            XCTAssertEqual(Bytes.firstByte(w, 0x1B), at)
        }
        XCTAssertEqual(Bytes.firstByte(0x0101_0101_0101_0101 &* 0x1C, 0x1B), 8)
    }

    /// `contains(_:_:rareByteAt:)` agrees with memmem on random mixes of the needle's pieces.
    func testContainsByRareByteAgreesWithMemmem() {
        let pieces = ["error", ": ", "Prisma", "Client", "P", "e", "rror: P", " ", "\n", "origin: Promise", " {", "{"]
        var state: UInt64 = 7
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for _ in 0..<20_000 {
            let text = Array((0..<next(12)).map { _ in pieces[next(pieces.count)] }.joined().utf8)
            text.withUnsafeBytes { b in
                XCTAssertEqual(Bytes.contains(b, "error: PrismaClient", rareByteAt: 7), Bytes.contains(b, "error: PrismaClient"))
                XCTAssertEqual(Bytes.contains(b, "origin: Promise {", rareByteAt: 16), Bytes.contains(b, "origin: Promise {"))
            }
        }
    }
}

extension BytesTests {
    /// Both ways through (memchr from ESC to ESC when there is no CR, words otherwise) give
    /// what a byte-by-byte reading of the rule gives, on random mixes of the bytes that
    /// matter.
    func testStripANSIAndCRAgreesWithAByteByByteReading() {
        func reference(_ b: [UInt8]) -> [UInt8] {
            var out: [UInt8] = []
            var i = 0
            while i < b.count {
                if b[i] == 0x1B, i + 1 < b.count, b[i + 1] == UInt8(ascii: "[") {
                    var j = i + 2
                    while j < b.count, (0x30...0x3F).contains(b[j]) { j += 1 }
                    while j < b.count, (0x20...0x2F).contains(b[j]) { j += 1 }
                    if j < b.count, (0x40...0x7E).contains(b[j]) { i = j + 1; continue }
                }
                if b[i] == 0x0D, i + 1 < b.count, b[i + 1] == 0x0A { i += 1; continue }
                out.append(b[i])
                i += 1
            }
            return out
        }
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("\u{1B}\u{1B}[[1;m x\n!".utf8)
        for round in 0..<4000 {
            var input = (0..<Int.random(in: 0..<80, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            if round % 2 == 0, let at = input.indices.randomElement(using: &rng) { input.insert(0x0D, at: at) }
            XCTAssertEqual(Bytes.stripANSIAndCR(input), reference(input), "\(input)")
        }
    }
}

final class UTCTimeTests: XCTestCase {
    /// The byte-written times equal the padded interpolation they replace, and years it
    /// does not cover fall back to it.
    func testISO8601AsBytesMatchesInterpolation() {
        for seconds: Int64 in [0, 59, 1_749_568_051, 253_402_300_799, 253_402_300_800, -1, -62_167_219_201, 1_749_568_051 + 86_400 * 400] {
            let (y, m, d, hh, mm, ss) = CivilTime.fields(seconds)
            let old = CivilTime.format(y, m, d, hh, mm, ss) + "Z"
            XCTAssertEqual(Instant(seconds: seconds).iso8601, old)
            XCTAssertEqual(Instant(seconds: seconds).iso8601Minute, String(old.prefix(16)) + "Z")
        }
        XCTAssertEqual(Instant(seconds: 1_749_568_051).iso8601, "2025-06-10T15:07:31Z")
        XCTAssertEqual(Instant(seconds: 1_749_568_051 / 60 * 60).iso8601Minute, "2025-06-10T15:07Z")
    }

    /// Minute counts written as bytes serialize exactly as the object of key strings they
    /// replace, pretty and compact, nested, empty, and for years the byte form skips.
    func testMinuteCountsWriteAsTheObjectTheyReplace() {
        let minutes: [Int64: Int] = [1_749_568_051 / 60: 3, 1_749_568_051 / 60 + 1: 12, 0: 1, -1: 2, 253_402_300_800 / 60: 7]
        let old = JSONValue.object(minutes.sorted { $0.key < $1.key }.map { (Instant(seconds: $0.key * 60).iso8601Minute, .int($0.value)) })
        for value in [minutes, [:]] {
            let expected = value.isEmpty ? JSONValue.object([]) : old
            for pretty in [true, false] {
                XCTAssertEqual(SummaryJSON.minutes(value).serialized(pretty: pretty), expected.serialized(pretty: pretty))
                let nested = JSONValue.array([.object([("minutes", SummaryJSON.minutes(value))])])
                XCTAssertEqual(nested.serialized(pretty: pretty), JSONValue.array([.object([("minutes", expected)])]).serialized(pretty: pretty))
            }
        }
        XCTAssertTrue(SummaryJSON.minutes(minutes).serialized().hasPrefix(#"{"1969-12-31T23:59Z":2,"1970-01-01T00:00Z":1,"2025-06-10T15:07Z":3"#))
    }
}

final class EvolutionVersionTests: XCTestCase {
    /// The byte split reads every version as the Character split it replaces.
    func testASCIISplitMatchesCharacterSplit() {
        func slow(_ text: String) -> [Int]? {
            let core = text.split(whereSeparator: { $0 == "-" || $0 == "+" }).first ?? ""
            let parts = core.split(separator: ".").map { Int($0) }
            guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2] else { return nil }
            return [a, b, c]
        }
        for v in ["2.2.3", "2.0.4-rc", "2.4.0-rc2", "+2.1.0", "--1.2.3+x", "1..2.3", "1.2", "1.2.3.4", "", "-", "a.b.c",
                  "1.2.99999999999999999999", "1.2.3\r\n", "01.002.3", "2.1.0+build.5", "1.2.x3"] {
            let fast = EvolutionVersion(v).map { [$0.major, $0.minor, $0.patch] }
            XCTAssertEqual(fast, slow(v), v)
        }
        XCTAssertNil(EvolutionVersion.asciiNumbers("2.1.é"), "non-ASCII takes the Character split")
    }
}

final class AggregatorTests: XCTestCase {
    func event(code: String?, model: String?, fields: [String], instance: String?, second: Int64, sample: FailureSample = "s") -> FailureEvent {
        var f = PrismaFacts()
        f.code = code
        f.model = model
        f.fields = fields
        return FailureEvent(time: Instant(seconds: second), transportTime: nil, instance: instance, appVersion: nil, context: nil,
                            level: nil, pid: nil, facts: f, input: "x", stream: 0, sequence: 0, truncated: false, sample: sample)
    }

    /// Evidence lines redacted from the head of a sample equal those of the whole sample,
    /// secrets across line ends and trailing blanks included.
    func testSampleFirstLinesEqualThoseOfTheWholeText() {
        let redactor = Redactor()
        let samples = [
            "hdr\npassword: 'abc'\nmore", "a\ntoken:\n 'secret-value'\nz", "a\nx Bearer\nabcdefghijkl\nx",
            "x api_key=\nfoo\nbar", "\n\nl1 postgres://u:pw@h/db\n\nl2 token=abc\nl3", "only one line",
            "l1\nl2 \n \n", "l1\nl2\u{600}\n x", "l1\nl2\u{600} \n\n", "secret\n: \"s\"\nx", "l1 token=a\nl2 passwd=\"b\" c\nq",
        ]
        for text in samples {
            let sample = FailureSample(record: Array(text.utf8), redactor: redactor)
            XCTAssertEqual(sample.firstLines(2), SilentFailureCorrelator.firstLines(2, of: sample.text), text)
        }
    }

    /// Samples are read only when they may be kept, and then redacted: the earliest three
    /// by time, then text, whatever order they arrive in.
    func testSamplesAreTheEarliestAndRedacted() {
        let a = Aggregator()
        let redactor = Redactor()
        for (second, text) in [(5, "e"), (3, "d password=x1 "), (9, "z"), (3, "c\n"), (1, "b"), (7, "a")] as [(Int64, String)] {
            a.failure(event(code: "P2002", model: "M", fields: [], instance: nil, second: second,
                            sample: FailureSample(record: Array(text.utf8), redactor: redactor)))
        }
        XCTAssertEqual(a.sortedGroups[0].samples.map(\.text), ["b", "c", "d password=[REDACTED]"])
    }

    /// A group's constraint is the one its earliest failure logged, however the failures
    /// are counted: one aggregate in any order, or two folded in either order.
    func testGroupConstraintDoesNotDependOnCountingOrder() {
        func constrained(_ second: Int64, _ name: String) -> FailureEvent {
            var e = event(code: "P2003", model: "Chat", fields: ["instanceId"], instance: "a", second: second)
            e.facts.constraint = name
            return e
        }
        let events = [constrained(50, "Chat_instanceId_fkey (index)"), constrained(20, "Chat_instanceId_fkey"), constrained(90, "A_fkey")]
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let a = Aggregator()
            for i in order { a.failure(events[i]) }
            XCTAssertEqual(a.sortedGroups[0].constraint, "Chat_instanceId_fkey", "\(order)")
        }
        for (first, second) in [([0, 2], [1]), ([1], [0, 2])] {
            let a = Aggregator(), b = Aggregator()
            for i in first { a.failure(events[i]) }
            for i in second { b.failure(events[i]) }
            a.absorb(b)
            XCTAssertEqual(a.sortedGroups[0].constraint, "Chat_instanceId_fkey")
        }
    }

    /// Outcomes are counted in an array by `ordinal`, which must follow `allCases`.
    func testOutcomeOrdinalsFollowAllCases() {
        XCTAssertEqual(FailureOutcome.allCases.map(\.ordinal), Array(FailureOutcome.allCases.indices))
        let a = Aggregator()
        a.outcomes = [.logged: 2, .silent: 1]
        XCTAssertEqual(a.outcomes, [.logged: 2, .silent: 1])
    }

    func testGroupsInstancesAndPeriod() {
        let a = Aggregator()
        a.failure(event(code: "P2002", model: "Proxy", fields: ["instanceId"], instance: "a", second: 100))
        a.failure(event(code: "P2002", model: "Proxy", fields: ["instanceId"], instance: "b", second: 50))
        a.failure(event(code: "P2002", model: "Proxy", fields: ["instanceId"], instance: "a", second: 300))
        a.failure(event(code: "P2024", model: nil, fields: [], instance: nil, second: 200))
        XCTAssertEqual(a.failuresTotal, 4)
        let g = a.sortedGroups
        XCTAssertEqual(g.map(\.count), [3, 1])
        XCTAssertEqual(g[0].instances, ["a": 2, "b": 1])
        XCTAssertEqual(g[0].firstSeen?.seconds, 50)
        XCTAssertEqual(g[0].lastSeen?.seconds, 300)
        XCTAssertEqual(g[1].unattributed, 1)
        XCTAssertEqual(a.sortedInstances.map(\.name), ["a", "b"])
        XCTAssertEqual(a.firstSeen?.seconds, 50)
        XCTAssertEqual(a.lastSeen?.seconds, 300)
    }

    func testGroupCardinalityIsCapped() {
        let a = Aggregator()
        for i in 0..<(Aggregator.maxGroups + 5) {
            a.failure(event(code: "P2002", model: "M", fields: ["f\(i)"], instance: nil, second: 1))
        }
        XCTAssertEqual(a.groups.count, Aggregator.maxGroups)
        XCTAssertEqual(a.otherGroupFailures, 5)
        XCTAssertEqual(a.failuresTotal, Aggregator.maxGroups + 5)
    }

    func testInstanceCardinalityIsCappedAndSaidInTheTable() {
        let a = Aggregator()
        for i in 0..<(Aggregator.maxInstances + 7) {
            a.failure(event(code: "P2002", model: "M", fields: ["f"], instance: "inst-\(i)", second: 1))
        }
        XCTAssertEqual(a.instances.count, Aggregator.maxInstances)
        XCTAssertEqual(a.otherInstanceFailures, 7)
        XCTAssertEqual(a.failuresTotal, Aggregator.maxInstances + 7)
        var report = ScanReport(tool: "t", totals: ScanTotals(), inputs: [], aggregate: a, zones: [:], window: 2)
        report.totals.failuresDecidedEarly = 3
        XCTAssertEqual(TableRenderer.limitsReached(report),
                       "7 failures of instances past the \(Aggregator.maxInstances)-instance cap; 3 failures decided before their evidence window closed (burst)")
    }

    /// The limit counts survive a summary's round trip and add up in a merge.
    func testLimitCountsRoundTripAndMerge() throws {
        var totals = ScanTotals()
        totals.failuresDecidedEarly = 3
        totals.accessRequestsDropped = 2
        totals.regexLimitHits = 5
        let report = ScanReport(tool: "t", totals: totals, inputs: [], aggregate: Aggregator(), zones: [:], window: 2)
        let read = try SummaryReader.read(Data(SummaryJSON.render(report).bytes()), name: "a.json")
        XCTAssertEqual(read.totals.failuresDecidedEarly, 3)
        XCTAssertEqual(read.totals.accessRequestsDropped, 2)
        XCTAssertEqual(read.totals.regexLimitHits, 5)
        var merged = read.totals
        merged.add(read.totals)
        XCTAssertEqual(merged.failuresDecidedEarly, 6)
        XCTAssertEqual(merged.accessRequestsDropped, 4)
    }

    /// A burst inside one evidence window (here: one second) holds at most `maxPending`
    /// failures; the rest are decided early, every one is still counted, and the count of
    /// early decisions is in the totals.
    func testBurstInOneWindowIsDecidedEarlyNotHeld() {
        let n = SilentFailureCorrelator.maxPending + 300
        var log = ""
        for i in 0..<n {
            log += "[Evolution API]  [loja-\(i % 50)]  v2.2.3  211   -  Tue Jun 10 2025 14:07:31     ERROR   [unhandledRejection]  [object]  \n"
                + "PrismaClientKnownRequestError: \nInvalid `prisma.proxy.create()` invocation in\n/evolution/dist/main.js:1:100\n\n"
                + "Unique constraint failed on the fields: (`instanceId`)\n  code: 'P2002',\n  meta: { modelName: 'Proxy', target: [ 'instanceId' ] }\n}\n"
        }
        let (events, session) = scanEvents(log)
        XCTAssertEqual(events.count, n)
        XCTAssertEqual(session.correlator.decidedEarly, 300)
        XCTAssertEqual(session.totals.failuresDecidedEarly, 300)
        XCTAssertEqual(events.filter { $0.silent != nil }.count, n, "decided alike: probable silent failures without an access log")
    }
}

final class CountTableTests: XCTestCase {
    /// The list and the dictionary it turns into count the same as a Dictionary would,
    /// refuse new keys past the cap, and equal strings with different storage are one key.
    func testCountsLikeADictionaryAcrossTheListLimit() {
        var table = CountTable()
        var reference: [String: Int] = [:]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            let key = "value-\(Int.random(in: 0..<40, using: &rng))"
            let n = Int.random(in: 1...3, using: &rng)
            table.add(key, n)
            reference[key, default: 0] += n
            XCTAssertEqual(table.count, reference.count)
        }
        XCTAssertEqual(table.dictionary, reference)
        XCTAssertGreaterThan(reference.count, CountTable.listLimit)

        var capped = CountTable()
        XCTAssertTrue(capped.add("a", cap: 2))
        XCTAssertTrue(capped.add("b", cap: 2))
        XCTAssertFalse(capped.add("c", cap: 2))
        XCTAssertTrue(capped.add(String("a".utf8.map { Character(UnicodeScalar($0)) }), cap: 2))
        XCTAssertEqual(capped.dictionary, ["a": 2, "b": 1])
        XCTAssertEqual(CountTable(["x": 4, "y": 1]).dictionary, ["x": 4, "y": 1])
    }
}

final class OriginRecordTests: XCTestCase {
    /// `<rejected>` is found past other `<` (`<anonymous>`, `<minified>`), at the very end,
    /// and not in a near miss; an origin record needs all three of its marks.
    func testRejectedMarkAndOriginRecord() {
        func check(_ text: String, _ rejected: Bool, _ origin: Bool, file: StaticString = #filePath, line: UInt = #line) {
            var b = Array(text.utf8)
            b.withUnsafeMutableBytes { raw in
                XCTAssertEqual(RecordExtractor.hasRejected(UnsafeRawBufferPointer(raw)), rejected, text, file: file, line: line)
                XCTAssertEqual(RecordExtractor.isOriginOnly(UnsafeRawBufferPointer(raw)), origin, text, file: file, line: line)
            }
        }
        check("{\n  origin: Promise {\n    <anonymous> <rejected> PrismaClientKnownRequestError: x\n", true, true)
        check("{\n  origin: Promise {\n    <rejecte> <minified>\n", false, false)
        check("at <anonymous> (x) <rejected>", true, false)
        check("{\n  origin: Promise {\n    <rejected> x\n  error: PrismaClientKnownRequestError: y\n", true, false)
        check("no marks at all", false, false)
    }
}
