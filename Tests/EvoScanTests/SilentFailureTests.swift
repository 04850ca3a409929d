import XCTest
@testable import EvoScan

/// The reference's example request in every access-log format: `POST /proxy/set/loja-centro`,
/// 201, at 2025-06-10 17:07:31 UTC, from the Manager page of instance 4f9c2e1a-….
final class AccessLogParserTests: XCTestCase {
    let referer = "https://evo.example.com/manager/instance/4f9c2e1a-8d3b-4c57-9a61-2b7e0d5c3f18/proxy"
    let end = Instant(seconds: CivilTime.epochSeconds(2025, 6, 10, 17, 7, 31))

    func parse(_ line: String) -> AccessRequest? {
        let parser = AccessLogParser(scratch: RegexScratch())
        var b = Array(line.utf8)
        return b.withUnsafeMutableBytes { parser.parse(UnsafeRawBufferPointer($0), input: "access.log") }
    }

    func assertProxySet(_ r: AccessRequest?, end expected: Instant? = nil, format: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let r else { return XCTFail("not parsed", file: file, line: line) }
        XCTAssertEqual(r.format, format, file: file, line: line)
        XCTAssertEqual(r.endpoint, "POST /proxy/set", file: file, line: line)
        XCTAssertEqual(r.instance, "loja-centro", file: file, line: line)
        XCTAssertEqual(r.status, 201, file: file, line: line)
        XCTAssertEqual(r.end, expected ?? end, file: file, line: line)
    }

    /// `keep` (what an `--access-log` file's line leaves in the correlator) answers as
    /// `parse` does, counts the same, and the kept line reads back to the same request.
    func testKeepAgreesWithParse() {
        let lines = [
            #"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /proxy/set/loja-centro HTTP/1.1" 201 212 "\#(referer)" "Mozilla/5.0""#,
            #"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /evo/webhook/set/loja%20centro?x=1 HTTP/1.1" 201 212"#,
            #"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /instance/create HTTP/1.1" 201 212 "-" "curl/8""#,
            #"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "GET /instance/fetchInstances HTTP/1.1" 200 2 "-" "curl/8""#,
            #"[10/Jun/2025:17:07:31 +0000] - 201 201 - POST https evo.example.com "/typebot/create/loja" [Client 203.0.113.7] [Length 212] [Gzip -] [Sent-to evolution_api] "Mozilla/5.0" "-""#,
            #"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /proxy/set/loja-centro HTTP/2.0" 201 212 "-" "Mozilla/5.0" 4711 "evolution@docker" "http://172.18.0.5:8080" 38ms"#,
            #"{"ClientHost":"203.0.113.7","DownstreamStatus":201,"Duration":38211907,"RequestMethod":"POST","RequestPath":"/proxy/set/loja-centro","StartUTC":"2025-06-10T17:07:31.412093776Z"}"#,
            #"{"level":"info","ts":1749575251.41,"logger":"http.log.access.log0","msg":"handled request","request":{"method":"POST","uri":"/label/handleLabel/x"},"status":201}"#,
            #"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /proxy/set/ HTTP/1.1" 201 212"#,
            "not an access line", "",
        ]
        let byParse = AccessLogParser(scratch: RegexScratch()), byKeep = AccessLogParser(scratch: RegexScratch())
        for line in lines {
            var b = Array(line.utf8)
            b.withUnsafeMutableBytes { raw in
                let bytes = UnsafeRawBufferPointer(raw)
                let parsed = byParse.parse(bytes, input: "access.log")
                let kept = byKeep.keep(bytes, input: "access.log")
                XCTAssertEqual(kept?.end, parsed?.end, line)
                XCTAssertEqual(kept?.kept?.endpoint, parsed?.endpoint, line)
                guard let k = kept?.kept, let p = parsed else { return }
                XCTAssertEqual(k.line, line)
                let back = AccessLogParser.request(kept: k, catalog: Knowledge.builtIn.accessLogs, scratch: RegexScratch())
                XCTAssertEqual(back?.format, p.format, line)
                XCTAssertEqual(back?.path, p.path, line)
                XCTAssertEqual(back?.instance, p.instance, line)
                XCTAssertEqual(back?.referer, p.referer, line)
                XCTAssertEqual(back?.status, p.status, line)
            }
        }
        XCTAssertEqual(byKeep.linesParsed, byParse.linesParsed)
        XCTAssertEqual(byKeep.formatsSeen, byParse.formatsSeen)
        XCTAssertEqual(byKeep.linesParsed, 9)
    }

    func testNginxCombined() {
        let r = parse(#"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /proxy/set/loja-centro HTTP/1.1" 201 212 "\#(referer)" "Mozilla/5.0 (X11; Linux x86_64)""#)
        assertProxySet(r, format: "combined")
        XCTAssertEqual(r?.managerInstanceId(scratch: RegexScratch()), "4f9c2e1a-8d3b-4c57-9a61-2b7e0d5c3f18")
    }

    func testApacheCommonWithLocalOffset() {
        assertProxySet(parse(#"203.0.113.7 - - [10/Jun/2025:14:07:31 -0300] "POST /proxy/set/loja-centro HTTP/1.1" 201 212"#), format: "combined")
    }

    func testNginxProxyManager() {
        let r = parse(#"[10/Jun/2025:17:07:31 +0000] - 201 201 - POST https evo.example.com "/proxy/set/loja-centro" [Client 203.0.113.7] [Length 212] [Gzip -] [Sent-to evolution_api] "Mozilla/5.0 (X11; Linux x86_64) Chrome/124.0.0.0" "\#(referer)""#)
        assertProxySet(r, format: "nginx-proxy-manager")
        XCTAssertEqual(r?.managerInstanceId(scratch: RegexScratch()), "4f9c2e1a-8d3b-4c57-9a61-2b7e0d5c3f18")
    }

    func testTraefikCLFEndIsStartPlusDuration() {
        let r = parse(#"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /proxy/set/loja-centro HTTP/2.0" 201 212 "\#(referer)" "Mozilla/5.0" 4711 "evolution@docker" "http://172.18.0.5:8080" 38ms"#)
        assertProxySet(r, end: Instant(micros: end.micros + 38_000), format: "traefik-clf")
    }

    func testTraefikJSON() {
        let r = parse(#"{"ClientHost":"203.0.113.7","DownstreamStatus":201,"Duration":38211907,"OriginStatus":201,"RequestMethod":"POST","RequestPath":"/proxy/set/loja-centro","RouterName":"evolution@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2025-06-10T17:07:31.412093776Z","request_Referer":"\#(referer)","time":"2025-06-10T17:07:31Z"}"#)
        assertProxySet(r, end: Instant(micros: end.micros + 412_093 + 38_211), format: "traefik-json")
        XCTAssertEqual(r?.managerInstanceId(scratch: RegexScratch()), "4f9c2e1a-8d3b-4c57-9a61-2b7e0d5c3f18")
    }

    func testCaddyJSONAndItsApikeyHeaderIsRedacted() {
        let r = parse(#"{"level":"info","ts":1749575251.4120936,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"203.0.113.7","proto":"HTTP/2.0","method":"POST","host":"evo.example.com","uri":"/proxy/set/loja-centro?x=1","headers":{"Referer":["\#(referer)"],"Apikey":["SECRET-INSTANCE-TOKEN"],"Content-Type":["application/json"]}},"bytes_read":118,"duration":0.038211907,"size":212,"status":201}"#)
        assertProxySet(r, end: Instant(micros: end.micros + 412_093), format: "caddy-json")
        XCTAssertEqual(r?.path, "/proxy/set/loja-centro")
        let shown = r?.line(redactedBy: Redactor()) ?? ""
        XCTAssertFalse(shown.contains("SECRET-INSTANCE-TOKEN"), shown)
        XCTAssertTrue(shown.contains("/proxy/set/loja-centro"), shown)
    }

    func testPercentEncodedInstanceAndPrefixMount() {
        let r = parse(#"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /evolution/webhook/set/filial%20norte HTTP/1.1" 500 80 "-" "curl/8""#)
        XCTAssertEqual(r?.endpoint, "POST /webhook/set")
        XCTAssertEqual(r?.instance, "filial norte")
        XCTAssertEqual(r?.status, 500)
        XCTAssertEqual(parse(#"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "POST /instance/create HTTP/1.1" 201 900"#)?.endpoint, "POST /instance/create")
        XCTAssertNil(parse(#"203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] "GET /instance/fetchInstances HTTP/1.1" 200 900"#)?.endpoint)
        XCTAssertNil(parse("[Evolution API]  211 - Tue Jun 10 2025 14:07:31   ERROR  [X] [string] hi"))
    }
}

final class WriteMapTests: XCTestCase {
    func facts(model: String?, method: String? = nil) -> PrismaFacts {
        var f = PrismaFacts()
        f.model = model
        f.method = method
        return f
    }

    func testProxyIsSilentInEveryVersion() {
        for v in ["2.0.4-rc", "2.2.3", "2.4.0-rc2"] {
            XCTAssertEqual(EvolutionWriteMap.builtIn.silentRows(for: facts(model: "Proxy"), version: EvolutionVersion(v)).map(\.endpoint),
                           ["POST /proxy/set", "POST /instance/create"], v)
        }
    }

    func testWebhookIsSilentOnlyIn20x() {
        XCTAssertEqual(EvolutionWriteMap.builtIn.silentRows(for: facts(model: nil, method: "setWebhook"), version: EvolutionVersion("2.0.10")).map(\.endpoint),
                       ["POST /webhook/set", "POST /instance/create"])
        XCTAssertEqual(EvolutionWriteMap.builtIn.silentRows(for: facts(model: "Webhook"), version: EvolutionVersion("2.1.0")).count, 0)
        XCTAssertEqual(EvolutionWriteMap.builtIn.silentRows(for: facts(model: "Webhook"), version: nil).count, 2, "unknown version: the union")
        XCTAssertEqual(EvolutionWriteMap.builtIn.silentRows(for: facts(model: "MessageUpdate"), version: nil).count, 0)
    }

    func testRemediationDependsOnVersion() {
        XCTAssertTrue(RemediationCatalog.builtIn.hint(code: "P2002", model: "Proxy", version: EvolutionVersion("2.0.4"))?.contains("Upgrade to >= 2.1.0") ?? false)
        XCTAssertTrue(RemediationCatalog.builtIn.hint(code: "P2002", model: "Proxy", version: EvolutionVersion("2.2.3"))?.contains("concurrent saves") ?? false)
        XCTAssertTrue(RemediationCatalog.builtIn.hint(code: "P2000", model: "Proxy", version: nil)?.contains("100 characters") ?? false)
        // An unknown version: the hint of each range in turn.
        XCTAssertEqual(RemediationCatalog.builtIn.hint(code: "P2002", model: "Proxy", version: nil),
                       "if Evolution <2.1.0: create-only setProxy in 2.0.x: every re-save of a proxy fails. Upgrade to >= 2.1.0; meanwhile delete the instance's Proxy row before saving. "
                       + "if Evolution >=2.1.0: concurrent saves of the same instance's proxy: save once more and check it with GET /proxy/find/{instance}.")
        XCTAssertEqual(RemediationCatalog.builtIn.hint(code: "P2002", model: "Webhook", version: EvolutionVersion("2.1.0")), nil)
        XCTAssertEqual(RemediationCatalog.builtIn.hint(code: nil, model: "Proxy", version: nil),
                       "send username and password (empty strings are fine) when the proxy is enabled.")
    }
}

final class CorrelationTests: XCTestCase {
    /// 2.2.3 pair at header 14:07:31 (São Paulo) = 17:07:31Z.
    let failure = Samples.pair223

    func nginx(_ time: String, _ path: String, _ status: Int) -> String {
        #"203.0.113.7 - - [10/Jun/2025:\#(time) +0000] "POST \#(path) HTTP/1.1" \#(status) 212 "-" "Mozilla/5.0""#
    }

    func run(access: [String], window: Int64 = 2, evolution: String? = nil) -> (events: [FailureEvent], session: ScanSession) {
        var options = ScanSession.Options()
        options.correlation.window = window
        let session = ScanSession(options: options)
        var events: [FailureEvent] = []
        session.aggregate.onEvent = { events.append($0) }
        if !access.isEmpty { session.scan(bytes: Array((access.joined(separator: "\n") + "\n").utf8), name: "access.log", accessLog: true) }
        session.scan(bytes: Array((evolution ?? failure).utf8), name: "evolution.log")
        session.finish()
        return (events, session)
    }

    /// 2.3.2+ `testProxy: proxy connection successful` becomes evidence of the silent
    /// failure, in the colour layout (raw ANSI), without colour (trailing space) and with
    /// CRLF; a ProxyController line with other text does not.
    func testTestProxyLineIsEvidenceInEveryLayout() throws {
        let colour = colourHeader(level: "INFO", fg: 4, bg: 4, version: "2.3.6", date: "Tue Jun 10 2025 14:07:30",
                                  context: "ProxyController", type: "string", value: "testProxy: proxy connection successful") + "\n"
        let plain = "[Evolution API]    v2.3.6  211   -  Tue Jun 10 2025 14:07:30     INFO   [ProxyController]  [string]  testProxy: proxy connection successful \n"
        let crlf = plain.replacingOccurrences(of: " \n", with: "\r\n")
        let other = plain.replacingOccurrences(of: "successful", with: "doesn't change the origin IP")
        for (name, line, expected) in [("colour", colour, true), ("no colour", plain, true), ("crlf", crlf, true), ("other text", other, false)] {
            let (events, _) = run(access: [nginx("17:07:31", "/proxy/set/loja-centro", 201)], evolution: line + failure)
            let s = try XCTUnwrap(events.first?.silent, name)
            XCTAssertEqual(s.instance, "loja-centro", name)
            XCTAssertEqual(s.evidence.contains { $0.contains("testProxy: proxy connection successful") }, expected, "\(name): \(s.evidence)")
        }
    }

    /// `--access-log` read on another core (`scanAccessLogsConcurrently`): failures wait
    /// for it, at most `heldForEvidenceLimit` of them, and are decided exactly as when the
    /// access log is read first. Three failures a minute apart with a limit of 2: the third
    /// makes the scan wait for the reader before anything is decided.
    func testAccessLogReadOnAnotherCoreDecidesAsSerial() throws {
        let access = [nginx("17:07:31", "/proxy/set/loja-centro", 201), nginx("17:08:31", "/proxy/set/loja-b", 201),
                      nginx("17:09:30", "/proxy/set/loja-c", 201), nginx("17:09:31", "/message/sendText/loja-c", 201)]
        let evolution = failure + failure.replacingOccurrences(of: "14:07:31", with: "14:08:31")
            + failure.replacingOccurrences(of: "14:07:31", with: "14:09:31")
        let serial = run(access: access, evolution: evolution)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("evoscan-concurrent-\(getpid()).log")
        try Data((access.joined(separator: "\n") + "\n").utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let session = ScanSession()
        session.correlator.heldForEvidenceLimit = 2
        var events: [FailureEvent] = []
        session.aggregate.onEvent = { events.append($0) }
        session.scanAccessLogsConcurrently(paths: [url.path])
        session.scan(bytes: Array(evolution.utf8), name: "evolution.log")
        session.finish()
        XCTAssertEqual(events.map { $0.silent?.instance }, ["loja-centro", "loja-b", "loja-c"])
        XCTAssertEqual(events.map { $0.silent?.confidence }, [.confirmed, .confirmed, .confirmed])
        XCTAssertEqual(events.map { $0.silent?.instance }, serial.events.map { $0.silent?.instance })
        XCTAssertEqual(session.totals.accessRequests, 3, "the three on endpoints that can be evidence are parsed")
        XCTAssertEqual(session.totals.accessRequests, serial.session.totals.accessRequests)
        XCTAssertEqual(session.totals.accessLogLines, 4)
        XCTAssertEqual(session.totals.inputs, 2)
        XCTAssertEqual(session.inputs.map(\.name), [url.path, "evolution.log"], "the access log is listed first, as in a serial run")
        XCTAssertEqual(session.inputs.first?.isEvidence, true)
    }

    /// Only the request names an endpoint: a line whose Referer or User-Agent mentions
    /// `/proxy/set/` is counted, not parsed, in an `--access-log` file and when interleaved
    /// with the Evolution log alike; one whose path names it is parsed and is evidence.
    func testOnlyTheRequestPathMakesAnAccessLineEvidence() throws {
        let referer = #"203.0.113.7 - - [10/Jun/2025:17:07:30 +0000] "GET /manager/assets/index.js HTTP/1.1" 200 212 "https://evo.example.com/manager/proxy/set/loja-centro" "Mozilla/5.0 (X11) /update/x""#
        let agent = #"203.0.113.7 - - [10/Jun/2025:17:07:30 +0000] "POST /message/sendText/loja-centro HTTP/1.1" 201 212 "-" "curl/8.5 /instance/create""#
        let request = nginx("17:07:31", "/proxy/set/loja-centro", 201)
        let (events, session) = run(access: [referer, agent, request])
        XCTAssertEqual(session.totals.accessLogLines, 3)
        XCTAssertEqual(session.totals.accessRequests, 1)
        XCTAssertEqual(events.first?.silent?.evidence.filter { $0.contains("203.0.113.7") }, [request])

        let interleaved = run(access: [], evolution: [referer, agent, request].joined(separator: "\n") + "\n" + failure)
        XCTAssertEqual(interleaved.session.totals.accessLogLines, 3)
        XCTAssertEqual(interleaved.session.totals.accessRequests, 1)
        XCTAssertEqual(interleaved.events.first?.silent?.instance, "loja-centro")
    }

    /// A broken `--access-log` read on another core is reported like a serial one, and the
    /// scan goes on without its evidence.
    func testUnreadableAccessLogOnAnotherCoreIsReported() throws {
        let session = ScanSession()
        var errors: [String] = []
        session.onInputError = { errors.append("\($0.input): \($0.problem)") }
        var events: [FailureEvent] = []
        session.aggregate.onEvent = { events.append($0) }
        session.scanAccessLogsConcurrently(paths: ["/nonexistent/evoscan/access.log"])
        session.scan(bytes: Array(failure.utf8), name: "evolution.log")
        session.finish()
        XCTAssertEqual(errors.count, 1)
        XCTAssertTrue(errors.first?.hasPrefix("/nonexistent/evoscan/access.log: ") ?? false, "\(errors)")
        XCTAssertEqual(session.totals.inputErrors, 1)
        XCTAssertEqual(events.first?.silent?.confidence, .probable, "no evidence: probable, as without --access-log")
    }

    func testOneMatchingRequestConfirmsAndNamesTheInstance() throws {
        let (events, _) = run(access: [nginx("17:07:31", "/proxy/set/loja-centro", 201), nginx("17:07:31", "/message/sendText/loja-b", 201)])
        let e = try XCTUnwrap(events.first)
        XCTAssertEqual(e.outcome, .silent)
        let s = try XCTUnwrap(e.silent)
        XCTAssertEqual(s.confidence, .confirmed)
        XCTAssertEqual(s.instance, "loja-centro")
        XCTAssertEqual(s.endpoint, "POST /proxy/set")
        XCTAssertEqual(s.status, 201)
        XCTAssertEqual(s.requestTime?.iso8601, "2025-06-10T17:07:31Z")
        XCTAssertEqual(s.failureTime?.iso8601, "2025-06-10T17:07:31Z")
        XCTAssertTrue(s.remediation?.contains("concurrent saves") ?? false)
        XCTAssertTrue(s.evidence.first?.contains("POST /proxy/set/loja-centro") ?? false)
    }

    func testTwoInstancesInTheWindowAreAmbiguous() throws {
        let (events, _) = run(access: [nginx("17:07:30", "/proxy/set/loja-b", 201), nginx("17:07:31", "/proxy/set/loja-a", 201)])
        let s = try XCTUnwrap(events.first?.silent)
        XCTAssertEqual(s.confidence, .ambiguous)
        XCTAssertNil(s.instance)
        XCTAssertEqual(s.candidates, ["loja-a", "loja-b"])
    }

    func testRequestOutsideTheWindowDoesNotMatch() {
        let (events, _) = run(access: [nginx("17:07:35", "/proxy/set/loja-centro", 201)])
        XCTAssertEqual(events.first?.outcome, .unattributed)
        XCTAssertNil(events.first?.silent)
        let (wide, _) = run(access: [nginx("17:07:35", "/proxy/set/loja-centro", 201)], window: 5)
        XCTAssertEqual(wide.first?.silent?.confidence, .confirmed, "--window widens the match")
    }

    func testErrorResponseIsCounterEvidence() {
        let (events, _) = run(access: [nginx("17:07:31", "/proxy/set/loja-centro", 500)])
        XCTAssertEqual(events.first?.outcome, .surfaced)
        XCTAssertNil(events.first?.silent)
    }

    func testNoAccessLogMeansProbable() throws {
        let (events, _) = run(access: [])
        let s = try XCTUnwrap(events.first?.silent)
        XCTAssertEqual(s.confidence, .probable)
        XCTAssertNil(s.instance)
        XCTAssertEqual(s.endpoint, "POST /proxy/set")
        XCTAssertNotNil(s.evidenceMissing)
    }

    func testPoolTimeoutSurfacesTenSecondsLater() throws {
        let p2024 = """
        [Evolution API]    v2.2.3  211   -  Tue Jun 10 2025 14:07:41     ERROR   [unhandledRejection]  [object]  \("")
        PrismaClientKnownRequestError: \("")
        Invalid `this.prismaRepository.proxy.upsert()` invocation in
        /evolution/dist/main.js:2:183447

        Timed out fetching a new connection from the connection pool. More info: http://pris.ly/d/connection-pool (Current connection pool timeout: 10, connection limit: 9)
            at async Wr.setProxy (/evolution/dist/main.js:2:183502) {
          code: 'P2024',
          clientVersion: '6.3.1',
          meta: { modelName: 'Proxy', connection_limit: 9, timeout: 10 }
        }\(" ")


        """
        let (events, _) = run(access: [nginx("17:07:31", "/proxy/set/loja-centro", 201)], evolution: p2024)
        XCTAssertEqual(events.first?.silent?.confidence, .confirmed)
        XCTAssertEqual(events.first?.silent?.instance, "loja-centro")
    }

    func testBackgroundFailuresAreNeverSilent() {
        let background = Samples.pair223.replacingOccurrences(of: "modelName: 'Proxy'", with: "modelName: 'MessageUpdate'")
            .replacingOccurrences(of: "Wr.setProxy", with: "Wr.updateMessage")
        let (events, _) = run(access: [nginx("17:07:31", "/proxy/set/loja-centro", 201)], evolution: background)
        XCTAssertEqual(events.first?.outcome, .background)
        XCTAssertNil(events.first?.silent)
    }

    func testInterleavedAccessLinesAreEvidenceNotRecordText() throws {
        let lines = Samples.pair223.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let mixed = ([nginx("17:07:31", "/proxy/set/loja-centro", 201)] + lines).joined(separator: "\n")
        let (events, session) = run(access: [], evolution: mixed)
        XCTAssertEqual(events.count, 1)
        XCTAssertEqual(events.first?.silent?.confidence, .confirmed)
        XCTAssertEqual(session.totals.accessLogLines, 1)
    }
}
