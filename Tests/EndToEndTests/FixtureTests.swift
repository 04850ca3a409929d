import Foundation
import XCTest

/// Every fixture in `Fixtures/MANIFEST.tsv`, scanned by the real binary, must yield exactly
/// the events of its `.expected.ndjson`, field by field, in order.
final class FixtureTests: XCTestCase {
    static let keys = ["kind", "time", "instance", "app_version", "context", "level", "error_class", "code", "model",
                       "fields", "constraint", "operation", "method", "client_version", "source"]

    struct Fixture {
        var file: String
        var events: Int
    }

    static func manifest() throws -> [Fixture] {
        let text = try String(contentsOf: Binary.fixtures.appendingPathComponent("MANIFEST.tsv"), encoding: .utf8)
        return text.split(separator: "\n").dropFirst().compactMap { line in
            let cols = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard cols.count >= 2, let n = Int(cols[1]) else { return nil }
            return Fixture(file: String(cols[0]), events: n)
        }
    }

    /// `colour-ansi-2.2.3.log` → `colour-ansi-2.2.3.expected.ndjson`; `x.gz` → `x.gz.expected.ndjson`.
    static func expectedURL(for file: String) -> URL {
        let dir = Binary.fixtures
        let direct = dir.appendingPathComponent(file + ".expected.ndjson")
        if FileManager.default.fileExists(atPath: direct.path) { return direct }
        let base = (file as NSString).deletingPathExtension
        return dir.appendingPathComponent(base + ".expected.ndjson")
    }

    static func normalize(_ v: Any?) -> String {
        guard let v, !(v is NSNull) else { return "null" }
        if let data = try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .fragmentsAllowed]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(v)"
    }

    func testManifestCoversEveryFixture() throws {
        let listed = Set(try Self.manifest().map(\.file))
        let files = try FileManager.default.contentsOfDirectory(atPath: Binary.fixtures.path)
            .filter { !$0.hasSuffix(".expected.ndjson") && $0 != "MANIFEST.tsv" && !$0.hasSuffix(".md") && $0 != "silent" }
        XCTAssertEqual(Set(files).subtracting(listed), [], "fixtures missing from MANIFEST.tsv")
        XCTAssertGreaterThanOrEqual(listed.count, 20)
    }

    func testEveryFixtureYieldsExactlyItsExpectedEvents() throws {
        for fixture in try Self.manifest() {
            let url = Binary.fixtures.appendingPathComponent(fixture.file)
            let result = try Binary.run(["scan", "--fail-on", "never", "--format", "ndjson", url.path])
            XCTAssertEqual(result.status, 0, "\(fixture.file): exit status; stderr: \(result.stderr)")
            XCTAssertEqual(result.stderr, "", "\(fixture.file): nothing on stderr")
            let got = result.events
            let wantText = try String(contentsOf: Self.expectedURL(for: fixture.file), encoding: .utf8)
            let want = wantText.split(separator: "\n").compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
            XCTAssertEqual(want.count, fixture.events, "\(fixture.file): MANIFEST and expected file disagree")
            XCTAssertEqual(got.count, fixture.events, "\(fixture.file): event count")
            for (i, (g, w)) in zip(got, want).enumerated() {
                for key in Self.keys {
                    XCTAssertEqual(Self.normalize(g[key]), Self.normalize(w[key]), "\(fixture.file) event #\(i) key \(key)")
                }
            }
        }
    }

    func testAllFixturesTogetherInOneSummary() throws {
        let manifest = try Self.manifest()
        let paths = manifest.map { Binary.fixtures.appendingPathComponent($0.file).path }
        let result = try Binary.run(["scan", "--fail-on", "never", "--format", "json"] + paths)
        XCTAssertEqual(result.status, 0, result.stderr)
        let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        XCTAssertEqual(doc["failures_total"] as? Int, manifest.reduce(0) { $0 + $1.events })
        // No access log among the fixtures: failures on silent paths are probable, never more.
        let silent = try XCTUnwrap(doc["silent_failures"] as? [[String: Any]])
        XCTAssertFalse(silent.isEmpty)
        for s in silent {
            XCTAssertEqual(s["confidence"] as? String, "probable")
            XCTAssertNil(s["instance"] as? String)
            XCTAssertNotNil(s["evidence_missing"] as? String)
        }
        let exit = try Binary.run(["scan", "--format", "json"] + paths)
        XCTAssertEqual(exit.status, 1, "probable silent failures fail the run by default")
        let groups = try XCTUnwrap(doc["groups"] as? [[String: Any]])
        let proxy = try XCTUnwrap(groups.first { $0["code"] as? String == "P2002" && $0["model"] as? String == "Proxy" })
        XCTAssertEqual(proxy["fields"] as? [String], ["instanceId"])
        XCTAssertGreaterThanOrEqual(proxy["count"] as? Int ?? 0, 10)
        for key in ["first_seen", "last_seen", "instances"] { XCTAssertNotNil(proxy[key], key) }
    }
}
