import Foundation
import XCTest
@testable import EvoScan

final class InputExpanderTests: XCTestCase {
    func testDirectoriesRecurseAndGlobsExpand() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("expand-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        try fm.createDirectory(at: dir.appendingPathComponent("old"), withIntermediateDirectories: true)
        for name in ["evolution.log", "evolution.log.1", "evolution.log.2.gz", ".hidden", "old/evolution.log.9.gz"] {
            fm.createFile(atPath: dir.appendingPathComponent(name).path, contents: Data("x\n".utf8))
        }
        let d = dir.path
        XCTAssertEqual(InputExpander.expand([d]), ["\(d)/evolution.log", "\(d)/evolution.log.1", "\(d)/evolution.log.2.gz", "\(d)/old/evolution.log.9.gz"])
        XCTAssertEqual(InputExpander.expand(["\(d)/evolution.log*"]), ["\(d)/evolution.log", "\(d)/evolution.log.1", "\(d)/evolution.log.2.gz"])
        XCTAssertEqual(InputExpander.expand(["\(d)/nothing*", "-"]), ["\(d)/nothing*", "-"], "an unmatched glob stays, to be reported")
    }
}
