import EvoScanFuzzTargets
import XCTest

/// Every input the fuzzers ever crashed on (`Tests/FuzzRegressions/TARGET/`, FUZZING.md) goes through
/// its target again, and every fixture through every target: the seeds of the fuzzing runs
/// stay inputs the targets return from.
final class FuzzRegressionTests: XCTestCase {
    static let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = tests.deletingLastPathComponent().appendingPathComponent("Fixtures")

    func files(in directory: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }.filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: $0.path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
    }

    func testSavedCrashInputsRunThroughTheirTarget() throws {
        var replayed: [String: Int] = [:]
        for target in FuzzTarget.allCases {
            for file in files(in: Self.tests.appendingPathComponent("FuzzRegressions/\(target.rawValue)")) {
                let data = try Data(contentsOf: file)
                data.withUnsafeBytes { target.run($0) }
                replayed[target.rawValue, default: 0] += 1
            }
        }
        print("fuzz regressions replayed: \(replayed.sorted { $0.key < $1.key })")
    }

    func testEveryFixtureRunsThroughEveryTarget() throws {
        let seeds = files(in: Self.fixtures)
        XCTAssertGreaterThan(seeds.count, 40, "the fixtures are the fuzzers' seeds")
        for file in seeds {
            // The fuzzers read at most 64 KiB of an input (`-max_len`).
            let data = try Data(contentsOf: file).prefix(64 << 10)
            for target in FuzzTarget.allCases { data.withUnsafeBytes { target.run($0) } }
        }
    }
}
