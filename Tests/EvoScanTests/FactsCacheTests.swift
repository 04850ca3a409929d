import XCTest
@testable import EvoScan

final class FactsCacheTests: XCTestCase {
    let bare = Samples.pair223.components(separatedBy: "\n\n[Evolution API]")[1]

    func inert(_ line: String) -> Bool {
        var bytes = Array(line.utf8)
        return bytes.withUnsafeMutableBytes { FactsCache(scratch: RegexScratch()).isInert(UnsafeRawBufferPointer($0)) }
    }

    func testHeaderWithEmptyValueIsInert() {
        XCTAssertTrue(inert("[Evolution API]  [loja-centro]  v2.2.3  211   -  Tue Jun 10 2025 14:07:31     ERROR   [unhandledRejection]  [object]   "))
    }

    func testLinesThatCouldTakePartInAMatchAreNot() {
        let h = "[Evolution API]    v2.2.3  211   -  Tue Jun 10 2025 14:07:31     ERROR   "
        // A value on the header line, a class name, a catalog message, a literal that
        // extract looks for, a line that a `\s` can continue, the CLI prefix.
        XCTAssertFalse(inert(h + "[SERVER]  [string]  PrismaClientKnownRequestError: x"))
        XCTAssertFalse(inert(h + "[PrismaClientKnownRequestError: x]  [object]"))
        XCTAssertFalse(inert(h + "[Operations timed out after `5s`]  [object]"))
        XCTAssertFalse(inert(h + "[meta: [Object]]  [object]"))
        XCTAssertFalse(inert(h + "[errorCode]  [object]"))
        XCTAssertFalse(inert(h + "[x]  [object]  code:"))
        XCTAssertFalse(inert("Error: P2002 [x]"))
    }

    /// The same body under two inert headers gives the same facts, and the cache hands out
    /// what a fresh extraction gives.
    func testFactsDependOnTheBodyAloneWhenTheHeaderIsInert() throws {
        let body = "\n" + bare.drop { $0 != "\n" }.dropFirst()
        let a = "[Evolution API]  [a]  v2.2.3  211   -  Tue Jun 10 2025 14:07:31     ERROR   [unhandledRejection]  [object]  " + body
        let b = "[Evolution API]  [zz-top]  v2.2.3  9   -  Wed Jul 11 2026 01:02:03     ERROR   [ChannelStartupService]  [object]  " + body
        XCTAssertFalse(facts(a).isEmpty)
        XCTAssertEqual(facts(a), facts(b))
        let cache = FactsCache(scratch: RegexScratch())
        var bytes = Array(a.utf8)
        try bytes.withUnsafeMutableBytes { raw in
            let text = UnsafeRawBufferPointer(raw)
            let body = try XCTUnwrap(cache.body(of: text))
            XCTAssertNil(cache.lookup(body))
            cache.store(body, facts(a))
        }
        var other = Array(b.utf8)
        try other.withUnsafeMutableBytes { raw in
            let body = try XCTUnwrap(cache.body(of: UnsafeRawBufferPointer(raw)))
            XCTAssertEqual(cache.lookup(body), facts(b))
        }
    }

    /// Through the whole pipeline: records past the uncached start come from the cache and
    /// carry the facts a fresh extraction gives, secrets in them redacted.
    func testRepeatedRecordsGetTheSameFactsFromTheCache() {
        let body = String(bare.drop { $0 != "\n" }).replacingOccurrences(of: "meta: {", with: "meta: { password: 'hunter2',")
        var log = ""
        for i in 0..<(RecordExtractor.uncachedRecords + 8) {
            log += colourHeader(instance: "inst\(i % 3)", date: "Tue Jun 10 2025 14:07:\(10 + i)", context: "ChannelStartupService") + body + "\n"
        }
        let events = scanEvents(log).events
        XCTAssertEqual(events.count, RecordExtractor.uncachedRecords + 8)
        XCTAssertTrue(events.allSatisfy { $0.facts == events[0].facts })
        XCTAssertEqual(events.last?.facts.code, "P2002")
        XCTAssertEqual(events.last?.facts.model, "Proxy")
        XCTAssertEqual(events.last?.instance, "inst\((RecordExtractor.uncachedRecords + 7) % 3)")
    }

    /// `PrismaPatterns.all` is what makes the cache safe: every pattern that runs on record
    /// text must be in it.
    func testEveryPatternIsListed() throws {
        let source = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/EvoScanTests/FactsCacheTests.swift", with: "Sources/EvoScan/Extraction/PrismaPatterns.swift"), encoding: .utf8)
        let names = source.split(separator: "\n").compactMap { line -> String? in
            guard let r = line.range(of: "static let "), line.contains(" = Regex(") else { return nil }
            return String(line[r.upperBound...].prefix { $0 != " " })
        }.filter { $0 != "quoted" && $0 != "prismaLog" }
        XCTAssertEqual(names.count, PrismaPatterns.all.count, "\(names)")
        XCTAssertEqual(Set(PrismaPatterns.all.map(ObjectIdentifier.init)).count, PrismaPatterns.all.count)
    }

    /// The literals that let a header line skip a pattern are in the pattern (a renamed
    /// word would make the shortcut wrong), and the patterns do match text holding them.
    func testMandatoryLiteralsAreInTheirPatterns() {
        for (regex, literal) in PrismaPatterns.mandatoryLiterals {
            XCTAssertTrue(regex.pattern.contains(literal.description), "\(literal) in \(regex.pattern)")
            XCTAssertTrue(PrismaPatterns.all.contains { $0 === regex })
        }
    }

    func testCatalogLiteralStarts() {
        XCTAssertEqual(PrismaCodeCatalog.literalStart(#"Can't\ reach\ database\ server\ at\ `[^\n]*?`"#), Array("Can't reach database server at `".utf8))
        XCTAssertEqual(PrismaCodeCatalog.literalStart(#"`[^\n]*?`\ is\ x"#), Array("`".utf8))
        XCTAssertEqual(PrismaCodeCatalog.literalStart(#"Ab?c"#), Array("A".utf8))
        XCTAssertEqual(PrismaCodeCatalog.literalStart(#"Ab+c"#), Array("Ab".utf8))
        XCTAssertEqual(PrismaCodeCatalog.literalStart(#"a\ b\|c"#), Array("a b|c".utf8))
        XCTAssertNil(PrismaCodeCatalog.literalStart(#"\bword"#))
        XCTAssertNil(PrismaCodeCatalog.literalStart(#"ab|cd"#))
        XCTAssertNotNil(PrismaCodeCatalog.literalStarts, "every signature has a literal start")
    }

    /// The prefilter never says no where the catalog matches.
    func testCatalogPrefilterKeepsEveryMatch() {
        let scratch = RegexScratch()
        for entry in PrismaCodeCatalog.entries {
            for part in entry.template.components(separatedBy: " || ") {
                let text = part.replacingOccurrences(of: "\\n", with: "\n")
                var bytes = Array(text.utf8)
                bytes.withUnsafeMutableBytes { raw in
                    let t = UnsafeRawBufferPointer(raw)
                    if scratch.firstMatch(PrismaCodeCatalog.combined.regex, in: t) != nil {
                        XCTAssertTrue(PrismaCodeCatalog.mayMatch(t), text)
                    }
                }
            }
        }
        var none = Array("[Evolution API]  [x]  v2.2.3  211   -  Tue Jun 10 2025 14:07:31     ERROR   [y]  [object]".utf8)
        none.withUnsafeMutableBytes { XCTAssertFalse(PrismaCodeCatalog.mayMatch(UnsafeRawBufferPointer($0))) }
    }
}
