/// Folding one aggregate into another: `evoscan merge` of partial summaries. Every field
/// combines the way a single run over both inputs would have built it (sums, minima,
/// maxima, capped unions, earliest samples), so merge = single run.
extension Aggregator {
    public func absorb(_ o: Aggregator) {
        failuresTotal += o.failuresTotal
        truncatedFailures += o.truncatedFailures
        otherGroupFailures += o.otherGroupFailures
        otherInstanceFailures += o.otherInstanceFailures
        firstSeen = Self.minTime(firstSeen, o.firstSeen)
        lastSeen = Self.maxTime(lastSeen, o.lastSeen)
        for (k, v) in o.codes { codeCounts.add(k, v) }
        for i in outcomeCounts.indices { outcomeCounts[i] += o.outcomeCounts[i] }
        for (k, v) in o.silentByConfidence { silentByConfidence[k, default: 0] += v }
        if !o.silentFailures.isEmpty {
            silentFailures = Array((silentFailures + o.silentFailures).sorted(by: SilentFailureEntry.order).prefix(Self.maxListed))
        }
        if !o.surfaced.isEmpty {
            surfaced = Array((surfaced + o.surfaced).sorted(by: SurfacedFailureEntry.order).prefix(Self.maxListed))
        }
        for (m, n) in o.unattributedMinutes { unattributedMinutes[m, default: 0] += n }
        for (code, minutes) in o.codeMinutes { for (m, n) in minutes { codeMinutes[code, default: [:]][m, default: 0] += n } }
        droppedMinuteCounts += o.droppedMinuteCounts

        for (key, og) in o.groups {
            guard let g = groups[key] ?? (groups.count < Self.maxGroups ? { let n = Group(key: key); groups[key] = n; return n }() : nil) else {
                otherGroupFailures += og.count
                continue
            }
            g.count += og.count
            g.firstSeen = Self.minTime(g.firstSeen, og.firstSeen)
            g.lastSeen = Self.maxTime(g.lastSeen, og.lastSeen)
            for (k, v) in og.errorClasses { g.errorClassCounts.add(k, v) }
            if let c = og.constraint { g.offerConstraint(c, at: og.constraintMicros) }
            for (k, v) in og.methods { g.methodCounts.add(k, v) }
            for (k, v) in og.operations { g.operationCounts.add(k, v) }
            for (k, v) in og.contexts { g.contextCounts.add(k, v) }
            for (k, v) in og.appVersions { g.appVersionCounts.add(k, v) }
            for (k, v) in og.instances {
                if g.instances[k] != nil || g.instances.count < Self.maxInstancesPerGroup { g.instances[k, default: 0] += v } else { g.otherInstances += v }
            }
            g.otherInstances += og.otherInstances
            g.unattributed += og.unattributed
            for s in og.samples { g.addSample(s.time, s.text) }
        }
        for (name, os) in o.instances {
            // Merged in place: a copy out of the table and back duplicated the instance's
            // per-minute counts on every merge (chunks of one log are merged by the hundred).
            if let i = instances.index(forKey: name) {
                Self.merge(os, into: &instances.values[i])
            } else if instances.count < Self.maxInstances {
                instances[name] = os
            } else {
                otherInstanceFailures += os.failures
            }
        }
        minuteEntries = instances.values.reduce(unattributedMinutes.count) { $0 + $1.minutes.count }
            + codeMinutes.values.reduce(0) { $0 + $1.count }
    }

    static func merge(_ os: InstanceStats, into s: inout InstanceStats) {
        s.failures += os.failures
        s.silent += os.silent
        for (k, v) in os.codes { s.codeCounts.add(k, v) }
        s.firstSeen = minTime(s.firstSeen, os.firstSeen)
        s.lastSeen = maxTime(s.lastSeen, os.lastSeen)
        for (m, n) in os.minutes { s.minutes[m, default: 0] += n }
    }

    static func minTime(_ a: Instant?, _ b: Instant?) -> Instant? {
        switch (a, b) {
        case let (x?, y?): return min(x, y)
        default: return a ?? b
        }
    }

    static func maxTime(_ a: Instant?, _ b: Instant?) -> Instant? {
        switch (a, b) {
        case let (x?, y?): return max(x, y)
        default: return a ?? b
        }
    }
}
