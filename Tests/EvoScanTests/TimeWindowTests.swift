import Foundation
import XCTest
@testable import EvoScan

final class TimeWindowTests: XCTestCase {
    // 2025-06-10T17:07:31Z
    let now = Instant(seconds: CivilTime.epochSeconds(2025, 6, 10, 17, 7, 31))
    let saoPaulo = TimeZone(identifier: "America/Sao_Paulo")!

    func bound(_ s: String, zone: TimeZone = TimeZone(identifier: "UTC")!) throws -> String {
        try TimeWindow.parseBound(s, now: now, zone: zone).iso8601
    }

    func testForms() throws {
        XCTAssertEqual(try bound("2025-06-10T14:00:00-03:00"), "2025-06-10T17:00:00Z")
        XCTAssertEqual(try bound("2025-06-10T14:00:00Z"), "2025-06-10T14:00:00Z")
        XCTAssertEqual(try bound("2025-06-10 14:00", zone: saoPaulo), "2025-06-10T17:00:00Z", "zone-less = local")
        XCTAssertEqual(try bound("2025-06-10", zone: saoPaulo), "2025-06-10T03:00:00Z")
        XCTAssertEqual(try bound("today", zone: saoPaulo), "2025-06-10T03:00:00Z")
        XCTAssertEqual(try bound("yesterday", zone: saoPaulo), "2025-06-09T03:00:00Z")
        XCTAssertEqual(try bound("yesterday"), "2025-06-09T00:00:00Z")
        XCTAssertEqual(try bound("-24h"), "2025-06-09T17:07:31Z")
        XCTAssertEqual(try bound("-30m"), "2025-06-10T16:37:31Z")
        XCTAssertEqual(try bound("-7d"), "2025-06-03T17:07:31Z")
        XCTAssertEqual(try bound("now"), "2025-06-10T17:07:31Z")
        XCTAssertThrowsError(try bound("last tuesday"))
        XCTAssertThrowsError(try bound("2025-13-01"))
    }

    func testSinceInclusiveUntilExclusive() {
        let w = TimeWindow(since: Instant(seconds: 100), until: Instant(seconds: 200))
        XCTAssertTrue(w.contains(Instant(seconds: 100)))
        XCTAssertFalse(w.contains(Instant(seconds: 200)))
        XCTAssertFalse(w.contains(Instant(seconds: 99)))
    }

    func testWindowAppliesToFailuresAndKeepsEdgeEvidence() throws {
        // The pair fails at 17:07:31Z; its 201 was logged at 17:07:30Z, before --since.
        var options = ScanSession.Options()
        options.correlation.timeWindow = TimeWindow(since: Instant(seconds: CivilTime.epochSeconds(2025, 6, 10, 17, 7, 31)))
        let session = ScanSession(options: options)
        var events: [FailureEvent] = []
        session.aggregate.onEvent = { events.append($0) }
        let access = #"203.0.113.7 - - [10/Jun/2025:17:07:30 +0000] "POST /proxy/set/loja-centro HTTP/1.1" 201 212"# + "\n"
        session.scan(bytes: Array(access.utf8), name: "access.log", accessLog: true)
        session.scan(bytes: Array((Samples.pair223 + Samples.pair223.replacingOccurrences(of: "14:07:31", with: "14:06:00")).utf8), name: "e.log")
        session.finish()
        XCTAssertEqual(events.count, 1, "the 14:06:00 (17:06:00Z) failure is before --since")
        XCTAssertEqual(events.first?.silent?.instance, "loja-centro")
        XCTAssertEqual(session.totals.failuresOutsideWindow, 1)
    }
}
