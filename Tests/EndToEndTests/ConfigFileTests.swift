import EvoScan
import Foundation
import XCTest

/// `--config`, the user's config file, `config --print-defaults` and `config`, as a user
/// runs them: the documented error for a broken file, and each kind of row changing what a
/// scan reports.
final class ConfigFileTests: XCTestCase {
    var dir: URL!
    let fork = Binary.fixtures.appendingPathComponent("silent/fork-config-endpoint")

    override func setUpWithError() throws { dir = try Binary.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func write(_ text: String, _ name: String = "config.toml") throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    var forkInputs: [String] { ["--access-log", fork.appendingPathComponent("access.log").path, fork.appendingPathComponent("evolution.log").path] }

    func testABrokenConfigIsOneLineNamingFileLineAndKey() throws {
        let path = try write("[defaults]\nwindow = 3\n\n[[silent-endpoint]]\nendpoint = \"POST /crm/set/{instance}\"\nmodle = \"CrmIntegration\"\n")
        for command in [["scan"], ["timeline", "--instance", "x"], ["explain", "P2002"], ["config"], ["merge", "x.json"], ["report", "x.json"]] {
            let r = try Binary.run(command + ["--config", path] + (command.count == 1 && command[0] == "scan" ? forkInputs : []))
            XCTAssertEqual(r.status, 2, "\(command)")
            XCTAssertEqual(r.stderr, "evoscan: config: \(path):6: [[silent-endpoint]] #1, key 'modle': unknown key (known: endpoint, model, index, method, versions)\n", "\(command)")
            XCTAssertEqual(r.out, "", "\(command)")
        }
        let syntax = try write("[defaults]\nwindow = = 2\n", "syntax.toml")
        let r = try Binary.run(["scan", "--config", syntax] + forkInputs)
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.hasPrefix("evoscan: config: \(syntax):2:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("TOML syntax"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        let missing = try Binary.run(["scan", "--config", dir.appendingPathComponent("none.toml").path] + forkInputs)
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "evoscan: config: \(dir.appendingPathComponent("none.toml").path): cannot open: No such file or directory\n")
        let both = try Binary.run(["scan", "--config", path, "--no-config"] + forkInputs)
        XCTAssertEqual(both.status, 2)
        XCTAssertTrue(both.stderr.contains("--config and --no-config do not combine"), both.stderr)
    }

    /// A broken file in the user's config folder stops every run too: it is never
    /// skipped silently.
    func testABrokenUserConfigIsReportedToo() throws {
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("evoscan"), withIntermediateDirectories: true)
        let path = try write("colour = \"never\"\n", "evoscan/config.toml")
        let r = try Binary.run(["scan"] + forkInputs, environment: ["XDG_CONFIG_HOME": dir.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "evoscan: config: \(path):1: key 'colour': unknown key (known: defaults, silent-endpoint, remediation, redaction, access-log-format)\n")
        XCTAssertEqual(try Binary.run(["scan", "--no-config"] + forkInputs, environment: ["XDG_CONFIG_HOME": dir.path]).status, 0)
    }

    func testPrintDefaultsIsAConfigThatChangesNothing() throws {
        let r = try Binary.run(["config", "--print-defaults"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.out.contains("[[silent-endpoint]]\nendpoint = \"POST /proxy/set/{instance}\"\nmodel = \"Proxy\"\n"), r.out)
        XCTAssertTrue(r.out.contains("[[redaction]]\nname = \"bearer\"\n"), r.out)
        XCTAssertEqual(r.out.components(separatedBy: "[[silent-endpoint]]").count - 1, 11)
        XCTAssertEqual(r.out.components(separatedBy: "[[remediation]]").count - 1, 13)
        let path = try write(r.out)
        let check = try Binary.run(["config", "--config", path])
        XCTAssertEqual(check.status, 0, check.stderr)
        XCTAssertEqual(check.out, """
        config: \(path)
        silent endpoints: 11 (0 added or changed, 0 switched off)
        remediation hints: 13 (0 from the config)
        redaction rules: url-credentials, quoted-secret, bare-secret, bearer
        access-log formats: traefik-clf, combined, nginx-proxy-manager, traefik-json, caddy-json
        defaults: log-tz inferred, window 2 s, format table

        """)
    }

    func testConfigListsWhatAFileChanges() throws {
        let path = try write("""
        [defaults]
        format = "json"

        [[silent-endpoint]]
        endpoint = "POST /crm/set/{instance}"
        model = "CrmIntegration"

        [[silent-endpoint]]
        endpoint = "POST /sqs/set/{instance}"
        model = "Sqs"
        versions = "none"
        """)
        let r = try Binary.run(["config", "--config", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.out.contains("silent endpoints: 11 (1 added or changed, 1 switched off)\n"
            + "  + POST /crm/set/{instance} → CrmIntegration (setCrmIntegration, index CrmIntegration_instanceId_key), silent in every version\n"
            + "  - POST /sqs/set → Sqs\n"), r.out)
        XCTAssertTrue(r.out.hasSuffix("defaults: log-tz inferred, window 2 s, format json\n"), r.out)
    }

    func testDefaultsApplyUnlessTheCommandLineSaysOtherwise() throws {
        let path = try write("[defaults]\nformat = \"json\"\nwindow = 7\nlog-tz = \"-03:00\"\n\n" + (try String(contentsOf: fork.appendingPathComponent("config.toml"), encoding: .utf8)))
        let r = try Binary.run(["scan", "--config", path] + forkInputs)
        XCTAssertEqual(r.status, 1, r.stderr)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        XCTAssertEqual((doc["correlation"] as? [String: Any])?["window_seconds"] as? Int, 7)
        XCTAssertEqual((doc["silent_failures"] as? [[String: Any]])?.first?["instance"] as? String, "loja-centro")
        XCTAssertTrue(r.out.contains("\"-03:00\""), "the configured zone is the one used")
        let table = try Binary.run(["scan", "--config", path, "--format", "table", "--window", "1", "--color", "never"] + forkInputs)
        XCTAssertEqual(table.status, 1)
        XCTAssertTrue(table.out.contains("Silent failures"), table.out)
        XCTAssertFalse(table.out.hasPrefix("{"))
        // merge takes a configured summary format; scan's csv is not one, so merge stays on table.
        let csv = try write("[defaults]\nformat = \"csv\"\n", "csv.toml")
        let summary = dir.appendingPathComponent("s.json").path
        XCTAssertEqual(try Binary.run(["scan", "--no-config", "--format", "json", "-o", summary] + forkInputs).status, 0)
        XCTAssertTrue(try Binary.run(["merge", "--config", csv, summary]).out.contains("evoscan"), "a table")
        XCTAssertTrue(try Binary.run(["merge", "--config", path, summary]).out.hasPrefix("{"))
    }

    /// A fork's path with none of the words of Evolution's save paths (`/set/`, `/create/`,
    /// …) is still read from the access log, not only counted; with or without an
    /// instance segment, and on the parallel and the serial path.
    func testAnEndpointOutsideEvolutionsPathWords() throws {
        let access = try String(contentsOf: fork.appendingPathComponent("access.log"), encoding: .utf8)
            .replacingOccurrences(of: "/crm/set/", with: "/crm/sync/")
        let accessPath = try write(access, "access.log")
        let path = try write("[[silent-endpoint]]\nendpoint = \"POST /crm/sync/{instance}\"\nmodel = \"CrmIntegration\"\n")
        for jobs in ["1", "2"] {
            let r = try Binary.run(["scan", "--config", path, "--jobs", jobs, "--format", "ndjson", "--access-log", accessPath,
                                    fork.appendingPathComponent("evolution.log").path])
            XCTAssertEqual(r.status, 1, "jobs \(jobs): \(r.stderr)")
            XCTAssertEqual(r.silent.first?["endpoint"] as? String, "POST /crm/sync", "jobs \(jobs)")
            XCTAssertEqual(r.silent.first?["instance"] as? String, "loja-centro", "jobs \(jobs)")
            XCTAssertEqual(r.silent.first?["confidence"] as? String, "confirmed", "jobs \(jobs)")
        }
        // No instance in the path: the request still confirms the write's failure.
        let bare = try write(access.replacingOccurrences(of: "/crm/sync/loja-centro", with: "/crm/sync"), "bare.log")
        let bareConfig = try write("[[silent-endpoint]]\nendpoint = \"POST /crm/sync\"\nmodel = \"CrmIntegration\"\n", "bare.toml")
        let r = try Binary.run(["scan", "--config", bareConfig, "--format", "ndjson", "--access-log", bare, fork.appendingPathComponent("evolution.log").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.silent.first?["endpoint"] as? String, "POST /crm/sync")
        XCTAssertEqual(r.silent.first?["request_time"] as? String, "2025-06-10T17:07:31Z")
    }

    /// A report says which config files it was made with, in every format, and merge
    /// keeps them and warns when partials differ.
    func testReportsNameTheConfigTheyWereMadeWith() throws {
        let path = try write(try String(contentsOf: fork.appendingPathComponent("config.toml"), encoding: .utf8))
        let table = try Binary.run(["scan", "--config", path, "--color", "never"] + forkInputs)
        XCTAssertTrue(table.out.contains("\nconfig: \(path)\n"), table.out)
        XCTAssertFalse(try Binary.run(["scan", "--no-config", "--color", "never"] + forkInputs).out.contains("\nconfig: "))
        let markdown = try Binary.run(["scan", "--config", path, "--format", "markdown"] + forkInputs)
        XCTAssertTrue(markdown.out.contains("| Config | \(path) |\n"), markdown.out)
        XCTAssertTrue(try Binary.run(["scan", "--config", path, "--format", "html"] + forkInputs).out.contains("Config: \(path)."))

        let with = dir.appendingPathComponent("with.json").path, without = dir.appendingPathComponent("without.json").path
        XCTAssertEqual(try Binary.run(["scan", "--config", path, "--format", "json", "-o", with, "--access-log", fork.appendingPathComponent("access.log").path]
                                      + [fork.appendingPathComponent("evolution.log").path]).status, 1)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: with))) as? [String: Any])
        XCTAssertEqual(doc["config_files"] as? [String], [path])
        // Another host's partial, built-in only, over another log.
        XCTAssertEqual(try Binary.run(["scan", "--no-config", "--format", "json", "-o", without,
                                       Binary.fixtures.appendingPathComponent("deploy-cli.log").path]).status, 0)
        let merged = try Binary.run(["merge", "--no-config", "--format", "json", with, without])
        XCTAssertEqual(merged.stderr, "evoscan: \(without): made with config none (built-in only), \(with) with \(path)\n")
        let mergedDoc = try XCTUnwrap(try JSONSerialization.jsonObject(with: merged.stdout) as? [String: Any])
        XCTAssertEqual(mergedDoc["config_files"] as? [String], [path])
        XCTAssertEqual(mergedDoc["silent_failures"].flatMap { $0 as? [Any] }?.count, 1)
    }

    /// Every format a config may name is one `scan --format` takes, and the config's is
    /// the one used.
    func testEveryConfigFormatIsAScanFormat() throws {
        let firstBytes = ["table": "evoscan", "ndjson": "{\"kind\"", "json": "{", "csv": "time,instance,", "markdown": "# evoscan",
                          "html": "<!doctype html>", "prometheus": "# HELP"]
        XCTAssertEqual(Set(Knowledge.outputFormats), Set(firstBytes.keys))
        for format in Knowledge.outputFormats {
            let path = try write("[defaults]\nformat = \"\(format)\"\n", "\(format).toml")
            let r = try Binary.run(["scan", "--config", path, "--color", "never", fork.appendingPathComponent("evolution.log").path])
            XCTAssertEqual(r.status, 0, "\(format): \(r.stderr)")
            XCTAssertTrue(r.out.hasPrefix(try XCTUnwrap(firstBytes[format])), "\(format): \(r.out.prefix(80))")
        }
    }

    func testRemediationAndRedactionFromTheConfigReachTheReport() throws {
        let path = try write((try String(contentsOf: fork.appendingPathComponent("config.toml"), encoding: .utf8)) + """

        [[remediation]]
        code = "P2002"
        model = "CrmIntegration"
        hint = "delete the CrmIntegration row of the instance, then save again."

        [[redaction]]
        name = "crm-pipeline"
        pattern = 'pipeline:(?<secret>\\w+)'
        needles = ["pipeline:"]
        """)
        let r = try Binary.run(["scan", "--config", path, "--format", "json"] + forkInputs)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.out.contains("\"remediation\": \"delete the CrmIntegration row of the instance, then save again.\""), r.out)
        XCTAssertTrue(r.out.contains("pipeline:[REDACTED]"), r.out)
        XCTAssertFalse(r.out.contains("pipeline:o"), r.out)
        let without = try Binary.run(["scan", "--no-config", "--format", "json"] + forkInputs)
        XCTAssertTrue(without.out.contains("pipeline:o"), "the fixture does hold the text")
        let explain = try Binary.run(["explain", "P2002", "--config", path])
        XCTAssertTrue(explain.out.contains("  POST /crm/set  →  CrmIntegration (setCrmIntegration, index CrmIntegration_instanceId_key), silent in every version\n"), explain.out)
        XCTAssertTrue(explain.out.contains("  - delete the CrmIntegration row of the instance, then save again.\n"), explain.out)
    }

    func testAnAccessLogFormatFromTheConfig() throws {
        // The fork's proxy writes `IP [RFC 3339 start] "REQUEST" STATUS DURATIONms`.
        let access = try write("""
        203.0.113.7 [2025-06-10T17:03:20.100Z] "POST /crm/set/loja-centro HTTP/1.1" 201 35ms
        203.0.113.7 [2025-06-10T17:07:30.990Z] "POST /crm/set/loja-centro HTTP/1.1" 201 40ms

        """, "access.log")
        let path = try write((try String(contentsOf: fork.appendingPathComponent("config.toml"), encoding: .utf8)) + """

        [[access-log-format]]
        name = "fork-proxy"
        pattern = '^\\S+ \\[(?<ts>[^\\]]+)\\] "(?<method>[A-Z]+) (?<uri>\\S+) [^"]*" (?<status>\\d{3}) (?<ms>\\d+)ms$'
        time = "rfc3339"
        stamp = "start"
        """)
        let r = try Binary.run(["scan", "--config", path, "--format", "ndjson", "--access-log", access, fork.appendingPathComponent("evolution.log").path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.silent.first?["request_time"] as? String, "2025-06-10T17:07:31Z", "start + 40 ms")
        XCTAssertEqual(r.silent.first?["confidence"] as? String, "confirmed")
        XCTAssertEqual(r.silent.first?["instance"] as? String, "loja-centro")
        // Interleaved in the Evolution log (one stream of both), the line is found too.
        let evolution = try String(contentsOf: fork.appendingPathComponent("evolution.log"), encoding: .utf8)
        let request = #"203.0.113.7 [2025-06-10T17:07:30.990Z] "POST /crm/set/loja-centro HTTP/1.1" 201 40ms"#
        let combined = try write(evolution.replacingOccurrences(of: "Cache request for group", with: request + "\nCache request for group"), "combined.log")
        let mixed = try Binary.run(["scan", "--config", path, "--format", "ndjson", combined])
        XCTAssertEqual(mixed.status, 1, mixed.stderr)
        XCTAssertEqual(mixed.silent.first?["confidence"] as? String, "confirmed")
        XCTAssertEqual(mixed.silent.first?["request_time"] as? String, "2025-06-10T17:07:31Z")
        XCTAssertEqual(try Binary.run(["scan", "--no-config", "--format", "ndjson", combined]).silent.count, 0)
    }
}
