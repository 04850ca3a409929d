import Foundation
import XCTest

/// Every scenario in `Fixtures/silent/`: the report names exactly the instances that were
/// told success while their write failed — no more, no fewer — with the right outcome for
/// every failure, the right exit status, and none of the planted secrets in any output.
final class SilentScenarioTests: XCTestCase {
    static let silentKeys = ["instance", "endpoint", "status", "request_time", "failure_time", "code", "model", "fields",
                             "confidence", "candidates"]

    struct Scenario {
        var name: String
        var dir: URL
        var expected: [String: Any]
    }

    static func scenarios() throws -> [Scenario] {
        let root = Binary.fixtures.appendingPathComponent("silent")
        return try FileManager.default.contentsOfDirectory(atPath: root.path).sorted().compactMap { name in
            let dir = root.appendingPathComponent(name)
            let expectedURL = dir.appendingPathComponent("expected.json")
            guard FileManager.default.fileExists(atPath: expectedURL.path) else { return nil }
            let expected = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: expectedURL)) as? [String: Any])
            return Scenario(name: name, dir: dir, expected: expected)
        }
    }

    /// The command line for a scenario: its main input, `--access-log` if it has one, `args`.
    static func arguments(_ s: Scenario, format: String) throws -> [String] {
        let files = try FileManager.default.contentsOfDirectory(atPath: s.dir.path)
        var args = ["scan", "--format", format]
        if files.contains("access.log") { args += ["--access-log", s.dir.appendingPathComponent("access.log").path] }
        if files.contains("config.toml") { args += ["--config", s.dir.appendingPathComponent("config.toml").path] }
        if files.contains("args") {
            let extra = try String(contentsOf: s.dir.appendingPathComponent("args"), encoding: .utf8)
            args += extra.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        }
        let main = ["evolution.log", "evolution.json", "combined.log", "combined.json"].first { files.contains($0) }
        args.append(s.dir.appendingPathComponent(try XCTUnwrap(main, "\(s.name): no main input")).path)
        return args
    }

    func testScenarioCount() throws {
        XCTAssertGreaterThanOrEqual(try Self.scenarios().count, 15)
    }

    func testEveryScenarioNamesExactlyTheSilentFailures() throws {
        for s in try Self.scenarios() {
            let r = try Binary.run(try Self.arguments(s, format: "ndjson"))
            XCTAssertEqual(r.stderr, "", "\(s.name): stderr")
            XCTAssertEqual(r.status, s.expected["exit"] as? Int32 ?? Int32(s.expected["exit"] as? Int ?? -1), "\(s.name): exit status")
            XCTAssertEqual(r.events.count, s.expected["failures"] as? Int, "\(s.name): failure events")
            XCTAssertEqual(r.events.map { $0["outcome"] as? String ?? "-" }, s.expected["outcomes"] as? [String], "\(s.name): outcomes")
            let want = try XCTUnwrap(s.expected["silent"] as? [[String: Any]])
            let got = r.silent.sorted { ($0["failure_time"] as? String ?? "") < ($1["failure_time"] as? String ?? "") }
            XCTAssertEqual(got.count, want.count, "\(s.name): silent failures")
            for (i, (g, w)) in zip(got, want).enumerated() {
                for key in Self.silentKeys {
                    XCTAssertEqual(FixtureTests.normalize(g[key]), FixtureTests.normalize(w[key]), "\(s.name) silent #\(i) key \(key)")
                }
                XCTAssertFalse((g["evidence"] as? [String] ?? []).isEmpty, "\(s.name): evidence lines")
            }
        }
    }

    func testSummaryAgreesWithTheStream() throws {
        for s in try Self.scenarios() {
            let r = try Binary.run(try Self.arguments(s, format: "json"))
            let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], s.name)
            let silent = try XCTUnwrap(doc["silent_failures"] as? [[String: Any]])
            XCTAssertEqual(silent.count, (s.expected["silent"] as? [Any])?.count, "\(s.name)")
            XCTAssertEqual(doc["failures_total"] as? Int, s.expected["failures"] as? Int, "\(s.name)")
        }
    }

    func testPlantedSecretsNeverAppearInAnyFormat() throws {
        var planted = 0
        for s in try Self.scenarios() {
            let secrets = s.expected["secrets"] as? [String] ?? []
            guard !secrets.isEmpty else { continue }
            planted += secrets.count
            for format in ["ndjson", "json", "table", "csv", "markdown", "html", "prometheus"] {
                let r = try Binary.run(try Self.arguments(s, format: format) + ["--color", "never"].filter { _ in format == "table" })
                for secret in secrets {
                    XCTAssertFalse(r.out.contains(secret), "\(s.name) \(format) leaks \(secret)")
                    XCTAssertFalse(r.stderr.contains(secret), "\(s.name) \(format) stderr leaks \(secret)")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(planted, 3)
    }

    func testFailOnThresholds() throws {
        let scenarios = try Self.scenarios()
        let probable = try XCTUnwrap(scenarios.first { $0.name == "no-access-log-probable" })
        let confirmed = try XCTUnwrap(scenarios.first { $0.name == "v20x-proxy-resave" })
        XCTAssertEqual(try Binary.run(try Self.arguments(probable, format: "json") + ["--fail-on", "confirmed"]).status, 0)
        XCTAssertEqual(try Binary.run(try Self.arguments(probable, format: "json") + ["--fail-on", "probable"]).status, 1)
        XCTAssertEqual(try Binary.run(try Self.arguments(confirmed, format: "json") + ["--fail-on", "confirmed"]).status, 1)
        XCTAssertEqual(try Binary.run(try Self.arguments(confirmed, format: "json") + ["--fail-on", "never"]).status, 0)
    }

    /// The fork's endpoint is silent only because its config says so: the same inputs
    /// without it give a background failure and exit 0, and the config is three lines.
    func testForkEndpointNeedsItsConfig() throws {
        let s = try XCTUnwrap(try Self.scenarios().first { $0.name == "fork-config-endpoint" })
        let config = try String(contentsOf: s.dir.appendingPathComponent("config.toml"), encoding: .utf8)
        XCTAssertEqual(config.split(separator: "\n").count, 3, config)
        let without = try Self.arguments(s, format: "ndjson").filter { !$0.hasSuffix("config.toml") && $0 != "--config" }
        let r = try Binary.run(without)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.events.map { $0["outcome"] as? String }, ["background"])
        XCTAssertEqual(r.events.first?["model"] as? String, "CrmIntegration")
        XCTAssertEqual(r.silent.count, 0)
        // The user's config file is found without --config, and --no-config skips it.
        let home = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        try FileManager.default.createDirectory(at: home.appendingPathComponent("evoscan"), withIntermediateDirectories: true)
        try config.write(to: home.appendingPathComponent("evoscan/config.toml"), atomically: true, encoding: .utf8)
        let found = try Binary.run(without, environment: ["XDG_CONFIG_HOME": home.path])
        XCTAssertEqual(found.status, 1, found.stderr)
        XCTAssertEqual(found.silent.first?["endpoint"] as? String, "POST /crm/set")
        XCTAssertEqual(found.silent.first?["instance"] as? String, "loja-centro")
        XCTAssertEqual(try Binary.run(without + ["--no-config"], environment: ["XDG_CONFIG_HOME": home.path]).status, 0)
    }

    func testTableShowsTheInstanceTheEvidenceAndTheFix() throws {
        let s = try XCTUnwrap(try Self.scenarios().first { $0.name == "v20x-proxy-resave" })
        let r = try Binary.run(try Self.arguments(s, format: "table"))
        XCTAssertTrue(r.out.contains("Silent failures: the client was told success, the write failed"), r.out)
        XCTAssertTrue(r.out.contains("loja-centro"), r.out)
        XCTAssertTrue(r.out.contains("confirmed"), r.out)
        XCTAssertTrue(r.out.contains("Upgrade to >= 2.1.0"), r.out)
        XCTAssertTrue(r.out.contains("evidence: "), r.out)
    }
}
