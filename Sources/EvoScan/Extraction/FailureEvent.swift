/// One database failure as evoscan reports it: the Prisma facts plus where and when.
public struct FailureEvent: Sendable {
    /// UTC time of the record (header time with its zone applied, else transport time).
    public var time: Instant?
    /// The transport's own UTC time of the record's first line, when it has one.
    public var transportTime: Instant?
    public var instance: String?
    public var appVersion: String?
    public var context: String?
    public var level: String?
    public var pid: Int?
    public var facts: PrismaFacts
    /// Input name as given by the user.
    public var input: String
    public var stream: Int32
    public var sequence: Int
    public var truncated: Bool
    /// The record's first lines, secrets redacted.
    public var sample: FailureSample
    /// The HTTP status a `[SERVER]` error event reports.
    public var httpStatus: Int?
    /// What the client was told, once decided (`SilentFailureCorrelator`).
    public var outcome: FailureOutcome?
    /// Why the outcome was decided (evidence in words).
    public var outcomeReason: String?
    /// Set when the outcome is `.silent`.
    public var silent: SilentFailure?

    /// The 2.1.1+ `{ origin: Promise { <rejected> … } }` record: its bare twin follows.
    var isOriginOnly = false
    /// Header wall time, for pairing.
    var wallSeconds: Int64?
    /// A placeholder in the correlator's queue for failures already decided and counted
    /// (`SilentFailureCorrelator.decidedElsewhere`).
    var countedElsewhere = false
}

/// What the client that caused a failure was told.
public enum FailureOutcome: String, Sendable, CaseIterable {
    /// 2xx while the write failed: a silent failure.
    case silent
    /// The client got an error response.
    case surfaced
    /// No request behind it (Baileys processing, label sync, pool timeouts of background work).
    case background
    /// Caught and logged by Evolution, the request went on (`saveInstance`).
    case logged
    /// A silent path, an access log was given, but no request matched in the window.
    case unattributed
}

extension FailureOutcome {
    /// Its place in `allCases`, for counting in an array.
    var ordinal: Int {
        switch self {
        case .silent: 0
        case .surfaced: 1
        case .background: 2
        case .logged: 3
        case .unattributed: 4
        }
    }
}

public enum SilentConfidence: String, Sendable {
    case confirmed, ambiguous, probable
}

/// A failure on a silent path with the request that was told success.
public struct SilentFailure: Sendable {
    public var instance: String?
    public var endpoint: String
    public var status: Int?
    public var requestTime: Instant?
    public var failureTime: Instant?
    public var confidence: SilentConfidence
    public var candidates: [String]
    public var managerInstanceIds: [String]
    /// Redacted lines that show it: the access-log line(s), testProxy, the failure record's
    /// first two lines.
    public var evidence: [String] {
        get { evidenceSample.map { evidenceLines + [$0.firstLines(2)] } ?? evidenceLines }
        set {
            evidenceLines = newValue
            evidenceSample = nil
        }
    }
    /// What evidence is missing, for `probable`.
    public var evidenceMissing: String?
    public var remediation: String?
    /// The evidence before the record's own lines.
    var evidenceLines: [String]
    /// The failure's record, quoted (redacted) only when the evidence is read: most silent
    /// failures of a long log are counted, not listed, and redacting each one's lines cost
    /// 6 k instructions.
    var evidenceSample: FailureSample?

    init(instance: String?, endpoint: String, status: Int?, requestTime: Instant?, failureTime: Instant?, confidence: SilentConfidence,
         candidates: [String], managerInstanceIds: [String], evidence lines: [String], sample: FailureSample?,
         evidenceMissing: String?, remediation: String?) {
        self.instance = instance
        self.endpoint = endpoint
        self.status = status
        self.requestTime = requestTime
        self.failureTime = failureTime
        self.confidence = confidence
        self.candidates = candidates
        self.managerInstanceIds = managerInstanceIds
        self.evidenceLines = lines
        self.evidenceSample = sample
        self.evidenceMissing = evidenceMissing
        self.remediation = remediation
    }
}

public protocol FailureSink: AnyObject {
    func failure(_ event: FailureEvent)
}

/// Receives evidence of what clients were told.
public protocol EvidenceSink: AnyObject {
    /// A request from an access log; `fromAccessLogFile` for `--access-log` inputs (read
    /// before the main inputs), false for lines interleaved in the main input.
    func request(_ request: AccessRequest, fromAccessLogFile: Bool)
    /// Evolution 2.3.2+ logged `testProxy: proxy connection successful` (a 201 follows).
    func testProxySucceeded(at time: Instant, line: String, input: String)
    /// Access-log lines seen (parsed or not): an access log is there.
    func requestsSeen(_ count: Int)
}
