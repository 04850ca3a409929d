/// A silent failure as listed in reports and partial summaries: everything the report
/// shows, nothing that needs the raw record any more, so that it survives a merge.
public struct SilentFailureEntry: Sendable, Equatable {
    public var failureTime: Instant?
    public var instance: String?
    public var endpoint: String
    public var status: Int?
    public var requestTime: Instant?
    public var code: String?
    public var model: String?
    public var fields: [String]
    public var confidence: SilentConfidence
    public var candidates: [String]
    public var managerInstanceIds: [String]
    public var appVersion: String?
    public var method: String?
    public var errorClass: String?
    public var evidence: [String]
    public var evidenceMissing: String?
    public var remediation: String?
    public var input: String

    init(_ e: FailureEvent, _ s: SilentFailure) {
        failureTime = s.failureTime.map { Instant(seconds: $0.seconds) }
        instance = s.instance
        endpoint = s.endpoint
        status = s.status
        requestTime = s.requestTime.map { Instant(seconds: $0.seconds) }
        code = e.facts.code
        model = e.facts.model
        fields = e.facts.fields
        confidence = s.confidence
        candidates = s.candidates
        managerInstanceIds = s.managerInstanceIds
        appVersion = e.appVersion
        method = e.facts.method
        errorClass = e.facts.errorClass
        evidence = s.evidence
        evidenceMissing = s.evidenceMissing
        remediation = s.remediation
        input = e.input
    }

    public init(failureTime: Instant?, instance: String?, endpoint: String, status: Int?, requestTime: Instant?, code: String?,
                model: String?, fields: [String], confidence: SilentConfidence, candidates: [String], managerInstanceIds: [String],
                appVersion: String?, method: String?, errorClass: String?, evidence: [String], evidenceMissing: String?,
                remediation: String?, input: String) {
        self.failureTime = failureTime
        self.instance = instance
        self.endpoint = endpoint
        self.status = status
        self.requestTime = requestTime
        self.code = code
        self.model = model
        self.fields = fields
        self.confidence = confidence
        self.candidates = candidates
        self.managerInstanceIds = managerInstanceIds
        self.appVersion = appVersion
        self.method = method
        self.errorClass = errorClass
        self.evidence = evidence
        self.evidenceMissing = evidenceMissing
        self.remediation = remediation
        self.input = input
    }

    /// Report order: by failure time, then instance, endpoint and input.
    /// By time, then instance, endpoint, input and code; the Strings are only gathered when
    /// the times tie (a tuple of them per comparison showed in dense-log profiles).
    static func order(_ a: SilentFailureEntry, _ b: SilentFailureEntry) -> Bool {
        let ta = a.failureTime?.micros ?? .max, tb = b.failureTime?.micros ?? .max
        if ta != tb { return ta < tb }
        let x = (a.instance ?? "\u{10FFFF}", a.endpoint, a.input, a.code ?? "")
        let y = (b.instance ?? "\u{10FFFF}", b.endpoint, b.input, b.code ?? "")
        return x < y
    }
}

/// A failure the client saw as an error response, as listed in reports.
public struct SurfacedFailureEntry: Sendable, Equatable {
    public var time: Instant?
    public var context: String?
    public var code: String?
    public var model: String?
    public var fields: [String]
    public var reason: String?
    public var input: String

    init(_ e: FailureEvent, reason: String?) {
        time = e.time.map { Instant(seconds: $0.seconds) }
        context = e.context
        code = e.facts.code
        model = e.facts.model
        fields = e.facts.fields
        self.reason = reason
        input = e.input
    }

    public init(time: Instant?, context: String?, code: String?, model: String?, fields: [String], reason: String?, input: String) {
        self.time = time
        self.context = context
        self.code = code
        self.model = model
        self.fields = fields
        self.reason = reason
        self.input = input
    }

    /// By time, then every other field: entries counted in any order (chunks read on
    /// several cores) are listed the same.
    static func order(_ a: SurfacedFailureEntry, _ b: SurfacedFailureEntry) -> Bool {
        let ta = a.time?.micros ?? .max, tb = b.time?.micros ?? .max
        if ta != tb { return ta < tb }
        let x = (a.input, a.code ?? "", a.context ?? "", a.model ?? "", a.reason ?? "")
        let y = (b.input, b.code ?? "", b.context ?? "", b.model ?? "", b.reason ?? "")
        if x != y { return x < y }
        return a.fields.lexicographicallyPrecedes(b.fields)
    }
}
