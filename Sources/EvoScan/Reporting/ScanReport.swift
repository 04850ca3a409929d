/// Everything a renderer needs after a scan: totals, the aggregate, and how times were read.
public struct ScanReport {
    public struct InputSummary: Sendable {
        public var name: String
        public var transport: String
        public var compression: String
        /// Bytes read (decompressed), from `rangeStart`.
        public var bytes: Int
        public var error: String?
        /// Which host or source the input came from (`--source-id`, default the host name).
        public var source: String?
        /// The file's identity, for coverage checks in `merge` and for `--state`.
        public var identity: InputIdentity?
        /// Where reading started (decompressed offset; > 0 when `--state` resumed).
        public var rangeStart: Int = 0
        /// An `--access-log` input: evidence only, its lines are never counted as failures.
        public var isEvidence = false
        /// Where this run's coverage ends (decompressed offset): `rangeStart + bytes`, less
        /// an incomplete last line left for the next `--state` run.
        public var rangeEnd: Int
        /// journald input: the first and last `__CURSOR` read (`s=<seqnum id>;i=<seqnum>;…`).
        public var journalCursors: (first: String, last: String)?

        public init(name: String, transport: String, compression: String, bytes: Int, error: String?,
                    source: String? = nil, identity: InputIdentity? = nil, rangeStart: Int = 0, isEvidence: Bool = false,
                    rangeEnd: Int? = nil) {
            self.name = name
            self.transport = transport
            self.compression = compression
            self.bytes = bytes
            self.error = error
            self.source = source
            self.identity = identity
            self.rangeStart = rangeStart
            self.isEvidence = isEvidence
            self.rangeEnd = rangeEnd ?? rangeStart + bytes
        }
    }

    public var tool: String
    public var totals: ScanTotals
    public var inputs: [InputSummary]
    public var aggregate: Aggregator
    public var zones: [String: ZoneResolver.Source]
    /// The correlation window in seconds.
    public var window: Int64
    /// `--since` / `--until`.
    public var timeWindow: TimeWindow
    /// The hints the renderers give each group (the scan's config, or the built-in one).
    public var remediation = RemediationCatalog.builtIn
    /// The config files the scan read over the built-in knowledge (none: built-in only):
    /// a report made with a fork's endpoints says so.
    public var configFiles: [String] = []

    public init(tool: String, totals: ScanTotals, inputs: [InputSummary], aggregate: Aggregator, zones: [String: ZoneResolver.Source],
                window: Int64, timeWindow: TimeWindow = TimeWindow()) {
        self.tool = tool
        self.totals = totals
        self.inputs = inputs
        self.aggregate = aggregate
        self.zones = zones
        self.window = window
        self.timeWindow = timeWindow
    }

    /// The log's own zone when the scan used one, for showing times as the log shows them.
    public var logZone: LogTimeZone? {
        guard zones.count == 1, let (name, source) = zones.first else { return nil }
        switch source {
        case .assumed: return .imageDefault
        case .flag, .inferred: return LogTimeZone(name)
        }
    }

    /// "America/Sao_Paulo (assumed: the official image's TZ; set --log-tz)" and the like.
    public var zoneDescription: String {
        if zones.isEmpty { return "no Evolution header times read" }
        return zones.sorted { $0.key < $1.key }.map { zone, source in
            switch source {
            case .flag: return "\(zone) (from --log-tz)"
            case .inferred: return "UTC\(zone) (inferred from transport timestamps)"
            case .assumed: return "\(zone) (assumed: the official image's TZ; set --log-tz if yours differs)"
            }
        }.joined(separator: "; ")
    }
}

/// Counters across all inputs.
public struct ScanTotals: Sendable, Equatable {
    public var inputs = 0
    public var inputErrors = 0
    public var bytes = 0
    public var lines = 0
    public var records = 0
    public var truncatedRecords = 0
    public var truncatedLines = 0
    public var recordsWithPrismaText = 0
    public var regexLimitHits = 0
    /// Access-log lines seen (interleaved or in `--access-log` files) and parsed requests.
    public var accessLogLines = 0
    public var accessRequests = 0
    public var accessFormats: [String: Int] = [:]
    /// Left out by `--since` / `--until`.
    public var failuresOutsideWindow = 0
    public var untimedFailuresExcluded = 0
    /// Decided before their evidence window closed (`SilentFailureCorrelator.maxPending`).
    public var failuresDecidedEarly = 0
    /// Access-log requests not kept as evidence (`SilentFailureCorrelator.maxRequests`).
    public var accessRequestsDropped = 0
    public init() {}
}
