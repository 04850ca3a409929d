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

    /// A header line's inertness is remembered without its date, so no date may change it:
    /// every day and month name and every digit in every place of the date, under headers
    /// whose free parts hold the words the patterns look for.
    func testNoDateChangesWhetherAHeaderIsInert() throws {
        let scratch = RegexScratch()
        let canonical = "Tue Jun 10 2025 14:07:31"
        let frees = ["loja-centro", "code: 'P", "Error: P", "errorCode", "P2002", "Invalid `prisma.proxy.create()` invocation in",
                     "at async Wr.setProxy (/evolution/dist/main.js", "→ 12", "clientVersion: '5.22.0'", "target: [", "1 2 3",
                     "Sep", "Dec 2", ":1:2", "modelName: 'Proxy'", "PrismaClientKnownRequestError", "Unique constraint failed on the"]
        var variants: [String] = []
        for name in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] { variants.append(name + canonical.dropFirst(3)) }
        for name in ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] {
            variants.append(String(canonical.prefix(4)) + name + canonical.dropFirst(7))
        }
        for (i, c) in canonical.enumerated() where c.isNumber {
            for d in 0...9 {
                var chars: [Character] = Array(canonical)
                chars[i] = Character(String(d))
                variants.append(String(chars))
            }
        }
        var checked = 0
        for free in frees {
            for line in ["[Evolution API]  [\(free)]  v2.2.3  211   -  DATE     ERROR   [unhandledRejection]  [object]  ",
                             "[Evolution API]    v2.2.3  \(free.count)   -  DATE     ERROR   [\(free)]  [object]",
                             "[Evolution API]  [x]  211   -  DATE     LOG   [ChannelStartupService]  [string]  [\(free)]",
                             "[Evolution API]  [\(free)]  211   -  DATE     ERROR   [PrismaRepository]  [object]  "] {
                func verdict(_ date: String) -> Bool? {
                    var bytes = Array(line.replacingOccurrences(of: "DATE", with: date).utf8)
                    return bytes.withUnsafeMutableBytes { raw in
                        let t = UnsafeRawBufferPointer(raw)
                        guard EvolutionHeaderParser.parse(t, scratch: scratch)?.dateOffset != nil else { return nil }
                        return FactsCache(scratch: scratch).isInert(t)
                    }
                }
                let base = try XCTUnwrap(verdict(canonical), line)
                for date in variants {
                    XCTAssertEqual(verdict(date), base, "\(line) with \(date)")
                    checked += 1
                }
            }
        }
        XCTAssertEqual(checked, frees.count * 4 * variants.count)
        XCTAssertEqual(variants.count, 7 + 12 + 12 * 10)
    }

    /// The remembered answer is the answer for that header line, not for the first one seen.
    func testRememberedInertnessFollowsTheFreeParts() throws {
        let scratch = RegexScratch()
        let cache = FactsCache(scratch: scratch)
        let headers = HeaderCache(scratch: scratch)
        func inert(_ line: String) throws -> Bool {
            var bytes = Array((line + "\n{\n  code: 'P2002'\n}").utf8)
            return try bytes.withUnsafeMutableBytes { raw in
                let t = UnsafeRawBufferPointer(raw)
                let known = try XCTUnwrap(headers.parse(t)?.line)
                return cache.body(of: t, known: known) != nil
            }
        }
        let h = "[Evolution API]  [a]  v2.2.3  211   -  Tue Jun 10 2025 14:07:31     ERROR   "
        XCTAssertTrue(try inert(h + "[unhandledRejection]  [object]"))
        XCTAssertTrue(try inert(h.replacingOccurrences(of: "14:07:31", with: "23:59:59") + "[unhandledRejection]  [object]"))
        XCTAssertFalse(try inert(h + "[code: P2002]  [object]"))
        XCTAssertFalse(try inert(h.replacingOccurrences(of: "[a]", with: "[code: P]") + "[unhandledRejection]  [string] x"))
        XCTAssertTrue(try inert(h + "[unhandledRejection]  [object]"))
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

final class HeaderCacheTests: XCTestCase {
    /// The cache answers what the header pattern answers, on lines that repeat with new
    /// dates (valid or not), instance names holding ` - `, both layouts and Lite, in any
    /// order, and reuses what it learnt.
    func testRememberedHeadersEqualTheParser() {
        let scratch = RegexScratch()
        let cache = HeaderCache(scratch: scratch)
        var rng = SystemRandomNumberGenerator()
        let instances: [String?] = [nil, "loja-centro", "a - b", "x -  - y", " - ", "pizzaria.goiania", "-"]
        let fronts = ["[Evolution API]", "[Evolution API Lite]", "Evolution API]"]
        let versions = ["  v2.2.3", "", "  v2.4.0-rc2"]
        let tails = ["ERROR   [unhandledRejection]  [object]  ", "INFO   [ChannelStartupService]  [string]  Browser: a - b",
                     "LOG   [SERVER]  [string]  HTTP - ON: 8080", "VERBOSE   [CacheService]  [number]  5"]
        let days = ["Mon", "Tue", "Sun", "Tux"], months = ["Jan", "Jun", "Dec", "Jux"]
        func date() -> String {
            let d = Int.random(in: 0..<20, using: &rng) == 0 ? days.randomElement(using: &rng)! : days[Int.random(in: 0..<3, using: &rng)]
            let m = Int.random(in: 0..<20, using: &rng) == 0 ? months.randomElement(using: &rng)! : months[Int.random(in: 0..<3, using: &rng)]
            let digit = Int.random(in: 0..<30, using: &rng) == 0 ? "x" : "\(Int.random(in: 0...9, using: &rng))"
            return "\(d) \(m) 1\(digit) 2025 0\(Int.random(in: 0...9, using: &rng)):1\(Int.random(in: 0...5, using: &rng)):3\(Int.random(in: 0...9, using: &rng))"
        }
        var parsed = 0
        for _ in 0..<6000 {
            let inst = instances.randomElement(using: &rng)!.map { "  [\($0)]" } ?? "  "
            let line = fronts.randomElement(using: &rng)! + inst + versions.randomElement(using: &rng)! + "  211   -  " + date() + "     "
                + tails.randomElement(using: &rng)! + (Bool.random(using: &rng) ? "\n{\n  code: 'P2002'\n}" : "")
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBytes { raw in
                let t = UnsafeRawBufferPointer(raw)
                let expected = EvolutionHeaderParser.parse(t, scratch: scratch)
                XCTAssertEqual(cache.parse(t)?.header, expected, line)
                if expected != nil { parsed += 1 }
            }
        }
        XCTAssertGreaterThan(parsed, 3000)
        XCTAssertLessThan(parsed, 6000, "some dates are not dates")
    }

    func testDateShape() {
        for (text, ok) in [("Tue Jun 10 2025 14:07:31", true), ("Sun Dec 31 1999 23:59:59", true), ("Tue Jun 10 2025 14:07:3x", false),
                           ("Tue June 1 2025 14:07:31", false), ("tue Jun 10 2025 14:07:31", false), ("Tue Jun 10 2025 14-07:31", false)] {
            var b = Array(text.utf8)
            b.withUnsafeMutableBytes { XCTAssertEqual(EvolutionHeaderParser.isDate(UnsafeRawBufferPointer($0), 0), ok, text) }
        }
    }
}
