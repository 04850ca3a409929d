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
        /// Consecutive failures of `stream` the worker decided and counted (`ChunkDecider`),
        /// the latest at `upTo`: they only hold their place in the correlator's queue.
        case decided(upTo: Instant?, stream: Int32)
        /// One of those reached its client as an error: counter-evidence for its neighbours.
        case surfaced(code: String?, context: String, at: Instant, stream: Int32)
    }

    private(set) var items: [Item] = []
    /// The run of decided failures not logged yet: one item stands for all of them.
    private var run: (upTo: Instant?, stream: Int32)? = nil

    func failure(_ event: FailureEvent) { append(.failure(event)) }
    func request(_ request: AccessRequest, fromAccessLogFile: Bool) { append(.request(request, fromAccessLogFile: fromAccessLogFile)) }
    func testProxySucceeded(at time: Instant, line: String, input: String) { append(.testProxy(time, line: line, input: input)) }
    func requestsSeen(_ count: Int) { append(.requestsSeen(count)) }
    func waiting(_ event: FailureEvent) { append(.waitingOrigin(event)) }
    func surfaced(code: String?, context: String, at time: Instant, stream: Int32) {
        append(.surfaced(code: code, context: context, at: time, stream: stream))
    }

    /// A failure decided where it was read. Consecutive ones of a stream are one item:
    /// between them nothing reaches the correlator, so releasing its queue at their latest
    /// time decides everything as their one-by-one arrival would.
    func decided(at time: Instant?, stream: Int32) {
        if let r = run, r.stream != stream { flushRun() }
        let latest = switch (run?.upTo, time) {
        case let (a?, b?): max(a, b)
        case let (a, b): a ?? b
        }
        run = (latest, stream)
    }

    private func append(_ item: Item) {
        flushRun()
        items.append(item)
    }

    private func flushRun() {
        guard let r = run else { return }
        run = nil
        items.append(.decided(upTo: r.upTo, stream: r.stream))
    }

    /// The items logged since the last call (one chunk's), and an empty log.
    func take() -> [Item] {
        flushRun()
        defer { items.removeAll() }
        return items
    }
}
