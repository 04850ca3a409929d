/// Folds failure events into the report: groups keyed by (code, model, fields), per-instance
/// counts and totals. Memory is bounded whatever the input size: group, instance and
/// sample counts are capped, and what does not fit is counted in an "other" bucket.
public final class Aggregator: FailureSink {
    public struct GroupKey: Hashable, Sendable {
        public var code: String?
        public var model: String?
        public var fields: [String]

        /// Code and model only: hashing the field list too cost a few hundred instructions
        /// per failure, and groups that share code and model (a few) are told apart by `==`.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(code)
            hasher.combine(model)
        }
    }

    public final class Group {
        public let key: GroupKey
        public var count = 0
        public var firstSeen: Instant?
        public var lastSeen: Instant?
        public var errorClasses: [String: Int] {
            get { errorClassCounts.dictionary }
            set { errorClassCounts = CountTable(newValue) }
        }
        public var constraint: String?
        public var methods: [String: Int] {
            get { methodCounts.dictionary }
            set { methodCounts = CountTable(newValue) }
        }
        public var operations: [String: Int] {
            get { operationCounts.dictionary }
            set { operationCounts = CountTable(newValue) }
        }
        public var contexts: [String: Int] {
            get { contextCounts.dictionary }
            set { contextCounts = CountTable(newValue) }
        }
        public var appVersions: [String: Int] {
            get { appVersionCounts.dictionary }
            set { appVersionCounts = CountTable(newValue) }
        }
        var errorClassCounts = CountTable()
        var methodCounts = CountTable()
        var operationCounts = CountTable()
        var contextCounts = CountTable()
        var appVersionCounts = CountTable()
        public var instances: [String: Int] = [:]
        public var otherInstances = 0
        public var unattributed = 0
        /// The earliest few records of the group, redacted (earliest by time, then text, so
        /// that a merge of partial summaries keeps the same ones as a single run).
        public var samples: [(time: Instant?, text: String)] = []
        init(key: GroupKey) { self.key = key }

        /// When the failure that gave `constraint` happened (µs; `.max`: unknown).
        var constraintMicros: Int64 = .max

        /// The constraint as the group's earliest failure logged it (then the smallest
        /// name): the same in whatever order the failures are counted (chunks read on
        /// several cores, merged summaries).
        func offerConstraint(_ c: String, at micros: Int64) {
            if let current = constraint, (constraintMicros, current) <= (micros, c) { return }
            constraint = c
            constraintMicros = micros
        }

        /// A sample is read (decoded, redacted) only when it may be kept: one later than
        /// the last of a full list would be dropped again at once.
        func addSample(_ time: Instant?, _ sample: FailureSample) {
            let t = time?.micros ?? .max
            if t > sampleFloor { return }
            if samples.count >= Aggregator.samplesPerGroup, let last = samples.last, t > last.time?.micros ?? .max { return }
            addSample(time, sample.text)
        }

        /// Samples later than this are not read: aggregates that will be merged with this
        /// one already hold three earlier ones (`sampleFloors`).
        var sampleFloor: Int64 = .max

        func addSample(_ time: Instant?, _ text: String) {
            samples.append((time, text))
            samples.sort { Aggregator.sampleOrder($0, $1) }
            if samples.count > Aggregator.samplesPerGroup { samples.removeLast() }
        }
    }

    static func sampleOrder(_ a: (time: Instant?, text: String), _ b: (time: Instant?, text: String)) -> Bool {
        let ta = a.time?.micros ?? .max, tb = b.time?.micros ?? .max
        return ta != tb ? ta < tb : a.text < b.text
    }

    public struct InstanceStats {
        public var failures = 0
        public var silent = 0
        public var codes: [String: Int] {
            get { codeCounts.dictionary }
            set { codeCounts = CountTable(newValue) }
        }
        var codeCounts = CountTable()
        public var firstSeen: Instant?
        public var lastSeen: Instant?
        /// Failures per minute (epoch minute → count): trends survive a merge.
        public var minutes: [Int64: Int] = [:]
    }

    public static let maxGroups = 250
    public static let maxInstancesPerGroup = 1_000
    public static let maxInstances = 4_000
    public static let samplesPerGroup = 3

    public internal(set) var groups: [GroupKey: Group] = [:]
    /// Per group, a time past which a sample cannot be among the merged report's earliest:
    /// a chunk worker (`ChunkDecider`) has handed over aggregates holding three samples no
    /// later. Reading (decoding and redacting) a 2 KB sample for every group of every 8 MiB
    /// chunk was 6 % of a dense scan; with the floor, a later chunk reads almost none.
    var sampleFloors: [GroupKey: Int64] = [:]
    public internal(set) var instances: [String: InstanceStats] = [:]
    public internal(set) var failuresTotal = 0
    public internal(set) var truncatedFailures = 0
    /// Failures that fell into the "other" bucket because of the group cap.
    public internal(set) var otherGroupFailures = 0
    public internal(set) var otherInstanceFailures = 0
    public internal(set) var firstSeen: Instant?
    public internal(set) var lastSeen: Instant?
    public internal(set) var codes: [String: Int] {
        get { codeCounts.dictionary }
        set { codeCounts = CountTable(newValue) }
    }
    var codeCounts = CountTable()
    public internal(set) var outcomes: [FailureOutcome: Int] {
        get {
            var d: [FailureOutcome: Int] = [:]
            for o in FailureOutcome.allCases where outcomeCounts[o.ordinal] > 0 { d[o] = outcomeCounts[o.ordinal] }
            return d
        }
        set {
            outcomeCounts = FailureOutcome.allCases.map { newValue[$0] ?? 0 }
        }
    }
    /// By `FailureOutcome.ordinal`: an enum-keyed Dictionary hashed the outcome per failure.
    var outcomeCounts = [Int](repeating: 0, count: FailureOutcome.allCases.count)
    /// Silent failures (capped), ordered by failure time.
    public internal(set) var silentFailures: [SilentFailureEntry] = []
    public internal(set) var silentByConfidence: [SilentConfidence: Int] = [:]
    /// Failures that reached the client as errors (capped), ordered by time.
    public internal(set) var surfaced: [SurfacedFailureEntry] = []
    /// Per-minute failure counts without an instance (trend of the unattributed ones).
    public internal(set) var unattributedMinutes: [Int64: Int] = [:]
    /// Per-minute failure counts per code (`-` for none): the histogram of the reports.
    public internal(set) var codeMinutes: [String: [Int64: Int]] = [:]
    /// Silent and surfaced failures listed one by one (all are counted): the earliest ones
    /// by report order, so memory stays flat however long the log, and a merge of partial
    /// summaries lists the same ones as a single run.
    public static let maxListed = 500
    public static let maxMinuteEntries = 500_000
    public internal(set) var minuteEntries = 0
    public internal(set) var droppedMinuteCounts = 0
    /// Called for each event as it is decided (streaming output).
    public var onEvent: ((FailureEvent) -> Void)?

    public init() {}

    public func failure(_ e: FailureEvent) {
        count(e, outcome: e.outcome, reason: e.outcomeReason)
        onEvent?(e)
    }

    /// `failure` of an event decided by its caller (`ChunkDecider`), which gives the
    /// outcome apart: setting it on a copy of the event retained each of its strings.
    /// Nothing is shown as it comes (`onEvent`).
    func failure(_ e: FailureEvent, decided outcome: FailureOutcome, reason: String) {
        count(e, outcome: outcome, reason: reason)
    }

    private func count(_ e: FailureEvent, outcome: FailureOutcome?, reason: String?) {
        failuresTotal += 1
        // A confirmed silent failure names the instance its record could not.
        let instance = e.instance ?? (e.silent?.confidence == .confirmed ? e.silent?.instance : nil)
        if e.truncated { truncatedFailures += 1 }
        if let t = e.time {
            firstSeen = min(firstSeen ?? t, t)
            lastSeen = max(lastSeen ?? t, t)
        }
        codeCounts.add(e.facts.code ?? "-")
        if let outcome { outcomeCounts[outcome.ordinal] += 1 }
        if let silent = e.silent {
            silentByConfidence[silent.confidence, default: 0] += 1
            // An entry later than the last of a full list is not made only to be dropped.
            if silentFailures.count < Self.maxListed || (silent.failureTime?.seconds ?? .max) <= (silentFailures.last?.failureTime?.seconds ?? .max) {
                Self.insertBounded(SilentFailureEntry(e, silent), into: &silentFailures, by: SilentFailureEntry.order)
            }
        } else if outcome == .surfaced {
            Self.insertBounded(SurfacedFailureEntry(e, reason: reason), into: &surfaced, by: SurfacedFailureEntry.order)
        }
        if instance == nil, let t = e.time { countMinute(&unattributedMinutes, t) }
        if let t = e.time { countMinute(&codeMinutes[e.facts.code ?? "-", default: [:]], t) }
        let key = GroupKey(code: e.facts.code, model: e.facts.model, fields: e.facts.fields)
        var group = groups[key]
        if group == nil, groups.count < Self.maxGroups {
            group = Group(key: key)
            if let floor = sampleFloors[key] { group!.sampleFloor = floor }
            groups[key] = group
        }
        if let g = group {
            g.count += 1
            if let t = e.time {
                g.firstSeen = min(g.firstSeen ?? t, t)
                g.lastSeen = max(g.lastSeen ?? t, t)
            }
            if let c = e.facts.errorClass { g.errorClassCounts.add(c) }
            if let c = e.facts.constraint { g.offerConstraint(c, at: e.time?.micros ?? .max) }
            // Small string-keyed counters stay small: a few dozen distinct values at most.
            if let m = e.facts.method { g.methodCounts.add(m, cap: 64) }
            if let o = e.facts.operation { g.operationCounts.add(o, cap: 64) }
            if let c = e.context { g.contextCounts.add(c, cap: 64) }
            if let v = e.appVersion { g.appVersionCounts.add(v, cap: 64) }
            if let inst = instance {
                if let i = g.instances.index(forKey: inst) {
                    g.instances.values[i] += 1
                } else if g.instances.count < Self.maxInstancesPerGroup {
                    g.instances[inst] = 1
                } else {
                    g.otherInstances += 1
                }
            } else {
                g.unattributed += 1
            }
            g.addSample(e.time, e.sample)
        } else {
            otherGroupFailures += 1
        }
        if let inst = instance {
            // One hash of the name when it is known (the common case), not two.
            if let i = instances.index(forKey: inst) {
                count(e, in: &instances.values[i])
            } else if instances.count < Self.maxInstances {
                count(e, in: &instances[inst, default: InstanceStats()])
            } else {
                otherInstanceFailures += 1
            }
        }
    }

    /// Updated in place: copied out of the dictionary and back, the stats' per-minute
    /// table was duplicated on every failure of a busy instance.
    private func count(_ e: FailureEvent, in s: inout InstanceStats) {
        s.failures += 1
        if e.silent != nil { s.silent += 1 }
        if let t = e.time { countMinute(&s.minutes, t) }
        s.codeCounts.add(e.facts.code ?? "-")
        if let t = e.time {
            s.firstSeen = min(s.firstSeen ?? t, t)
            s.lastSeen = max(s.lastSeen ?? t, t)
        }
    }

    /// Keeps `list` sorted and at most `maxListed` long: the smallest entries by `order`.
    /// The search reads the entries in place: an entry read out of the array is a copy of
    /// a large struct (a retain per String in it), once per step.
    static func insertBounded<T>(_ item: T, into list: inout [T], by order: (T, T) -> Bool) {
        let at: Int? = list.withUnsafeBufferPointer { buf in
            if buf.count >= maxListed, !buf.isEmpty, !order(item, buf[buf.count - 1]) { return nil }
            var lo = 0, hi = buf.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if order(buf[mid], item) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        guard let lo = at else { return }
        list.insert(item, at: lo)
        if list.count > maxListed { list.removeLast() }
    }

    func countMinute(_ d: inout [Int64: Int], _ t: Instant) {
        let minute = t.seconds.floorDiv(60)
        // One hash of the minute when it is there (nearly always), not two.
        if let i = d.index(forKey: minute) {
            d.values[i] += 1
            return
        }
        guard minuteEntries < Self.maxMinuteEntries else { droppedMinuteCounts += 1; return }
        minuteEntries += 1
        d[minute] = 1
    }

    /// Groups by count (descending), then code, model, fields: a stable report order.
    public var sortedGroups: [Group] {
        groups.values.sorted {
            if $0.count != $1.count { return $0.count > $1.count }
            let a = ($0.key.code ?? "~", $0.key.model ?? "~", $0.key.fields.joined(separator: ","))
            let b = ($1.key.code ?? "~", $1.key.model ?? "~", $1.key.fields.joined(separator: ","))
            return a < b
        }
    }

    public var sortedInstances: [(name: String, stats: InstanceStats)] {
        instances.map { ($0.key, $0.value) }.sorted {
            $0.stats.failures != $1.stats.failures ? $0.stats.failures > $1.stats.failures : $0.name < $1.name
        }
    }
}
