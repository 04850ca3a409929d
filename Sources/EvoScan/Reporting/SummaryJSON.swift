/// The `--format json` summary document. Kept names: `failures_total`, `groups`
/// (`code, model, fields, count, first_seen, last_seen, instances`), `silent_failures`.
public enum SummaryJSON {
    public static let schema = "evoscan.summary/1"

    public static func render(_ r: ScanReport) -> JSONValue {
        let a = r.aggregate
        let groups: [JSONValue] = a.sortedGroups.map { g in
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
                ("samples", .strings(g.samples)),
            ])
        }
        let instances: [JSONValue] = a.sortedInstances.map { name, s in
            .object([
                ("instance", .string(name)),
                ("failures", .int(s.failures)),
                ("silent_failures", .int(s.silent)),
                ("codes", .counts(s.codes)),
                ("first_seen", .time(s.firstSeen)),
                ("last_seen", .time(s.lastSeen)),
            ])
        }
        let inputs: [JSONValue] = r.inputs.map { i in
            .object([
                ("name", .string(i.name)), ("transport", .string(i.transport)), ("compression", .string(i.compression)),
                ("bytes", .int(i.bytes)), ("error", .optional(i.error)),
            ])
        }
        let t = r.totals
        return .object([
            ("schema", .string(schema)),
            ("tool", .string(r.tool)),
            ("failures_total", .int(a.failuresTotal)),
            ("silent_failures", .array(a.silentFailures.compactMap(EventJSON.silentFailure))),
            ("silent_by_confidence", .object(["confirmed", "ambiguous", "probable"].map { c in
                (c, .int(a.silentByConfidence[SilentConfidence(rawValue: c)!] ?? 0))
            })),
            ("outcomes", .object(FailureOutcome.allCases.map { ($0.rawValue, .int(a.outcomes[$0] ?? 0)) })),
            ("surfaced_failures", .array(a.surfaced.prefix(1000).map { e in
                .object([("time", .time(e.time)), ("context", .optional(e.context)), ("code", .optional(e.facts.code)),
                         ("model", .optional(e.facts.model)), ("fields", .strings(e.facts.fields)),
                         ("reason", .optional(e.outcomeReason)), ("input", .string(e.input))])
            })),
            ("correlation", .object([
                ("window_seconds", .int(Int(r.window))),
                ("access_log_lines", .int(r.totals.accessLogLines)),
                ("access_requests", .int(r.totals.accessRequests)),
                ("access_formats", .counts(r.totals.accessFormats)),
            ])),
            ("period", .object([("first", .time(a.firstSeen)), ("last", .time(a.lastSeen)),
                                ("since", .time(r.timeWindow.since)), ("until", .time(r.timeWindow.until))])),
            ("time_zone", .object([
                ("description", .string(r.zoneDescription)),
                ("zones", .object(r.zones.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.rawValue)) })),
            ])),
            ("totals", .object([
                ("inputs", .int(t.inputs)), ("input_errors", .int(t.inputErrors)), ("bytes", .int(t.bytes)),
                ("lines", .int(t.lines)), ("records", .int(t.records)), ("failures", .int(a.failuresTotal)),
                ("truncated_records", .int(t.truncatedRecords)), ("truncated_lines", .int(t.truncatedLines)),
                ("records_with_prisma_text", .int(t.recordsWithPrismaText)),
                ("regex_limit_hits", .int(t.regexLimitHits)),
                ("failures_outside_window", .int(t.failuresOutsideWindow)),
                ("untimed_failures_excluded", .int(t.untimedFailuresExcluded)),
                ("other_group_failures", .int(a.otherGroupFailures)),
                ("other_instance_failures", .int(a.otherInstanceFailures)),
            ])),
            ("codes", .counts(a.codes)),
            ("groups", .array(groups)),
            ("instances", .array(instances)),
            ("inputs", .array(inputs)),
        ])
    }
}
