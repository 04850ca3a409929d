/// `--format markdown`: a postmortem-ready report — summary, one section per instance with
/// its silent failures, evidence in fenced blocks, times in UTC and in the log's zone.
public enum MarkdownRenderer {
    public static func render(_ r: ScanReport) -> String {
        let a = r.aggregate
        let zone = r.logZone
        func both(_ t: Instant?) -> String {
            guard let t else { return "–" }
            return zone.map { "\(t.iso8601) (\($0.local(t)))" } ?? t.iso8601
        }
        var md = "# evoscan report\n\n"
        md += "| | |\n|---|---|\n"
        md += "| Prisma failures | \(a.failuresTotal) |\n"
        md += "| Silent failures | \(a.silentFailures.count) (confirmed \(a.silentByConfidence[.confirmed] ?? 0), ambiguous \(a.silentByConfidence[.ambiguous] ?? 0), probable \(a.silentByConfidence[.probable] ?? 0)) |\n"
        md += "| Instances affected | \(a.instances.count) |\n"
        md += "| Period | \(cell(both(a.firstSeen))) → \(cell(both(a.lastSeen))) |\n"
        md += "| Times | \(cell(r.zoneDescription)) |\n"
        md += "| Config | \(cell(r.configFiles.isEmpty ? "built-in" : r.configFiles.joined(separator: ", "))) |\n"
        md += "| Read | \(r.totals.inputs) inputs, \(r.totals.lines) lines, \(r.totals.records) records |\n\n"

        md += "## Silent failures\n\n"
        if a.silentFailures.isEmpty {
            md += "None: no failure on a write that answers before it finishes" + (r.totals.accessRequests == 0 ? " (no access log was given)" : "") + ".\n\n"
        }
        var byInstance: [String: [SilentFailureEntry]] = [:]
        for s in a.silentFailures { byInstance[s.instance ?? "", default: []].append(s) }
        for (instance, entries) in byInstance.sorted(by: { ($0.key.isEmpty ? "\u{10FFFF}" : $0.key) < ($1.key.isEmpty ? "\u{10FFFF}" : $1.key) }) {
            md += "### " + (instance.isEmpty ? "Instance not known" : "Instance `\(code(instance))`") + "\n\n"
            for s in entries.sorted(by: SilentFailureEntry.order) {
                let what = [s.code ?? "no code", s.model ?? "unknown model", s.fields.isEmpty ? nil : "(\(s.fields.joined(separator: ", ")))"].compactMap { $0 }.joined(separator: " ")
                md += "- **\(cell(s.endpoint))** answered \(s.status.map(String.init) ?? "2xx (not seen)") at \(cell(both(s.requestTime))); "
                md += "the write failed at \(cell(both(s.failureTime))) with \(cell(what)) — **\(s.confidence.rawValue)**"
                if !s.candidates.isEmpty && s.instance == nil { md += "; candidates: " + s.candidates.map { "`\(code($0))`" }.joined(separator: ", ") }
                md += "\n"
                if let missing = s.evidenceMissing { md += "  - Note: \(cell(missing))\n" }
                if let fix = s.remediation { md += "  - Fix: \(cell(fix))\n" }
                md += "\n" + fence(s.evidence.joined(separator: "\n")) + "\n"
            }
        }
        if !a.surfaced.isEmpty {
            md += "## Failures the client saw\n\n| time | code | model | fields | why |\n|---|---|---|---|---|\n"
            for e in a.surfaced.sorted(by: SurfacedFailureEntry.order).prefix(200) {
                md += "| \(cell(both(e.time))) | \(cell(e.code ?? "–")) | \(cell(e.model ?? "–")) | \(cell(e.fields.joined(separator: ", "))) | \(cell(e.reason ?? "")) |\n"
            }
            md += "\n"
        }
        md += "## Failures by code, model and fields\n\n| count | code | model | fields | title | first seen | last seen |\n|---:|---|---|---|---|---|---|\n"
        for g in a.sortedGroups.prefix(200) {
            md += "| \(g.count) | \(cell(g.key.code ?? "–")) | \(cell(g.key.model ?? "–")) | \(cell(g.key.fields.joined(separator: ", "))) | \(cell(GroupTitle.of(g))) | \(cell(both(g.firstSeen))) | \(cell(both(g.lastSeen))) |\n"
        }
        md += "\n"
        for g in a.sortedGroups.prefix(20) {
            guard let sample = g.samples.first else { continue }
            md += "### \(cell(g.key.code ?? "No code")) \(cell(g.key.model ?? "")) \(g.key.fields.isEmpty ? "" : "(" + cell(g.key.fields.joined(separator: ", ")) + ")")\n\n"
            if let hint = r.remediation.hint(code: g.key.code, model: g.key.model, version: nil) { md += "Fix: \(cell(hint))\n\n" }
            md += fence(sample.text) + "\n"
        }
        if !a.instances.isEmpty {
            md += "## Instances\n\n| instance | failures | silent | codes | first seen | last seen |\n|---|---:|---:|---|---|---|\n"
            for (name, s) in a.sortedInstances.prefix(500) {
                let codes = s.codes.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
                md += "| `\(code(name))` | \(s.failures) | \(s.silent) | \(cell(codes)) | \(cell(both(s.firstSeen))) | \(cell(both(s.lastSeen))) |\n"
            }
        }
        return md
    }

    /// Table cell text: pipes and line breaks would break the table; `<` would open an
    /// HTML tag in a Markdown renderer, so it is written as `&lt;` and shows as text.
    static func cell(_ s: String) -> String {
        TableRenderer.sanitize(s).replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: "|", with: "\\|")
            .replacingOccurrences(of: "`", with: "\\`")
    }

    static func code(_ s: String) -> String { s.replacingOccurrences(of: "`", with: "'").replacingOccurrences(of: "\n", with: " ") }

    /// A fenced block long enough never to be closed by the text inside it.
    static func fence(_ text: String) -> String {
        var ticks = "```"
        while text.contains(ticks) { ticks += "`" }
        return ticks + "text\n" + TableRenderer.sanitizeKeepingNewlines(text) + "\n" + ticks + "\n"
    }
}
