import Foundation
import XCTest

/// Each report format checked by a real consumer: a headless browser for html, promtool
/// for prometheus, Python's csv module for csv, a structural check for markdown; from a
/// scan and from a merged summary; secrets and injected markup never leak.
final class ReportFormatTests: XCTestCase {
    var dir: URL!
    override func setUpWithError() throws { dir = try Binary.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    let scenario = Binary.fixtures.appendingPathComponent("silent/v20x-proxy-resave")
    var access: String { scenario.appendingPathComponent("access.log").path }
    var evolution: String { scenario.appendingPathComponent("evolution.log").path }

    /// A log that tries to inject markup and script through an instance name and a field.
    func hostileLog() throws -> String {
        let text = """
        [Evolution API]  [<script>document.title='pwned'</script>]  v2.3.6  211   -  Tue Jun 10 2025 14:07:31     ERROR   [ChannelStartupService]  [object]  \("")
        PrismaClientKnownRequestError: \("")
        Invalid `this.prismaRepository.contact.upsert()` invocation in
        /evolution/dist/main.js:2:1

        Unique constraint failed on the fields: (`"><img src=x onerror="document.title='pwned2'">`)
            at async Ab.upsertContact (/evolution/dist/main.js:2:9) {
          code: 'P2002',
          meta: { modelName: 'Contact', target: [ '"><img src=x onerror=alert(1)>', 'password=hunter2xyz' ] },
          clientVersion: '6.17.1'
        }\(" ")


        """
        let url = dir.appendingPathComponent("hostile.log")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func tool(_ path: String, _ args: [String], stdin: URL? = nil) throws -> (status: Int32, out: String) {
        guard FileManager.default.isExecutableFile(atPath: path) else { throw XCTSkip("\(path) is not installed (make test-deps installs it)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        let out = dir.appendingPathComponent("tool.out")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        if let stdin { p.standardInput = try FileHandle(forReadingFrom: stdin) }
        try p.run()
        let deadline = Date().addingTimeInterval(90)
        while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        return (p.terminationStatus, try String(contentsOf: out, encoding: .utf8))
    }

    func summary(_ args: [String]) throws -> [String: Any] {
        let r = try Binary.run(["scan", "--format", "json", "--fail-on", "never"] + args)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
    }

    func testHTMLRendersInABrowserWithTheSummaryNumbersAndNoInjection() throws {
        let hostile = try hostileLog()
        let html = dir.appendingPathComponent("report.html")
        let r = try Binary.run(["scan", "--format", "html", "-o", html.path, "--fail-on", "never", "--access-log", access, evolution, hostile])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.out, "", "--output: nothing on stdout")
        let page = try String(contentsOf: html, encoding: .utf8)
        XCTAssertFalse(page.contains("src=\"http"), "no external assets")
        XCTAssertFalse(page.contains("<script>document.title"), "the instance name is escaped")
        XCTAssertFalse(page.contains("hunter2xyz"), "secrets are redacted")
        let dom = try tool("/usr/bin/chromium", ["--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", html.absoluteString])
        XCTAssertEqual(dom.status, 0)
        let doc = try summary(["--access-log", access, evolution, hostile])
        func number(_ id: String) -> Int? {
            guard let r = dom.out.range(of: "id=\"\(id)\">") else { return nil }
            return Int(dom.out[r.upperBound...].prefix { $0.isNumber })
        }
        XCTAssertEqual(number("failures-total"), doc["failures_total"] as? Int)
        XCTAssertEqual(number("silent-total"), (doc["silent_failures"] as? [Any])?.count)
        XCTAssertEqual(number("instances-affected"), (doc["instances"] as? [Any])?.count)
        XCTAssertTrue(dom.out.contains("<title>evoscan report</title>"), "the injected script did not run")
        XCTAssertFalse(dom.out.contains("<img"), "the injected image is text, not an element")
        XCTAssertTrue(dom.out.contains("&lt;script&gt;document.title"), "shown as text")
        XCTAssertTrue(dom.out.contains("<svg"), "the histogram is there")
        XCTAssertTrue(dom.out.contains("loja-centro"))
    }

    func testPrometheusPassesPromtoolAndMatchesTheSummary() throws {
        let prom = dir.appendingPathComponent("evoscan.prom")
        let r = try Binary.run(["scan", "--format", "prometheus", "-o", prom.path, "--fail-on", "never", "--access-log", access, evolution, try hostileLog()])
        XCTAssertEqual(r.status, 0, r.stderr)
        let check = try tool("/usr/bin/promtool", ["check", "metrics"], stdin: prom)
        XCTAssertEqual(check.status, 0, "promtool: \(check.out)")
        let text = try String(contentsOf: prom, encoding: .utf8)
        XCTAssertTrue(text.contains("evoscan_silent_failures_total{instance=\"loja-centro\",endpoint=\"POST /proxy/set\"} 1"), text)
        XCTAssertTrue(text.contains("evoscan_failures_total{code=\"P2002\",model=\"Proxy\"} 1"), text)
        XCTAssertTrue(text.contains("# TYPE evoscan_last_scan_timestamp_seconds gauge"))
        XCTAssertFalse(text.contains("hunter2xyz"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp.") }
        XCTAssertEqual(leftovers, [], "written atomically")
    }

    func testCSVParsesWithARealParserOneRowPerFailure() throws {
        let csv = dir.appendingPathComponent("failures.csv")
        let hostile = try hostileLog()
        let r = try Binary.run(["scan", "--format", "csv", "-o", csv.path, "--fail-on", "never", "--access-log", access, evolution, hostile])
        XCTAssertEqual(r.status, 0, r.stderr)
        let script = dir.appendingPathComponent("check.py")
        try Data("""
        import csv, json, sys
        rows = list(csv.DictReader(open(sys.argv[1], newline='')))
        print(json.dumps(rows))
        """.utf8).write(to: script)
        let parsed = try tool("/usr/bin/python3", [script.path, csv.path])
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(parsed.out.utf8)) as? [[String: String]])
        let doc = try summary(["--access-log", access, evolution, hostile])
        XCTAssertEqual(rows.count, doc["failures_total"] as? Int)
        let silent = try XCTUnwrap(rows.first { $0["outcome"] == "silent" })
        XCTAssertEqual(silent["silent_instance"], "loja-centro")
        XCTAssertEqual(silent["code"], "P2002")
        XCTAssertEqual(silent["endpoint"], "POST /proxy/set")
        let contact = try XCTUnwrap(rows.first { $0["model"] == "Contact" })
        XCTAssertEqual(contact["instance"], "<script>document.title='pwned'</script>", "quoting keeps the value whole")
        XCTAssertTrue(contact["fields"]?.contains("<img src=x onerror=alert(1)>") ?? false, contact["fields"] ?? "")
        XCTAssertFalse(contact["fields"]?.contains("hunter2xyz") ?? true, "facts are redacted too")
    }

    func testMarkdownIsPostmortemReady() throws {
        let r = try Binary.run(["scan", "--format", "markdown", "--fail-on", "never", "--access-log", access, evolution])
        XCTAssertEqual(r.status, 0, r.stderr)
        let md = r.out
        for heading in ["# evoscan report", "## Silent failures", "### Instance `loja-centro`", "## Failures by code, model and fields"] {
            XCTAssertTrue(md.contains(heading + "\n"), heading)
        }
        XCTAssertTrue(md.contains("2025-06-10T17:07:31Z (2025-06-10 14:07:31 -03:00)"), "UTC and the log's zone")
        XCTAssertEqual(md.components(separatedBy: "```").count % 2, 1, "fences are balanced")
        XCTAssertTrue(md.contains("```text\n203.0.113.7 - - [10/Jun/2025:17:07:31 +0000] \"POST /proxy/set/loja-centro"), "evidence in a fenced block")
        XCTAssertTrue(md.contains("Upgrade to >= 2.1.0"))
    }

    func testEveryFormatFromAMergedSummary() throws {
        let a = dir.appendingPathComponent("a.json"), b = dir.appendingPathComponent("b.json")
        try (try Binary.run(["scan", "--format", "json", "--fail-on", "never", "--access-log", access, evolution])).stdout.write(to: a)
        try (try Binary.run(["scan", "--format", "json", "--fail-on", "never", Binary.fixtures.appendingPathComponent("nocolour.log").path])).stdout.write(to: b)
        let merged = dir.appendingPathComponent("merged.json")
        XCTAssertEqual(try Binary.run(["merge", "--format", "json", "--fail-on", "never", "-o", merged.path, a.path, b.path]).status, 0)
        for format in ["html", "markdown", "prometheus", "table", "json"] {
            let r = try Binary.run(["report", "--format", format, "--fail-on", "never", merged.path])
            XCTAssertEqual(r.status, 0, "\(format): \(r.stderr)")
            XCTAssertTrue(r.out.contains("loja-centro"), format)
        }
        let prom = dir.appendingPathComponent("merged.prom")
        XCTAssertEqual(try Binary.run(["report", "--format", "prometheus", "-o", prom.path, "--fail-on", "never", merged.path]).status, 0)
        XCTAssertEqual(try tool("/usr/bin/promtool", ["check", "metrics"], stdin: prom).status, 0)
        let csv = try Binary.run(["report", "--format", "csv", merged.path])
        XCTAssertEqual(csv.status, 2, "csv needs the failures one by one")
        XCTAssertTrue(csv.stderr.contains("scan --format csv"), csv.stderr)
    }

    func testOutputFailureIsAClearErrorAndKeepsTheOldFile() throws {
        let r = try Binary.run(["scan", "--format", "json", "-o", "/proc/evoscan/report.json", evolution])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("/proc/evoscan/report.json: cannot write"), r.stderr)
        let file = dir.appendingPathComponent("keep.json")
        try Data("old".utf8).write(to: file)
        XCTAssertEqual(try Binary.run(["scan", "--format", "json", "--fail-on", "never", "-o", file.path, evolution]).status, 0)
        XCTAssertNotEqual(try String(contentsOf: file, encoding: .utf8), "old", "replaced")
    }

    func testTimelineTellsOneInstancesStory() throws {
        let r = try Binary.run(["timeline", "--instance", "loja-centro", "--access-log", access, evolution])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.out.split(separator: "\n").map(String.init)
        let request = try XCTUnwrap(lines.firstIndex { $0.contains("REQUEST") && $0.contains("17:07:31Z") })
        let silent = try XCTUnwrap(lines.firstIndex { $0.contains("SILENT") })
        XCTAssertLessThan(request, silent, "the 201 comes before the failure it hid")
        XCTAssertTrue(lines[silent].hasPrefix("2025-06-10T17:07:31Z  2025-06-10 14:07:31 -03:00"), "both clocks")
        XCTAssertTrue(r.out.contains("Connection state: open"), "the instance's own log lines")
        XCTAssertFalse(r.out.contains("loja-b"))
    }

    func testExplain() throws {
        let r = try Binary.run(["explain", "P2002"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.out.hasPrefix("P2002 — Unique constraint failed"))
        XCTAssertTrue(r.out.contains("POST /proxy/set  →  Proxy (setProxy, index Proxy_instanceId_key), silent in every version"))
        XCTAssertTrue(r.out.contains("Upgrade to >= 2.1.0"))
        XCTAssertTrue(try Binary.run(["explain", "p2024"]).out.contains("pool_timeout"))
        XCTAssertEqual(try Binary.run(["explain", "P9999"]).status, 2)
    }
}
