/// What a chunk's extraction produced, in the order it produced it: failures and evidence
/// as the correlator would have received them. A worker fills one per chunk; the session
/// replays them chunk after chunk, so the correlator sees exactly the serial sequence.
final class ExtractionLog: FailureSink, EvidenceSink {
    enum Item {
        case failure(FailureEvent)
        /// An origin record still waiting for its twin at the chunk's end (`RecordExtractor`
        /// holds it until the next failure of its stream; see `SplitScan.replay`).
        case waitingOrigin(FailureEvent)
        case request(AccessRequest, fromAccessLogFile: Bool)
        case testProxy(Instant, line: String, input: String)
        case requestsSeen(Int)
    }

    private(set) var items: [Item] = []

    func failure(_ event: FailureEvent) { items.append(.failure(event)) }
    func request(_ request: AccessRequest, fromAccessLogFile: Bool) { items.append(.request(request, fromAccessLogFile: fromAccessLogFile)) }
    func testProxySucceeded(at time: Instant, line: String, input: String) { items.append(.testProxy(time, line: line, input: input)) }
    func requestsSeen(_ count: Int) { items.append(.requestsSeen(count)) }
    func waiting(_ event: FailureEvent) { items.append(.waitingOrigin(event)) }

    /// The items logged since the last call (one chunk's), and an empty log.
    func take() -> [Item] {
        defer { items.removeAll() }
        return items
    }
}
