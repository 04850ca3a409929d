/// Decides on a chunk worker the failures whose outcome needs no evidence (background
/// work, errors Evolution itself answered with: four in five failures of a dense log) and
/// counts them in the chunk's own aggregate; only the others go to the session's
/// correlator. Those failures were most of what crossed from the workers to the
/// session's thread, where each one's strings were retained and freed on a second core.
///
/// The correlator still sees where they were (`ExtractionLog.decided`), and the surfaced
/// ones as evidence, so it decides the rest exactly as before; the chunk aggregates are
/// folded into the session's in chunk order (`Aggregator.absorb`, which counts as a single
/// run would). Not used when each decided event is shown as it comes (`onEvent`: ndjson,
/// `--follow`), where the order of the stream matters.
final class ChunkDecider: FailureSink {
    private let log: ExtractionLog
    private let decisions: FailureDecisions
    private let timeWindow: TimeWindow
    private var aggregate = Aggregator()

    init(log: ExtractionLog, correlation: SilentFailureCorrelator.Options) {
        self.log = log
        timeWindow = correlation.timeWindow
        decisions = FailureDecisions(knowledge: correlation.knowledge)
    }

    func failure(_ event: FailureEvent) {
        // Failures outside --since/--until are the correlator's to count.
        if !timeWindow.isUnbounded, !(event.time.map(timeWindow.contains) ?? false) { log.failure(event); return }
        guard let (outcome, reason) = decisions.decideAlone(event) else { log.failure(event); return }
        if let t = event.time, SilentFailureCorrelator.isSurfacedEvidence(event.context) {
            log.surfaced(code: event.facts.code, context: event.context ?? "", at: t, stream: event.stream)
        }
        log.decided(at: event.time, stream: event.stream)
        aggregate.failure(event, decided: outcome, reason: reason)
    }

    /// The chunk's aggregate, and an empty one for the next chunk, which need not read the
    /// samples later than three this worker has already handed over for a group.
    func takeAggregate() -> Aggregator {
        let done = aggregate
        for (key, group) in done.groups where group.samples.count >= Aggregator.samplesPerGroup {
            let third = group.samples[Aggregator.samplesPerGroup - 1].time?.micros ?? .max
            floors[key] = min(floors[key] ?? .max, third)
        }
        aggregate = Aggregator()
        aggregate.sampleFloors = floors
        return done
    }

    /// Per group, the third earliest sample time among the aggregates handed over.
    private var floors: [Aggregator.GroupKey: Int64] = [:]
}
