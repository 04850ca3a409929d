import Foundation
import XCTest

final class OutputTests: XCTestCase {
    var fixture: String { Binary.fixtures.appendingPathComponent("colour-ansi-2.2.3.log").path }

    func testTableHasNoColourUnlessAsked() throws {
        let plain = try Binary.run(["scan", "--fail-on", "never", fixture])
        XCTAssertEqual(plain.status, 0)
        XCTAssertFalse(plain.out.contains("\u{1B}["), "not a terminal: no colour")
        XCTAssertTrue(plain.out.contains("P2002"))
        XCTAssertTrue(plain.out.contains("COUNT  CODE"))
        let always = try Binary.run(["scan", "--fail-on", "never", "--color", "always", fixture])
        XCTAssertTrue(always.out.contains("\u{1B}[1m"))
        let noColor = try Binary.run(["scan", "--fail-on", "never", fixture], environment: ["NO_COLOR": "1"])
        XCTAssertFalse(noColor.out.contains("\u{1B}["))
    }

    func testStdinWithoutFileArgument() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture))
        let r = try Binary.run(["scan", "--fail-on", "never", "--format", "ndjson"], stdin: data)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.events.count, 4)
        XCTAssertEqual(r.events.first?["input"] as? String, "<stdin>")
        let dash = try Binary.run(["--fail-on", "never", "--format", "ndjson", "-"], stdin: data)
        XCTAssertEqual(dash.events.count, 4, "scan is the default subcommand")
    }

    func testLogTimeZoneOverridesTheDefault() throws {
        let assumed = try Binary.run(["scan", "--fail-on", "never", "--format", "ndjson", fixture])
        let utc = try Binary.run(["scan", "--fail-on", "never", "--format", "ndjson", "--log-tz", "UTC", fixture])
        let offset = try Binary.run(["scan", "--fail-on", "never", "--format", "ndjson", "--log-tz", "-03:00", fixture])
        let named = try Binary.run(["scan", "--fail-on", "never", "--format", "ndjson", "--log-tz", "America/Sao_Paulo", fixture])
        let t0 = try XCTUnwrap(assumed.events.first?["time"] as? String)
        XCTAssertEqual(offset.events.first?["time"] as? String, t0)
        XCTAssertEqual(named.events.first?["time"] as? String, t0)
        let t1 = try XCTUnwrap(utc.events.first?["time"] as? String)
        XCTAssertNotEqual(t0, t1)
        // The same wall time read as UTC is three hours earlier than read as UTC−3.
        let f = ISO8601DateFormatter()
        XCTAssertEqual(f.date(from: t0)!.timeIntervalSince(f.date(from: t1)!), 3 * 3600)
    }

    func testSummaryNamesTheZoneAssumption() throws {
        let r = try Binary.run(["scan", "--fail-on", "never", "--format", "json", fixture])
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        let tz = try XCTUnwrap(doc["time_zone"] as? [String: Any])
        XCTAssertEqual((tz["zones"] as? [String: String])?["America/Sao_Paulo"], "assumed")
        let table = try Binary.run(["scan", "--fail-on", "never", fixture])
        XCTAssertTrue(table.out.contains("America/Sao_Paulo (assumed"), table.out)
    }

    func testSecretsNeverReachAnyOutput() throws {
        let dir = try Binary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let secretKey = "B6D711FCDE4D4FD5936544120E713976"
        let text = """
        Deploying migrations for postgresql
        Database URL: postgresql://evo:s3cretDbPass@db:5432/evo?schema=public
        [Evolution API]    v2.3.6  211   -  Tue Jun 10 2025 14:07:31     ERROR   [SERVER]  [object]  \("")
        {
          event: 'error',
          data: {
            error: 'Internal Server Error',
            message: '\\n' +
              'Invalid `this.prismaRepository.proxy.upsert()` invocation in\\n' +
              '/evolution/dist/main.js:2:97120\\n' +
              "The provided value for the column is too long for the column's type. Column: (not available)",
            status: 500,
            body: { password: 'pr0xyPa55', token: 'tok-123456789', Authorization: 'Bearer abcdefghijklmnop' }
          },
          date_time: '2025-06-10T14:07:31.123Z',
          api_key: '\(secretKey)',
          server_url: 'https://user:urlSecret@evo.example.com'
        }\(" ")

        """
        let path = dir.appendingPathComponent("secrets.log")
        try Data(text.utf8).write(to: path)
        for format in ["json", "ndjson", "table", "csv", "markdown", "html", "prometheus"] {
            let r = try Binary.run(["scan", "--fail-on", "never", "--format", format, path.path])
            XCTAssertEqual(r.status, 0, r.stderr)
            for secret in [secretKey, "s3cretDbPass", "pr0xyPa55", "tok-123456789", "abcdefghijklmnop", "urlSecret"] {
                XCTAssertFalse(r.out.contains(secret), "\(format) output leaks \(secret)")
            }
        }
        let json = try Binary.run(["scan", "--fail-on", "never", "--format", "json", path.path])
        XCTAssertTrue(json.out.contains("[REDACTED]"), "samples keep their shape with the secret masked")
    }
}

final class TimeWindowCLITests: XCTestCase {
    func testSinceUntilOnTheCommandLine() throws {
        let fixture = Binary.fixtures.appendingPathComponent("colour-ansi-2.2.3.log").path
        let r = try Binary.run(["scan", "--fail-on", "never", "--format", "ndjson", "--since", "2025-06-10T17:08:00Z", "--until", "2025-06-10T17:10:00Z", fixture])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.events.map { $0["time"] as? String }, ["2025-06-10T17:09:12Z"])
        let bad = try Binary.run(["scan", "--since", "soon", fixture])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("cannot read the time 'soon'"), bad.stderr)
        let reversed = try Binary.run(["scan", "--since", "today", "--until", "yesterday", fixture])
        XCTAssertEqual(reversed.status, 2)
    }
}
