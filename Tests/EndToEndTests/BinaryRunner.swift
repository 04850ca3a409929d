import Foundation
import XCTest

/// Runs the built `evoscan` binary as a user would and captures everything it does.
struct RunResult {
    var status: Int32
    var stdout: Data
    var stderr: String
    var out: String { String(decoding: stdout, as: UTF8.self) }

    /// `--format ndjson` output, one object per line.
    var lines: [[String: Any]] {
        out.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// The `kind: failure` lines.
    var events: [[String: Any]] { lines.filter { $0["kind"] as? String == "failure" } }

    /// The `kind: silent_failure` lines.
    var silent: [[String: Any]] { lines.filter { $0["kind"] as? String == "silent_failure" } }
}

enum Binary {
    static var url: URL {
        if let path = ProcessInfo.processInfo.environment["EVOSCAN_BIN"] { return URL(fileURLWithPath: path) }
        // Tests run from the build products directory, next to the executable.
        return Bundle.main.bundleURL.appendingPathComponent("evoscan")
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var fixtures: URL { packageRoot.appendingPathComponent("Fixtures") }

    /// Runs evoscan with `arguments`; `stdin` is fed to it (nil: /dev/null).
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
                    currentDirectory: URL? = nil, timeout: TimeInterval = 120) throws -> RunResult {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        // No config file of the machine's user: tests that want one pass it.
        env["XDG_CONFIG_HOME"] = "/nonexistent/evoscan-tests"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        // Files, not pipes: no draining threads, and any amount of output is fine.
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout"), errURL = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        if let stdin {
            let inURL = dir.appendingPathComponent("stdin")
            try stdin.write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                XCTFail("evoscan \(arguments) did not finish within \(timeout) s")
                break
            }
            Thread.sleep(forTimeInterval: 0.005)
        }
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        let outData = try Data(contentsOf: outURL)
        let errData = try Data(contentsOf: errURL)
        return RunResult(status: process.terminationStatus, stdout: outData, stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("evoscan-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
