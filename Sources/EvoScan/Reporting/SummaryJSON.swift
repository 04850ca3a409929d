/// The `--format json` summary document, which is also a *partial*: `evoscan merge` reads
/// several back (`SummaryReader`) and combines them. Kept names: `failures_total`,
/// `groups` (`code, model, fields, count, first_seen, last_seen, instances`),
/// `silent_failures`. Times are whole seconds, UTC.
public enum SummaryJSON {
    public static let schema = "evoscan.summary/2"

    public static func render(_ r: ScanReport) -> JSONValue {
        let a = r.aggregate
        let t = r.totals
        var members: [(String, JSONValue)] = [
            ("schema", .string(schema)),
            ("tool", .string(r.tool)),
            ("failures_total", .int(a.failuresTotal)),
            ("silent_failures", .array(a.silentFailures.sorted(by: SilentFailureEntry.order).map(silent))),
            ("silent_by_confidence", .object(["confirmed", "ambiguous", "probable"].map { c in
                (c, .int(a.silentByConfidence[SilentConfidence(rawValue: c)!] ?? 0))
            })),
            ("outcomes", .object(FailureOutcome.allCases.map { ($0.rawValue, .int(a.outcomes[$0] ?? 0)) })),
            ("surfaced_failures", .array(a.surfaced.sorted(by: SurfacedFailureEntry.order).map(surfaced))),
        ]
        members.append(("period", .object([
            ("first", .time(a.firstSeen)), ("last", .time(a.lastSeen)),
            ("since", .time(r.timeWindow.since)), ("until", .time(r.timeWindow.until)),
        ])))
        members.append(("time_zone", .object([
            ("description", .string(r.zoneDescription)),
            ("zones", .object(r.zones.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.rawValue)) })),
        ])))
        members.append(("correlation", .object([
            ("window_seconds", .int(Int(r.window))),
            ("access_log_lines", .int(t.accessLogLines)),
            ("access_requests", .int(t.accessRequests)),
            ("access_formats", .counts(t.accessFormats)),
        ])))
        members.append(("config_files", .strings(r.configFiles)))
        members.append(("totals", totals(r)))
        members.append(("codes", .counts(a.codes)))
        members.append(("groups", .array(a.sortedGroups.map { group($0, remediation: r.remediation) })))
        members.append(("instances", .array(a.sortedInstances.map { instance($0.name, $0.stats) })))
        members.append(("unattributed_minutes", minutes(a.unattributedMinutes)))
        members.append(("code_minutes", .object(a.codeMinutes.sorted { $0.key < $1.key }.map { ($0.key, minutes($0.value)) })))
        members.append(("inputs", .array(r.inputs.map(input))))
        return .object(members)
    }

    static func totals(_ r: ScanReport) -> JSONValue {
        let t = r.totals
        let a = r.aggregate
        return .object([
            ("inputs", .int(t.inputs)), ("input_errors", .int(t.inputErrors)), ("bytes", .int(t.bytes)),
            ("lines", .int(t.lines)), ("records", .int(t.records)), ("failures", .int(a.failuresTotal)),
            ("truncated_records", .int(t.truncatedRecords)), ("truncated_lines", .int(t.truncatedLines)),
            ("truncated_failures", .int(a.truncatedFailures)),
            ("records_with_prisma_text", .int(t.recordsWithPrismaText)),
            ("regex_limit_hits", .int(t.regexLimitHits)),
            ("failures_outside_window", .int(t.failuresOutsideWindow)),
            ("untimed_failures_excluded", .int(t.untimedFailuresExcluded)),
            ("other_group_failures", .int(a.otherGroupFailures)),
            ("other_instance_failures", .int(a.otherInstanceFailures)),
            ("dropped_minute_counts", .int(a.droppedMinuteCounts)),
            ("failures_decided_early", .int(t.failuresDecidedEarly)),
            ("access_requests_dropped", .int(t.accessRequestsDropped)),
        ])
    }

    static func group(_ g: Aggregator.Group, remediation: RemediationCatalog) -> JSONValue {
        .object([
            ("code", .optional(g.key.code)),
            ("model", .optional(g.key.model)),
            ("fields", .strings(g.key.fields)),
            ("count", .int(g.count)),
            ("first_seen", .time(g.firstSeen)),
            ("last_seen", .time(g.lastSeen)),
            ("instances", .strings(g.instances.keys.sorted())),
            ("instance_counts", .counts(g.instances)),
            ("other_instances", .int(g.otherInstances)),
            ("unattributed", .int(g.unattributed)),
            ("constraint", .optional(g.constraint)),
            ("error_classes", .counts(g.errorClasses)),
            ("methods", .counts(g.methods)),
            ("operations", .counts(g.operations)),
            ("contexts", .counts(g.contexts)),
            ("app_versions", .counts(g.appVersions)),
            ("title", .string(GroupTitle.of(g))),
            ("remediation", .optional(remediation.hint(code: g.key.code, model: g.key.model,
                                                      version: g.appVersions.count == 1 ? g.appVersions.keys.first.flatMap(EvolutionVersion.init) : nil))),
            ("samples", .array(g.samples.map { .object([("time", .time($0.time)), ("text", .string($0.text))]) })),
        ])
    }

    static func instance(_ name: String, _ s: Aggregator.InstanceStats) -> JSONValue {
        .object([
            ("instance", .string(name)),
            ("failures", .int(s.failures)),
            ("silent_failures", .int(s.silent)),
            ("codes", .counts(s.codes)),
            ("first_seen", .time(s.firstSeen)),
            ("last_seen", .time(s.lastSeen)),
            ("minutes", minutes(s.minutes)),
        ])
    }

    /// `{"2025-06-10T17:07Z": 3, …}` in time order.
    static func minutes(_ d: [Int64: Int]) -> JSONValue {
        .fragment(MinuteCounts(counts: d.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
    }

    /// Counts per minute written straight to bytes. A dense GiB has a hundred thousand
    /// (instance, minute) counts; as objects of key strings and values they cost more to
    /// build, write and free than the rest of the report (40 ms, after the scan).
    struct MinuteCounts: JSONFragment {
        let counts: [(minute: Int64, count: Int)]

        func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
            if counts.isEmpty { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            for (k, entry) in counts.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { JSONValue.newline(indent + 1, into: &out) }
                out.append(UInt8(ascii: "\""))
                CivilTime.appendUTCMinute(entry.minute * 60, to: &out)
                out += (pretty ? "\": " : "\":").utf8
                out += String(entry.count).utf8
            }
            if pretty { JSONValue.newline(indent, into: &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func silent(_ s: SilentFailureEntry) -> JSONValue {
        .object([
            ("kind", .string("silent_failure")),
            ("instance", .optional(s.instance)),
            ("endpoint", .string(s.endpoint)),
            ("status", .optional(s.status)),
            ("request_time", .time(s.requestTime)),
            ("failure_time", .time(s.failureTime)),
            ("code", .optional(s.code)),
            ("model", .optional(s.model)),
            ("fields", .strings(s.fields)),
            ("confidence", .string(s.confidence.rawValue)),
            ("candidates", .strings(s.candidates)),
            ("manager_instance_ids", .strings(s.managerInstanceIds)),
            ("app_version", .optional(s.appVersion)),
            ("method", .optional(s.method)),
            ("error_class", .optional(s.errorClass)),
            ("evidence", .strings(s.evidence)),
            ("evidence_missing", .optional(s.evidenceMissing)),
            ("remediation", .optional(s.remediation)),
            ("input", .string(s.input)),
        ])
    }

    static func surfaced(_ e: SurfacedFailureEntry) -> JSONValue {
        .object([("time", .time(e.time)), ("context", .optional(e.context)), ("code", .optional(e.code)),
                 ("model", .optional(e.model)), ("fields", .strings(e.fields)), ("reason", .optional(e.reason)),
                 ("input", .string(e.input))])
    }

    static func input(_ i: ScanReport.InputSummary) -> JSONValue {
        var m: [(String, JSONValue)] = [
            ("name", .string(i.name)), ("transport", .string(i.transport)), ("compression", .string(i.compression)),
            ("bytes", .int(i.bytes)), ("error", .optional(i.error)), ("source", .optional(i.source)),
            ("role", .string(i.isEvidence ? "access-log" : "log")),
        ]
        if let id = i.identity {
            m.append(("identity", .object([("device", .int(Int(truncatingIfNeeded: id.device))), ("inode", .int(Int(truncatingIfNeeded: id.inode))),
                                           ("fingerprint", .string(id.fingerprint)), ("fingerprint_bytes", .int(id.fingerprintBytes))])))
        }
        m.append(("range", .object([("start", .int(i.rangeStart)), ("end", .int(i.rangeEnd))])))
        if let c = i.journalCursors { m.append(("journal_cursors", .object([("first", .string(c.first)), ("last", .string(c.last))]))) }
        return .object(m)
    }
}
