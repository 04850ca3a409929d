import Foundation
import XCTest
@testable import EvoScan

/// The config file: the built-in knowledge read from its own TOML, what a user's file adds
/// or replaces, and the error (file, line, key) for every kind of mistake.
final class ConfigTests: XCTestCase {
    func read(_ text: String) throws -> Knowledge { try Knowledge.builtIn.reading(text: text, file: "user.toml") }

    func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> ConfigError? {
        do {
            _ = try read(text)
            XCTFail("no error for:\n\(text)", file: file, line: line)
            return nil
        } catch {
            return error as? ConfigError
        }
    }

    func testBuiltInTablesAreReadFromTheirOwnText() {
        let k = Knowledge.builtIn
        XCTAssertEqual(k.writeMap.rows.count, 11)
        XCTAssertEqual(k.writeMap.rows.map(\.endpoint).filter { $0 == "POST /instance/create" }.count, 6)
        let proxy = k.writeMap.rows[0]
        XCTAssertEqual([proxy.endpoint, proxy.model, proxy.index, proxy.method, proxy.versions.description],
                       ["POST /proxy/set", "Proxy", "Proxy_instanceId_key", "setProxy", "all"])
        let webhook = k.writeMap.rows[3]
        XCTAssertEqual([webhook.endpoint, webhook.method, webhook.versions.description], ["POST /webhook/set", "setWebhook", "<2.1.0"])
        XCTAssertEqual(k.remediation.rows.count, 13)
        XCTAssertEqual(k.redactions.map(\.name), ["url-credentials", "quoted-secret", "bare-secret", "bearer"])
        XCTAssertEqual(k.redactions.map(\.secretGroup), [2, 3, 2, 2])
        XCTAssertEqual(k.accessLogs.formatNames, ["traefik-clf", "combined", "nginx-proxy-manager", "traefik-json", "caddy-json"])
        XCTAssertEqual(k.accessLogs.endpoints, [], "every built-in endpoint is classified without a template")
        XCTAssertEqual(k.defaults, Knowledge.Defaults(logTZ: nil, window: 2, format: "table"))
        XCTAssertEqual(k.files, [])
    }

    func testPrintedDefaultsReadBackToTheSameKnowledge() throws {
        let again = try Knowledge.empty.reading(text: BuiltInConfig.text, file: "defaults.toml")
        XCTAssertEqual(again.writeMap, Knowledge.builtIn.writeMap)
        XCTAssertEqual(again.remediation, Knowledge.builtIn.remediation)
        XCTAssertEqual(again.redactions.map(\.regex.pattern), Knowledge.builtIn.redactions.map(\.regex.pattern))
        XCTAssertEqual(again.defaults, Knowledge.builtIn.defaults)
    }

    func testThreeLinesAddASilentEndpoint() throws {
        let k = try read("""
        [[silent-endpoint]]
        endpoint = "POST /crm/set/{instance}"
        model = "CrmIntegration"
        """)
        XCTAssertEqual(k.writeMap.rows.count, 12)
        let row = try XCTUnwrap(k.writeMap.rows.last)
        XCTAssertEqual([row.endpoint, row.model, row.index, row.method, row.versions.description],
                       ["POST /crm/set", "CrmIntegration", "CrmIntegration_instanceId_key", "setCrmIntegration", "all"])
        XCTAssertEqual(k.accessLogs.endpoints.map(\.description), ["POST /crm/set/{instance}"])
        XCTAssertEqual(k.files, ["user.toml"])
        var facts = PrismaFacts()
        facts.model = "CrmIntegration"
        XCTAssertEqual(k.writeMap.silentRows(for: facts, version: EvolutionVersion("2.2.3")).map(\.endpoint), ["POST /crm/set"])
        XCTAssertEqual(Knowledge.builtIn.writeMap.silentRows(for: facts, version: EvolutionVersion("2.2.3")).count, 0)
    }

    func testRowsWithABuiltInKeyReplaceOrSwitchOff() throws {
        let k = try read("""
        [[silent-endpoint]]
        endpoint = "POST /webhook/set/{instance}"
        model = "Webhook"
        versions = ">=2.0.0 <2.5.0"

        [[silent-endpoint]]
        endpoint = "POST /instance/create"
        model = "Chatwoot"
        versions = "none"
        """)
        XCTAssertEqual(k.writeMap.rows.count, 10)
        XCTAssertFalse(k.writeMap.rows.contains { $0.model == "Chatwoot" })
        // Replaced in place: still after the two rows before it (Chatwoot's is gone).
        let webhook = k.writeMap.rows[2]
        XCTAssertEqual([webhook.endpoint, webhook.versions.description], ["POST /webhook/set", ">=2.0.0 <2.5.0"])
        XCTAssertTrue(webhook.isSilent(in: EvolutionVersion("2.4.9")))
        XCTAssertFalse(webhook.isSilent(in: EvolutionVersion("2.5.0")))
        XCTAssertFalse(webhook.isSilent(in: EvolutionVersion("1.8.2")))
        XCTAssertEqual(k.accessLogs.endpoints, [], "a built-in endpoint needs no template")
    }

    func testRemediationRowsComeFirstAndReplaceTheirKey() throws {
        let k = try read("""
        [[remediation]]
        code = "P2002"
        model = "Proxy"
        versions = ">=2.1.0"
        hint = "our fork serialises proxy saves: open a ticket with the instance name."

        [[remediation]]
        code = "P2024"
        hint = "page the DBA."
        """)
        XCTAssertEqual(k.remediation.rows.count, 13, "both rows replace a built-in one")
        XCTAssertEqual(k.remediation.rows.prefix(2).map(\.hint), ["our fork serialises proxy saves: open a ticket with the instance name.", "page the DBA."])
        XCTAssertEqual(k.remediation.hint(code: "P2002", model: "Proxy", version: EvolutionVersion("2.2.3")),
                       "our fork serialises proxy saves: open a ticket with the instance name.")
        XCTAssertEqual(k.remediation.hint(code: "P2024", model: "MessageUpdate", version: nil), "page the DBA.")
        XCTAssertEqual(k.remediation.hint(code: "P2002", model: "Proxy", version: EvolutionVersion("2.0.4"))?.hasPrefix("create-only setProxy"), true)
    }

    func testARedactionRuleIsAddedToTheBuiltInOnes() throws {
        let k = try read("""
        [[redaction]]
        name = "crm-token"
        pattern = 'crmKey=(?<secret>[A-Z0-9]{6,})'
        needles = ["crmkey"]

        [[redaction]]
        name = "phone"
        pattern = '\\+55\\d{10,11}'
        """)
        let r = Redactor(rules: k.redactions)
        XCTAssertEqual(r.redact("POST /crm/set?crmKey=AB12CD34 password=hunter2 from +5511987654321"),
                       "POST /crm/set?crmKey=[REDACTED] password=[REDACTED] from [REDACTED]")
        XCTAssertEqual(r.redact("CRMKEY=AB12CD34"), "CRMKEY=AB12CD34", "the pattern is case-sensitive; only the needle is not")
        XCTAssertEqual(Redactor().redact("crmKey=AB12CD34"), "crmKey=AB12CD34")
    }

    func testAnAccessLogFormatFromAPattern() throws {
        let k = try read("""
        [[silent-endpoint]]
        endpoint = "POST /crm/set/{instance}"
        model = "CrmIntegration"

        [[access-log-format]]
        name = "haproxy-ish"
        pattern = '^(?<ip>\\S+) \\[(?<ts>[^\\]]+)\\] "(?<method>[A-Z]+) (?<uri>\\S+) [^"]*" (?<status>\\d{3}) (?<ms>\\d+)ms (?<upstream>\\S+)$'
        time = "rfc3339"
        stamp = "start"
        """)
        XCTAssertEqual(k.accessLogs.formatNames.first, "haproxy-ish")
        let parser = AccessLogParser(scratch: RegexScratch(), catalog: k.accessLogs)
        var line = Array(#"203.0.113.7 [2025-06-10T17:07:30.900Z] "POST /evo/crm/set/loja%20centro?x=1 HTTP/1.1" 201 250ms 10.0.0.5:8080"#.utf8)
        let r = try XCTUnwrap(line.withUnsafeMutableBytes { parser.parse(UnsafeRawBufferPointer($0), input: "a.log") })
        XCTAssertEqual(r.format, "haproxy-ish")
        XCTAssertEqual(r.end, Instant(micros: Instant(seconds: 1_749_575_250).micros + 1_150_000), "start + 250 ms")
        XCTAssertEqual([r.method, r.path, r.endpoint, r.instance], ["POST", "/evo/crm/set/loja%20centro", "POST /crm/set", "loja centro"])
        XCTAssertEqual(r.status, 201)
        XCTAssertEqual(parser.formatsSeen, ["haproxy-ish": 1])
        // The correlator's path (kept, then read again) agrees.
        let kept = try XCTUnwrap(line.withUnsafeMutableBytes { parser.keep(UnsafeRawBufferPointer($0), input: "a.log") })
        XCTAssertEqual(kept.kept?.endpoint, "POST /crm/set")
        let back = try XCTUnwrap(AccessLogParser.request(kept: try XCTUnwrap(kept.kept), catalog: k.accessLogs, scratch: RegexScratch()))
        XCTAssertEqual(back.instance, "loja centro")
        // The built-in formats still read their lines after it.
        var nginx = Array(#"203.0.113.7 - - [10/Jun/2025:14:07:31 -0300] "POST /crm/set/loja-centro HTTP/1.1" 201 389 "-" "curl/8""#.utf8)
        XCTAssertEqual(nginx.withUnsafeMutableBytes { parser.parse(UnsafeRawBufferPointer($0), input: "b.log") }?.endpoint, "POST /crm/set")
    }

    func testDefaults() throws {
        let k = try read("""
        [defaults]
        log-tz = "UTC"
        window = 5
        format = "markdown"
        """)
        XCTAssertEqual(k.defaults, Knowledge.Defaults(logTZ: "UTC", window: 5, format: "markdown"))
    }

    func testEndpointTemplates() throws {
        let t = try EndpointTemplate("POST /crm/set/{instance}")
        XCTAssertEqual([t.method, t.key, t.description], ["POST", "POST /crm/set", "POST /crm/set/{instance}"])
        XCTAssertEqual(try EndpointTemplate("PUT /crm/sync/").hasInstance, false)
        for (path, instance) in [("/crm/set/a", "a"), ("/x/crm/set/a%20b/", "a b")] {
            XCTAssertEqual(EvolutionEndpoints.classify(method: "POST", path: path, extra: [t]).instance, instance, path)
        }
        for path in ["/crm/set", "/crm/set/", "/crmx/set/a", "/crm/set/a/b", "/rm/set/a"] {
            XCTAssertNil(EvolutionEndpoints.classify(method: "POST", path: path, extra: [t]).endpoint, path)
        }
        for (bad, why) in [("POST", "expected METHOD /path"), ("post /x", "upper-case"), ("POST x", "start with /"),
                           ("POST /{instance}/set", "last segment"), ("POST /{instance}", "at least one segment"),
                           ("POST /a//b", "non-empty"), ("POST /a?b", "non-empty")] {
            XCTAssertThrowsError(try EndpointTemplate(bad), bad) { XCTAssertTrue("\($0)".contains(why), "\(bad): \($0)") }
        }
    }

    // MARK: Errors name the file, the line and the key

    func testUnknownKeysAreErrorsWithTheirLine() {
        XCTAssertEqual(error("""
        # comment
        [[silent-endpoint]]
        endpoint = "POST /a/{instance}"
        model = "A"

        [[silent-endpoint]]
        endpoint = "POST /b/{instance}"
        modle = "B"
        """)?.description, "user.toml:8: [[silent-endpoint]] #2, key 'modle': unknown key (known: endpoint, model, index, method, versions)")
        XCTAssertEqual(error("colour = true\n")?.description,
                       "user.toml:1: key 'colour': unknown key (known: defaults, silent-endpoint, remediation, redaction, access-log-format)")
        XCTAssertEqual(error("[defaults]\nwindow = 3\n\n[defaultz]\nx = 1\n")?.description,
                       "user.toml:4: key 'defaultz': unknown key (known: defaults, silent-endpoint, remediation, redaction, access-log-format)")
        XCTAssertEqual(error("[defaults]\nwindw = 3\n")?.description, "user.toml:2: [defaults], key 'windw': unknown key (known: log-tz, window, format)")
    }

    func testBadValuesNameTheirKey() {
        let cases: [(String, String)] = [
            ("[defaults]\nwindow = \"2\"\n", "user.toml:2: [defaults], key 'window': must be an integer, not a string"),
            ("[defaults]\nwindow = 7200\n", "user.toml:2: [defaults], key 'window': must be between 0 and 3600 seconds"),
            ("[defaults]\nlog-tz = \"Mars/Olympus\"\n", "user.toml:2: [defaults], key 'log-tz': unknown zone 'Mars/Olympus' (an IANA name such as America/Sao_Paulo, or an offset such as -03:00)"),
            ("[defaults]\nformat = \"xml\"\n", "user.toml:2: [defaults], key 'format': unknown format 'xml' (table, ndjson, json, csv, markdown, html, prometheus)"),
            ("defaults = 3\n", "user.toml:1: key 'defaults': must be a table ([defaults]), not an integer"),
            ("[silent-endpoint]\nendpoint = \"POST /a\"\n", "user.toml:1: key 'silent-endpoint': must be an array of tables: write [[silent-endpoint]] above each entry"),
            ("[[silent-endpoint]]\nmodel = \"A\"\n", "user.toml:1: [[silent-endpoint]] #1: needs the key 'endpoint'"),
            ("[[silent-endpoint]]\nendpoint = \"POST /a/{instance}/b\"\nmodel = \"A\"\n", "user.toml:2: [[silent-endpoint]] #1, key 'endpoint': 'POST /a/{instance}/b': {instance} may only be the last segment"),
            ("[[silent-endpoint]]\nendpoint = \"POST /a\"\nmodel = \"A-b\"\n", "user.toml:3: [[silent-endpoint]] #1, key 'model': 'A-b' is not a Prisma model name (letters, digits, _)"),
            ("[[silent-endpoint]]\nendpoint = \"POST /a\"\nmodel = \"A\"\nversions = \"~2.1\"\n", "user.toml:4: [[silent-endpoint]] #1, key 'versions': '~2.1' is not a version range (all, none, <2.1.0, >=2.3.2, >=2.1.0 <2.3.0)"),
            ("[[silent-endpoint]]\nendpoint = \"POST /a\"\nmodel = \"A\"\n[[silent-endpoint]]\nendpoint = \"POST /a/\"\nmodel = \"A\"\n", "user.toml:5: [[silent-endpoint]] #2, key 'endpoint': POST /a and model A are already in [[silent-endpoint]] #1"),
            ("[[remediation]]\ncode = \"P9999\"\nhint = \"x\"\n", "user.toml:2: [[remediation]] #1, key 'code': 'P9999' is not a Prisma error code (P1000–P6010; see evoscan explain)"),
            ("[[remediation]]\ncode = \"P2002\"\nhint = \"\"\n", "user.toml:3: [[remediation]] #1, key 'hint': must not be empty"),
            ("[[remediation]]\ncode = \"P2002\"\nhint = \"\\u001b[2J gone\"\n", "user.toml:3: [[remediation]] #1, key 'hint': must not contain control characters"),
            ("[[redaction]]\nname = \"bearer\"\npattern = 'x'\n", "user.toml:2: [[redaction]] #1, key 'name': a redaction rule named 'bearer' exists already (built-in rules cannot be replaced)"),
            ("[[redaction]]\nname = \"r\"\npattern = 'a(b'\n", "user.toml:3: [[redaction]] #1, key 'pattern': not a PCRE2 pattern: missing closing parenthesis at offset 3"),
            ("[[redaction]]\nname = \"r\"\npattern = 'x'\nneedles = [\"a\", 3]\n", "user.toml:4: [[redaction]] #1, key 'needles': must hold non-empty strings only"),
            ("[[access-log-format]]\nname = \"f\"\npattern = '(?<ts>\\S+) (?<uri>\\S+)'\n", "user.toml:3: [[access-log-format]] #1, key 'pattern': needs the named groups (?<method>…), (?<status>…)"),
            ("[[access-log-format]]\nname = \"combined\"\npattern = 'x'\n", "user.toml:2: [[access-log-format]] #1, key 'name': a format named 'combined' exists already"),
            ("[[access-log-format]]\nname = \"f\"\npattern = '(?<ts>.)(?<method>.)(?<uri>.)(?<status>.)'\ntime = \"iso\"\n", "user.toml:4: [[access-log-format]] #1, key 'time': 'iso' is not one of clf, rfc3339, epoch"),
        ]
        for (text, want) in cases {
            XCTAssertEqual(error(text)?.description, want, text)
        }
    }

    func testLinesAreFoundPastMultiLineStrings() {
        XCTAssertEqual(error("""
        [[remediation]]
        code = "P2002"
        hint = '''
        a hint over
        two lines = with an equals sign
        '''
        modle = "X"
        """)?.line, 7)
    }

    func testSyntaxErrorsHaveLineAndColumn() {
        let e = error("[defaults]\nwindow = = 2\n")
        XCTAssertEqual(e?.line, 2)
        XCTAssertNotNil(e?.column)
        XCTAssertEqual(e?.description.hasPrefix("user.toml:2:"), true, e?.description ?? "")
        XCTAssertEqual(e?.description.contains("TOML syntax: "), true)
        XCTAssertEqual(error("[defaults]\nwindow = 2\nwindow = 3\n")?.line, 3, "a key given twice")
    }

    /// toml++ stops the process on an assertion when a table header does not start with a
    /// key (found by the `config` fuzz target): such headers never reach it, and brackets
    /// in strings, comments and multi-line arrays are not headers.
    func testTextTomlPlusPlusWouldAbortOn() throws {
        for text in ["[", "[[", "[ ", "[#x", "[+a]", "[[(edaction]]", "[.a]", "[é]", "[ [a]]", "[defaults]\nwindow = 1\n  [(\n"] {
            let e = error(text)
            XCTAssertEqual(e?.message, "a table header must start with a key: [name] or [[name]]", text)
            XCTAssertEqual(e?.line, text.hasPrefix("[defaults]") ? 3 : 1, text)
        }
        XCTAssertNoThrow(try read("[[remediation]]\ncode = \"P2002\" # [(\nhint = '''\n[( in a hint\n'''\n\n[ \"defaults\" ]\nwindow = 3\n"))
        XCTAssertEqual(error("[[redaction]]\nname = \"x\"\nneedles = [\n  [ +1 ],\n]\npattern = 'x'\n")?.message, "must hold non-empty strings only")
        // toml++ also aborts on `}` where an array expects a value, and on a Unicode line
        // separator there.
        for (text, line) in [("n = [}", 1), ("n = [1, }", 1), ("n = { a = [ }}", 1), ("n = [\n  # x\n}", 3)] {
            XCTAssertEqual(error(text)?.message, "'}' inside an array: an array ends with ']'", text)
            XCTAssertEqual(error(text)?.line, line, text)
        }
        for text in ["n = [\u{2028}]", "n = [\u{85}]", "n = 1\u{2029}"] {
            XCTAssertEqual(error(text)?.message, "a Unicode line separator outside a string (TOML's line ends are LF and CRLF)", text)
        }
        // After a byte-order mark, which toml++ skips, a header is still checked.
        XCTAssertEqual(error("\u{FEFF}[[[")?.message, "a table header must start with a key: [name] or [[name]]")
        XCTAssertEqual(try read("\u{FEFF}[defaults]\nwindow = 4\n").defaults.window, 4)
        XCTAssertEqual(error("\u{FEFF}[defaults]\nwindw = 4\n")?.description, "user.toml:2: [defaults], key 'windw': unknown key (known: log-tz, window, format)")
        // In strings and comments they are text.
        XCTAssertEqual(error("# \u{2028} }\nn = [\"}\u{2028}\"]\n")?.message, "unknown key (known: defaults, silent-endpoint, remediation, redaction, access-log-format)")
    }

    func testFilesThatAreNotConfigs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evoscan-config-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func load(_ bytes: [UInt8]) -> String {
            let url = dir.appendingPathComponent("c.toml")
            XCTAssertTrue(FileManager.default.createFile(atPath: url.path, contents: Data(bytes)))
            do { _ = try Knowledge.builtIn.reading(file: url.path); return "ok" } catch { return "\(error)".replacingOccurrences(of: dir.path + "/", with: "") }
        }
        XCTAssertEqual(load(Array("[defaults]\nwindow = 1\n".utf8)), "ok")
        XCTAssertEqual(load(Array("[defaults]\nwindow = 1\n\u{0}".utf8)), "c.toml:3: contains a NUL byte: not a text file")
        XCTAssertEqual(load(Array("# ok\n# caf".utf8) + [0xE9, 0x0A]), "c.toml:2: not valid UTF-8 (TOML files are UTF-8)")
        // toml++ stops the process on an assertion for `[` and a control character: they
        // never reach it.
        XCTAssertEqual(load(Array("[defaults]\nwindow = 1\n[\u{2}]]\n".utf8)), "c.toml:3: control character U+0002 (TOML allows only tab and line ends)")
        XCTAssertEqual(load([0x5B, 0x7F]), "c.toml:1: control character U+007F (TOML allows only tab and line ends)")
        XCTAssertEqual(load(Array("[defaults]\r\nwindow\t= 1\r\n".utf8)), "ok")
        XCTAssertEqual(load([UInt8](repeating: 0x23, count: (1 << 20) + 1)), "c.toml: larger than 1 MiB: not a config file")
        XCTAssertThrowsError(try Knowledge.builtIn.reading(file: dir.appendingPathComponent("missing.toml").path)) {
            XCTAssertTrue("\($0)".hasSuffix("missing.toml: cannot open: No such file or directory"), "\($0)")
        }
        XCTAssertThrowsError(try Knowledge.builtIn.reading(file: dir.path)) {
            XCTAssertTrue("\($0)".contains("cannot read: Is a directory"), "\($0)")
        }
    }
}
