import XCTest
@testable import EvoScan

/// `EvolutionEndpoints.classify` reads paths as bytes; these patterns are its
/// specification, tried in this order with the same captures.
final class EvolutionEndpointsTests: XCTestCase {
    static let setEndpoint = Regex(static: #"\/(?<ep>proxy|webhook|websocket|rabbitmq|sqs|nats|pusher|kafka|settings|chatwoot)\/set\/(?<inst>[^\/?#\s"]+)\/?$"#)
    static let instanceCreate = Regex(static: #"\/instance\/create\/?$"#)
    static let botEndpoint = Regex(static: #"\/(?<bot>typebot|openai|dify|flowise|evolutionBot|n8n|evoai|chatwoot|label)\/(?<action>[A-Za-z]+)\/(?<inst>[^\/?#\s"]+)\/?$"#)

    static func byPatterns(method: String, path: String) -> (String?, String?) {
        let scratch = RegexScratch()
        let b = Array(path.utf8)
        func text(_ m: RegexMatch, _ r: Regex, _ g: String) -> String { String(decoding: b[m.range(r.group(g))!], as: UTF8.self) }
        if let m = scratch.firstMatch(setEndpoint, in: b) {
            return (method + " /" + text(m, setEndpoint, "ep") + "/set", EvolutionEndpoints.percentDecode(text(m, setEndpoint, "inst")))
        }
        if scratch.firstMatch(instanceCreate, in: b) != nil { return (method + " /instance/create", nil) }
        if let m = scratch.firstMatch(botEndpoint, in: b) {
            return (method + " /" + text(m, botEndpoint, "bot") + "/" + text(m, botEndpoint, "action"),
                    EvolutionEndpoints.percentDecode(text(m, botEndpoint, "inst")))
        }
        return (nil, nil)
    }

    func same(_ path: String, file: StaticString = #filePath, line: UInt = #line) {
        let (endpoint, instance) = EvolutionEndpoints.classify(method: "POST", path: path)
        let (e, i) = Self.byPatterns(method: "POST", path: path)
        XCTAssertEqual(endpoint, e, path.debugDescription, file: file, line: line)
        XCTAssertEqual(instance, i, path.debugDescription, file: file, line: line)
    }

    func testKnownPaths() {
        let cases: [(String, String?, String?)] = [
            ("/proxy/set/loja%20centro", "POST /proxy/set", "loja centro"),
            ("/evolution/proxy/set/loja/", "POST /proxy/set", "loja"),
            ("/chatwoot/set/x", "POST /chatwoot/set", "x"),
            ("/chatwoot/find/x", "POST /chatwoot/find", "x"),
            ("/instance/create", "POST /instance/create", nil),
            ("/api/instance/create/", "POST /instance/create", nil),
            ("/typebot/instance/create", "POST /instance/create", nil),
            ("/typebot/create/inst-1", "POST /typebot/create", "inst-1"),
            ("/label/handleLabel/x", "POST /label/handleLabel", "x"),
            ("/proxy/set/", nil, nil), ("/proxy/set//", nil, nil), ("proxy/set/x", nil, nil), ("/proxy/set/a b", nil, nil),
            ("/xproxy/set/x", nil, nil), ("/typebot/cre4te/x", nil, nil), ("/instance/creates", nil, nil), ("", nil, nil), ("/", nil, nil),
        ]
        for (path, endpoint, instance) in cases {
            let got = EvolutionEndpoints.classify(method: "POST", path: path)
            XCTAssertEqual(got.endpoint, endpoint, path)
            XCTAssertEqual(got.instance, instance, path)
            same(path)
        }
    }

    /// Random paths from the pieces the patterns are made of (a fixed seed: a failure
    /// reproduces).
    func testRandomPathsAgree() {
        let pieces = ["/", "/", "/", "proxy", "set", "instance", "create", "chatwoot", "typebot", "label", "handleLabel", "x", "loja%20a",
                      " ", "\t", "\"", "#", "?", "9", "evolutionBot", "Set", "sqs", "-"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        for _ in 0..<30_000 {
            same((0..<(1 + next(9))).map { _ in pieces[next(pieces.count)] }.joined())
        }
    }
}
