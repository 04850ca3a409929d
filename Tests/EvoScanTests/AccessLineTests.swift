import XCTest
@testable import EvoScan

/// `AccessLine` (the per-line test used on `--access-log` inputs) accepts exactly the lines
/// the block-wide `accessTrigger` scan finds (its non-`db` alternatives).
final class AccessLineTests: XCTestCase {
    static let regexOnly = Regex(static: #"" [1-5][0-9][0-9] (?:[0-9]+|-)(?= |$)|"RequestMethod":"|"logger":"http\.log\.access|" \[Client [^\]\n]+\] \[Length "#)

    func same(_ line: String, file: StaticString = #filePath, line number: UInt = #line) {
        let bytes = Array(line.utf8)
        let scratch = RegexScratch()
        let byRegex = scratch.firstMatch(Self.regexOnly, in: bytes) != nil
        let byTest = bytes.withUnsafeBytes { AccessLine.request($0, 0, $0.count) != nil }
        XCTAssertEqual(byTest, byRegex, "\(line.debugDescription)", file: file, line: number)
    }

    func testKnownFormatsAndNearMisses() {
        let lines = [
            #"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /proxy/set/loja HTTP/1.1" 201 212 "-" "Mozilla/5.0""#,
            #"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /proxy/set/loja HTTP/1.1" 201 -"#,
            #"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /proxy/set/loja HTTP/1.1" 201 5"#,
            #"x "GET /" 600 1 "#, #"x "GET /" 201 "#, #"x "GET /" 20 1 "#, #"x "GET /" 201 1a "#, #"x "GET /" 201 -- "#,
            #"x "GET /" 2011 1 "#, #"x "GET /" 201 1"#, "x \"GET /\" 201 1\r", #"x "" 201 1 "#, #"""#, #"" "#, #"" 2"#,
            #"{"ClientAddr":"1.2.3.4:5","RequestMethod":"POST","RequestPath":"/proxy/set/x"}"#,
            #"{"level":"info","ts":1749575251.41,"logger":"http.log.access.log0","msg":"handled request"}"#,
            #"{"level":"info","logger":"http.log.accesS"}"#,
            #"[10/Jun/2025:17:07:31 +0000] - 201 201 - POST https evo.example.com "/proxy/set/x" [Client 203.0.113.7] [Length 212] [Gzip -] [Sent-to 10.0.0.2] "Mozilla/5.0" "-""#,
            #"x" [Client ] [Length "#, #"x" [Client a] [Length"#, #"x" [Client a]] [Length "#,
            #"[Evolution API]    v2.2.3  211   -  Tue Jun 10 2025 14:07:31     LOG   [WebhookController]  [string] "ok" 200 1 "#,
            #"{"level":30,"time":1749575251412,"msg":"connected \"x\" 503 12"}"#,
        ]
        for l in lines { same(l) }
    }

    /// The request field `AccessLine.request` points at, per format.
    func testRequestFieldPerFormat() {
        func field(_ line: String) -> String? {
            let bytes = Array(line.utf8)
            return bytes.withUnsafeBytes { b in AccessLine.request(b, 0, b.count).map { String(decoding: b[$0], as: UTF8.self) } }
        }
        XCTAssertEqual(field(#"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /proxy/set/loja HTTP/1.1" 201 212 "https://x/set/" "Mozilla/5.0""#),
                       "POST /proxy/set/loja HTTP/1.1")
        XCTAssertEqual(field(#"[10/Jun/2025:17:07:31 +0000] - 201 201 - POST https evo.example.com "/proxy/set/x" [Client 203.0.113.7] [Length 212] [Gzip -] [Sent-to 10.0.0.2] "Mozilla/5.0" "-""#),
                       "/proxy/set/x")
        let json = #"{"ClientAddr":"1.2.3.4:5","RequestMethod":"POST","RequestPath":"/proxy/set/x"}"#
        XCTAssertEqual(field(json), json, "JSON formats: the whole line")
        XCTAssertNil(field(#"x "GET /" 600 1 "#))
    }

    /// Random lines from the pieces the formats are made of.
    func testRandomLinesAgree() {
        let pieces = ["\"", " ", "201", "503", "600", "99", "12", "-", "[Client ", "]", " [Length ", "RequestMethod\":\"", "logger\":\"http.log.access",
                      "\r", "a", "POST /proxy/set/x", "0", "\"\"", "5"]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let n = Int.random(in: 1...12, using: &rng)
            same((0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined())
        }
    }
}

/// `EvidencePath` (which access lines are parsed) says what its pattern says, at every
/// place in the 8-byte words it reads at once.
final class EvidencePathTests: XCTestCase {
    static let pattern = Regex(static: #"/(?:set|settings|create|update|handleLabel)/|/instance/create\b"#)

    func testAgreesWithItsPattern() {
        let pieces = ["/", "set/", "settings/", "create/", "update/", "handleLabel/", "instance/create", "instance/creates", "instance/create/",
                      "sett", "x", " ", "/s", "\"", "HTTP/1.1", "proxy", "-", "i", "c", "u", "h"]
        let scratch = RegexScratch()
        var rng = SystemRandomNumberGenerator()
        var found = 0
        for round in 0..<20_000 {
            var line = (0..<Int.random(in: 0..<12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            if round % 3 == 0 { line = String(repeating: "a", count: Int.random(in: 0..<9, using: &rng)) + line }
            let bytes = Array((line + "\n").utf8)
            let byPattern = scratch.firstMatch(Self.pattern, in: Array(line.utf8)) != nil
            let byTest = bytes.withUnsafeBytes { EvidencePath.mentioned($0, 0, bytes.count - 1) }
            XCTAssertEqual(byTest, byPattern, line.debugDescription)
            if byPattern { found += 1 }
        }
        XCTAssertGreaterThan(found, 2000)
        XCTAssertLessThan(found, 18_000)
    }
}
