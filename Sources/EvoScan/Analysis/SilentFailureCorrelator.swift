#if canImport(Glibc)
import Glibc
#endif

/// Decides what each failure's client was told (`silent-failures.md` §6–8) by joining
/// failures with access-log requests in time, and passes the decided events on.
///
/// Events wait until the log has moved a horizon past them (the window plus the slowest
/// code's delay), so evidence logged after a failure is still seen; memory holds only that
/// horizon. Requests from `--access-log` files are read before the main inputs and kept
/// (only those on Evolution endpoints).
public final class SilentFailureCorrelator: FailureSink, EvidenceSink, KeptRequestSink {
    public struct Options: Sendable {
        /// Seconds on each side of the request end (`--window`).
        public var window: Int64 = 2
        /// `--since` / `--until`: failures outside are dropped; evidence is kept a horizon
        /// beyond the edges so that failures near them still find their request.
        public var timeWindow = TimeWindow()
        /// The write map, remediation hints, redaction rules and access-log formats.
        public var knowledge = Knowledge.builtIn
        public init(window: Int64 = 2) { self.window = window }
    }

    /// How long after the 201 each code surfaces (connect and pool timeouts).
    static func delay(_ code: String?) -> Int64 {
        switch code {
        case "P1001": return 5
        case "P2024": return 10
        default: return 0
        }
    }

    public static let maxRequests = 100_000

    private let next: FailureSink
    /// Redacts the access-log lines that become evidence (requests keep them raw), and
    /// reads their Manager instance ids.
    private let redactor: Redactor
    private let scratch = RegexScratch()
    /// What needs no evidence, and what is remembered per distinct facts.
    private let decisions: FailureDecisions
    public let options: Options
    /// Requests from `--access-log` files: kept for the whole scan.
    private var fileRequests = TimeOrderedBuffer<KeptRequest>()
    /// Requests interleaved in the main input, testProxy lines and failures that reached a
    /// client as errors (counter-evidence for their neighbours): pruned behind the horizon.
    private var streamRequests = TimeOrderedBuffer<AccessRequest>()
    private var testProxy = TimeOrderedBuffer<String>()
    private var surfacedNearby = TimeOrderedBuffer<(code: String?, context: String)>()
    private var releasedSincePrune = 0
    private var pending: [FailureEvent] = []
    /// When each waiting failure arrived (monotonic seconds), for `--follow`.
    private var arrivals: [Double] = []
    private var pendingHead = 0
    /// `--follow`: a decision waits at most the window (in wall time) for its evidence.
    public var followMode = false
    private var watermark: Int64 = .min
    public private(set) var accessRequestsSeen = 0
    /// Failures outside `--since`/`--until`, and failures without any time when a window
    /// is set (they cannot be placed in it).
    public private(set) var outsideWindow = 0
    public private(set) var untimedExcluded = 0
    public private(set) var requestsDropped = 0

    public init(next: FailureSink, options: Options = Options()) {
        self.next = next
        self.options = options
        redactor = Redactor(rules: options.knowledge.redactions)
        decisions = FailureDecisions(knowledge: options.knowledge)
    }

    var horizon: Int64 { options.window + 10 + 2 }
    var accessLogAvailable: Bool { accessRequestsSeen > 0 || accessLinesSeen > 0 || sharedEvidence }
    /// Another correlator read the access logs for this one (parallel scans).
    private var sharedEvidence = false

    /// Sorts the `--access-log` requests once, before workers share them read-only.
    public func prepareForSharing() {
        fileRequests.sortNow()
    }

    /// Takes the `--access-log` requests another correlator read (a parallel worker reads
    /// only its own file; the access logs are parsed once). Only reads `other`: call
    /// `other.prepareForSharing()` first, on one thread.
    public func shareEvidence(from other: SilentFailureCorrelator) {
        fileRequests = other.fileRequests
        sharedEvidence = other.accessLogAvailable
    }

    /// Set while the `--access-log` files are still being read on another core: no failure
    /// is decided until it has run (it waits for them and hands them over with
    /// `takeFileEvidence`). Failures wait for it in `pending`, at most `heldForEvidenceLimit`
    /// of them (then this thread waits), so memory stays bounded on a dense log.
    public var awaitFileEvidence: (() -> Void)?
    public var heldForEvidenceLimit = 4096
    /// Failures waiting for their evidence window at most. A burst of errors inside one
    /// window (an outage's thousand pool timeouts a second, or a log whose clock stands
    /// still) would otherwise be held all at once, each with its sample; past this many the
    /// oldest is decided with the evidence read so far, and counted (`decidedEarly`).
    public static let maxPending = 512
    public private(set) var decidedEarly = 0

    /// Takes over the `--access-log` requests and counters another correlator read, as if
    /// this one had read them itself.
    public func takeFileEvidence(from other: SilentFailureCorrelator) {
        fileRequests = other.fileRequests
        accessRequestsSeen += other.accessRequestsSeen
        accessLinesSeen += other.accessLinesSeen
        requestsDropped += other.requestsDropped
    }

    // MARK: Evidence

    public func request(_ request: AccessRequest, fromAccessLogFile: Bool) {
        if fromAccessLogFile { return fileRequest(end: request.end, kept: KeptRequest(request)) }
        guard options.timeWindow.widened(by: horizon).contains(request.end) else { return }
        accessRequestsSeen += 1
        advance(request.end.seconds)
        guard request.endpoint != nil else { return }
        guard streamRequests.count < Self.maxRequests else { requestsDropped += 1; return }
        streamRequests.append(request, at: request.end.seconds)
    }

    /// A request from an `--access-log` file that ended at `end`; `kept` when it is on an
    /// Evolution endpoint (`AccessLogParser.keep`).
    func fileRequest(end: Instant, kept: KeptRequest?) {
        guard options.timeWindow.widened(by: horizon).contains(end) else { return }
        accessRequestsSeen += 1
        guard let kept else { return }
        guard fileRequests.count < Self.maxRequests else { requestsDropped += 1; return }
        fileRequests.append(kept, at: end.seconds)
    }

    public func requestsSeen(_ count: Int) {
        accessLinesSeen += count
    }
    /// Access-log lines seen, parsed or only counted.
    public private(set) var accessLinesSeen = 0

    public func testProxySucceeded(at time: Instant, line: String, input: String) {
        guard options.timeWindow.widened(by: horizon).contains(time) else { return }
        guard testProxy.count < Self.maxRequests else { return }
        testProxy.append(line, at: time.seconds)
    }

    // MARK: Failures

    public func failure(_ event: FailureEvent) {
        if !options.timeWindow.isUnbounded {
            guard let t = event.time else { untimedExcluded += 1; return }
            guard options.timeWindow.contains(t) else {
                outsideWindow += 1
                // Still moves the clock: later failures need not wait for it.
                advance(t.seconds)
                return
            }
        }
        if let t = event.time, Self.isSurfacedEvidence(event.context) {
            noteSurfaced(code: event.facts.code, context: event.context ?? "", at: t)
        }
        enqueue(event)
    }

    /// Queues `event` for its decision and moves the clock to its time.
    private func enqueue(_ event: FailureEvent) {
        pending.append(event)
        arrivals.append(followMode ? Self.monotonicSeconds() : 0)
        if let t = event.time { advance(t.seconds) } else { release() }
    }

    /// End of one input: its failures are decided, and the evidence it carried (interleaved
    /// requests, testProxy lines, error events) is forgotten, so that one host's log never
    /// explains another's and a parallel scan decides exactly as a serial one.
    public func endInput() {
        watermark = .max
        release()
        watermark = .min
        streamRequests = TimeOrderedBuffer()
        testProxy = TimeOrderedBuffer()
        surfacedNearby = TimeOrderedBuffer()
    }

    /// End of all inputs: decide everything still waiting.
    public func finish() {
        watermark = .max
        release()
    }

    private func advance(_ t: Int64) {
        if t > watermark { watermark = t }
        release()
    }

    /// `--follow`, while the input is quiet: decide what has waited long enough.
    public func tick() { release() }

    static func monotonicSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    private func release() {
        if let wait = awaitFileEvidence {
            guard watermark == .max || pending.count - pendingHead >= heldForEvidenceLimit else { return }
            awaitFileEvidence = nil
            wait()
        }
        let now = followMode ? Self.monotonicSeconds() : 0
        while pendingHead < pending.count {
            let waitedEnough = followMode && now - arrivals[pendingHead] >= Double(options.window)
            if let t = pending[pendingHead].time, watermark != .max, t.seconds + horizon >= watermark, !waitedEnough {
                guard pending.count - pendingHead > Self.maxPending else { break }
                if !pending[pendingHead].countedElsewhere { decidedEarly += 1 }
            }
            // Moved out, not copied: a copy of an event retains each of its strings and
            // arrays, and the slot is dropped soon anyway.
            var e = Self.vacated
            swap(&e, &pending[pendingHead])
            pendingHead += 1
            releasedSincePrune += 1
            if e.countedElsewhere { continue }
            decide(&e)
            next.failure(e)
        }
        if pendingHead > 1024 && pendingHead * 2 > pending.count {
            pending.removeFirst(pendingHead)
            arrivals.removeFirst(pendingHead)
            pendingHead = 0
        }
        if releasedSincePrune >= 256 {
            releasedSincePrune = 0
            prune()
        }
    }

    /// Bounds the interleaved evidence: items behind the horizon of the oldest waiting
    /// failure can go (evidence serves only its own input, see `endInput`).
    private func prune() {
        guard watermark != .max, watermark != .min else { return }
        let oldest = (pendingHead < pending.count ? pending[pendingHead].time?.seconds : nil) ?? watermark
        let limit = oldest - 2 * horizon
        if streamRequests.count > Self.pruneThreshold { streamRequests.prune(before: limit) }
        if surfacedNearby.count > Self.pruneThreshold { surfacedNearby.prune(before: limit) }
        if testProxy.count > Self.pruneThreshold { testProxy.prune(before: limit) }
    }

    static let pruneThreshold = 256

    /// The names of Evolution's chatbot integrations: their contexts are the name followed
    /// by `Controller` or `Service`.
    static let botNames: [StaticString] = ["Typebot", "Openai", "Dify", "Flowise", "EvolutionBot", "N8n", "Evoai", "Chatbot"]

    /// Compared as bytes, suffix first: asked for every failure (twice on a chunk worker),
    /// and a `Set<String>` lookup hashed the context each time (SipHash, a few hundred
    /// instructions).
    static func isBotContext(_ context: String?) -> Bool {
        guard var c = context else { return false }
        return c.withUTF8 { utf8 in
            let b = UnsafeRawBufferPointer(utf8)
            let stem: Int
            if b.count > 10, Bytes.hasPrefix(b, at: b.count - 10, "Controller") {
                stem = b.count - 10
            } else if b.count > 7, Bytes.hasPrefix(b, at: b.count - 7, "Service") {
                stem = b.count - 7
            } else {
                return false
            }
            return botNames.contains { $0.utf8CodeUnitCount == stem && Bytes.hasPrefix(b, at: 0, $0) }
        }
    }

    /// A failure in this context reached its client as an error: counter-evidence for the
    /// failures around it.
    static func isSurfacedEvidence(_ context: String?) -> Bool {
        context == "SERVER" || context == "InstanceController" || isBotContext(context)
    }

    /// A failure that reached its client as an error (`isSurfacedEvidence`), decided
    /// elsewhere (`ChunkDecider`) or here.
    func noteSurfaced(code: String?, context: String, at time: Instant) {
        surfacedNearby.append((code, context), at: time.seconds)
    }

    /// Failures a chunk worker decided and counted itself (`ChunkDecider`), up to `time`,
    /// the latest of them: one placeholder holds their place in the queue, so that the
    /// failures after them are released, and so decided, exactly when they would have
    /// been; it is dropped there. Never outside `--since`/`--until` (the worker leaves
    /// those failures to this correlator).
    func decidedElsewhere(upTo time: Instant?) {
        var placeholder = Self.vacated
        placeholder.time = time
        placeholder.countedElsewhere = true
        enqueue(placeholder)
    }

    // MARK: Decision

    func decide(_ e: inout FailureEvent) {
        let (outcome, reason, silent) = classify(e)
        e.outcome = outcome
        e.outcomeReason = reason
        e.silent = silent
    }

    /// What a released slot of `pending` holds until it is dropped.
    static let vacated = FailureEvent(time: nil, facts: PrismaFacts(), input: "", stream: 0, sequence: 0, truncated: false, sample: "")

    /// The first `count` non-empty lines of `text` joined by newlines, found with memchr
    /// and stopping there (a Character split of a whole sample cost 400 k instructions per
    /// silent failure, a UTF8View split of it still 60 k).
    static func firstLines(_ count: Int, of text: String) -> String {
        var text = text
        return text.withUTF8 { utf8 in
            let b = UnsafeRawBufferPointer(utf8)
            var out: [UInt8] = []
            var found = 0, start = 0
            while found < count, start < b.count {
                let end = Bytes.index(of: 0x0A, in: b, from: start) ?? b.count
                if end > start {
                    if found > 0 { out.append(0x0A) }
                    out.append(contentsOf: b[start..<end])
                    found += 1
                }
                start = end + 1
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private func classify(_ e: FailureEvent) -> (FailureOutcome, String, SilentFailure?) {
        if let (outcome, reason) = decisions.decideAlone(e) { return (outcome, reason, nil) }
        if e.context == "WAMonitoringService" {
            if let t = e.time, surfacedNearby.range(from: t.seconds, to: t.seconds + options.window).contains(where: { $0.context == "InstanceController" }) {
                return (.surfaced, "saveInstance logged and continued; the request then failed with 400 ([InstanceController])", nil)
            }
            return (.logged, "saveInstance logged the error and the request went on", nil)
        }
        // `decideAlone` leaves only the silent paths with a time.
        let plan = decisions.silentPlan(e)!
        let time = e.time!
        let endpoints = plan.endpoints
        let versionNote = plan.versionNote
        let t = time.seconds
        let w = options.window
        let delay = Self.delay(e.facts.code)
        let remediation = plan.remediation
        var evidence: [String] = []
        evidence.append(contentsOf: testProxy.range(from: t - w - delay, to: t + 1))

        // Counter-evidence: the same error reached a client through Evolution itself.
        let nearby = surfacedNearby.range(from: t - w, to: t + w)
        if nearby.contains(where: { $0.context == "SERVER" && $0.code == e.facts.code }) {
            return (.surfaced, "a [SERVER] error event with the same code in the window: the client got an error", nil)
        }
        if endpoints.contains("POST /instance/create"),
           nearby.contains(where: { $0.context == "InstanceController" }) {
            return (.surfaced, "/instance/create failed with 400 in the same window ([InstanceController])", nil)
        }
        guard accessLogAvailable else {
            let silent = SilentFailure(instance: nil, endpoint: endpoints[0], status: nil, requestTime: nil, failureTime: time,
                                       confidence: .probable, candidates: [], managerInstanceIds: [], evidence: evidence, sample: e.sample,
                                       evidenceMissing: plan.missingAccessLog, remediation: remediation)
            return (.silent, plan.reasonWithoutAccessLog, silent)
        }
        let candidates = requests(endpoints: endpoints, from: t - w - delay, to: t + w)
        let ok = candidates.filter(\.isSuccess)
        guard !ok.isEmpty else {
            if let bad = candidates.first(where: { $0.status >= 400 }) {
                return (.surfaced, "\(bad.method) \(bad.path) answered \(bad.status)", nil)
            }
            return (.unattributed, "silent path (\(endpoints.joined(separator: ", "))) but no matching request within ±\(w) s: is the clock offset right (--log-tz), or did the request pass another proxy?", nil)
        }
        let names = Set(ok.map { $0.instance ?? "" })
        let closest = ok.min { abs($0.end.seconds - t) < abs($1.end.seconds - t) }!
        // The same request read twice (an access log given twice, overlapping rotations)
        // is one piece of evidence.
        var seen = Set<String>()
        evidence.insert(contentsOf: ok.map { $0.line(redactedBy: redactor) }.filter { seen.insert($0).inserted }, at: 0)
        let ids = Array(Set(ok.compactMap { $0.managerInstanceId(scratch: scratch) })).sorted()
        if names.count == 1 {
            let silent = SilentFailure(instance: closest.instance, endpoint: closest.endpoint ?? endpoints[0], status: closest.status,
                                       requestTime: closest.end, failureTime: time, confidence: .confirmed,
                                       candidates: closest.instance.map { [$0] } ?? [], managerInstanceIds: ids, evidence: evidence, sample: e.sample,
                                       evidenceMissing: [closest.instance == nil ? "the request path carries no instance name (/instance/create sends it in the body)" : nil, versionNote].compactMap { $0 }.joined(separator: "; ").nilIfEmpty,
                                       remediation: remediation)
            return (.silent, "\(closest.method) \(closest.path) answered \(closest.status) while the write failed", silent)
        }
        let sortedNames = names.map { $0.isEmpty ? "(unnamed /instance/create)" : $0 }.sorted()
        let silent = SilentFailure(instance: nil, endpoint: closest.endpoint ?? endpoints[0], status: closest.status,
                                   requestTime: closest.end, failureTime: time, confidence: .ambiguous, candidates: sortedNames,
                                   managerInstanceIds: ids, evidence: evidence, sample: e.sample,
                                   evidenceMissing: ["several instances saved in the window; the Prisma message carries no value that tells them apart", versionNote].compactMap { $0 }.joined(separator: "; "),
                                   remediation: remediation)
        return (.silent, "\(ok.count) requests from \(names.count) instances answered 2xx in the window", silent)
    }

    /// Requests on `endpoints` whose end lies in [from, to] (seconds).
    private func requests(endpoints: [String], from: Int64, to: Int64) -> [AccessRequest] {
        let kept = fileRequests.range(from: from, to: to).filter { endpoints.contains($0.endpoint) }
        return kept.compactMap { AccessLogParser.request(kept: $0, catalog: options.knowledge.accessLogs, scratch: scratch) }
            + streamRequests.range(from: from, to: to).filter { $0.endpoint.map(endpoints.contains) ?? false }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
