/// `--format html`: one self-contained page for the nightly job — headline numbers, a
/// histogram of failures per code over time (inline SVG), silent failures per instance
/// with their evidence, the (code, model, fields) groups with samples and hints, sortable
/// tables. No external asset, no network (a Content-Security-Policy forbids both), and
/// every piece of log text is HTML-escaped, so a log line holding `<script>` shows as text.
public enum HTMLRenderer {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if c.value < 0x20 && c != "\n" && c != "\t" || c.value == 0x7F { out += "\u{FFFD}" } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    public static func render(_ r: ScanReport) -> String {
        let a = r.aggregate
        let zone = r.logZone
        func time(_ t: Instant?) -> String {
            guard let t else { return "–" }
            return escape(t.iso8601) + (zone.map { "<br><small>\(escape($0.local(t)))</small>" } ?? "")
        }
        func sortKey(_ t: Instant?) -> String { t.map { String($0.seconds) } ?? "0" }
        var h = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>evoscan report</title>
        <style>\(css)</style></head><body>
        <h1>evoscan report</h1>
        <section class="headline">
        <div class="num\(a.silentFailures.isEmpty ? "" : " bad")"><b id="silent-total">\(a.silentFailures.count)</b>silent failures<small>confirmed \(a.silentByConfidence[.confirmed] ?? 0) · ambiguous \(a.silentByConfidence[.ambiguous] ?? 0) · probable \(a.silentByConfidence[.probable] ?? 0)</small></div>
        <div class="num"><b id="failures-total">\(a.failuresTotal)</b>Prisma failures</div>
        <div class="num"><b id="instances-affected">\(a.instances.count)</b>instances affected</div>
        <div class="num wide"><b>\(time(a.firstSeen)) → \(time(a.lastSeen))</b>period covered</div>
        </section>
        <p class="note">Times: \(escape(r.zoneDescription)). Config: \(escape(r.configFiles.isEmpty ? "built-in" : r.configFiles.joined(separator: ", "))). Read: \(r.totals.inputs) inputs, \(r.totals.lines) lines, \(r.totals.records) records\(r.totals.accessRequests > 0 ? ", \(r.totals.accessRequests) access-log requests (window ±\(r.window) s)" : ", no access log").</p>

        """
        h += "<h2>Failures per code over time</h2>\n" + histogram(a) + "\n"

        h += "<h2>Silent failures by instance</h2>\n"
        if a.silentFailures.isEmpty {
            h += "<p>None found\(r.totals.accessRequests == 0 ? " (no access log was given: silent failures can only be probable)" : "").</p>\n"
        } else {
            h += "<table class=\"sortable\" id=\"silent\"><thead><tr><th>instance</th><th>endpoint</th><th>status</th><th>request</th><th>failure</th><th>code</th><th>model</th><th>fields</th><th>confidence</th><th>evidence and fix</th></tr></thead><tbody>\n"
            let ordered = a.silentFailures.sorted { (x: SilentFailureEntry, y: SilentFailureEntry) -> Bool in
                (x.instance ?? "\u{10FFFF}", x.failureTime?.micros ?? 0) < (y.instance ?? "\u{10FFFF}", y.failureTime?.micros ?? 0)
            }
            for s in ordered {
                let who = s.instance ?? (s.candidates.isEmpty ? "(unknown)" : s.candidates.joined(separator: " | "))
                var details = "<details><summary>\(s.evidence.count) lines</summary><pre>\(escape(s.evidence.joined(separator: "\n")))</pre>"
                if let m = s.evidenceMissing { details += "<p class=\"note\">\(escape(m))</p>" }
                if let fix = s.remediation { details += "<p class=\"fix\">\(escape(fix))</p>" }
                details += "</details>"
                h += "<tr class=\"\(s.confidence.rawValue)\"><td>\(escape(who))</td><td>\(escape(s.endpoint))</td><td>\(s.status.map(String.init) ?? "–")</td>"
                h += "<td data-v=\"\(sortKey(s.requestTime))\">\(time(s.requestTime))</td><td data-v=\"\(sortKey(s.failureTime))\">\(time(s.failureTime))</td>"
                h += "<td>\(escape(s.code ?? "–"))</td><td>\(escape(s.model ?? "–"))</td><td>\(escape(s.fields.joined(separator: ", ")))</td>"
                h += "<td>\(s.confidence.rawValue)</td><td>\(details)</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        if !a.surfaced.isEmpty {
            h += "<h2>Failures the client saw</h2>\n<table class=\"sortable\"><thead><tr><th>time</th><th>code</th><th>model</th><th>fields</th><th>why</th></tr></thead><tbody>\n"
            for e in a.surfaced.sorted(by: SurfacedFailureEntry.order).prefix(1000) {
                h += "<tr><td data-v=\"\(sortKey(e.time))\">\(time(e.time))</td><td>\(escape(e.code ?? "–"))</td><td>\(escape(e.model ?? "–"))</td><td>\(escape(e.fields.joined(separator: ", ")))</td><td>\(escape(e.reason ?? ""))</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        h += "<h2>Failures by code, model and fields</h2>\n<table class=\"sortable\" id=\"groups\"><thead><tr><th>count</th><th>code</th><th>model</th><th>fields</th><th>title</th><th>instances</th><th>first seen</th><th>last seen</th><th>samples and fix</th></tr></thead><tbody>\n"
        for g in a.sortedGroups.prefix(1000) {
            var details = "<details><summary>\(g.samples.count) samples</summary>"
            for s in g.samples { details += "<pre>\(escape(s.text))</pre>" }
            if let hint = r.remediation.hint(code: g.key.code, model: g.key.model, version: g.appVersions.count == 1 ? g.appVersions.keys.first.flatMap(EvolutionVersion.init) : nil) {
                details += "<p class=\"fix\">\(escape(hint))</p>"
            }
            details += "</details>"
            h += "<tr><td data-v=\"\(g.count)\">\(g.count)</td><td>\(escape(g.key.code ?? "–"))</td><td>\(escape(g.key.model ?? "–"))</td><td>\(escape(g.key.fields.joined(separator: ", ")))</td>"
            h += "<td>\(escape(GroupTitle.of(g)))</td><td data-v=\"\(g.instances.count)\">\(g.instances.count)</td><td data-v=\"\(sortKey(g.firstSeen))\">\(time(g.firstSeen))</td><td data-v=\"\(sortKey(g.lastSeen))\">\(time(g.lastSeen))</td><td>\(details)</td></tr>\n"
        }
        h += "</tbody></table>\n"
        if !a.instances.isEmpty {
            h += "<h2>Instances</h2>\n<table class=\"sortable\" id=\"instances\"><thead><tr><th>instance</th><th>failures</th><th>silent</th><th>codes</th><th>first seen</th><th>last seen</th></tr></thead><tbody>\n"
            for (name, s) in a.sortedInstances.prefix(2000) {
                let codes = s.codes.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
                h += "<tr><td>\(escape(name))</td><td data-v=\"\(s.failures)\">\(s.failures)</td><td data-v=\"\(s.silent)\">\(s.silent)</td><td>\(escape(codes))</td><td data-v=\"\(sortKey(s.firstSeen))\">\(time(s.firstSeen))</td><td data-v=\"\(sortKey(s.lastSeen))\">\(time(s.lastSeen))</td></tr>\n"
            }
            h += "</tbody></table>\n"
        }
        h += "<p class=\"note\">\(escape(r.tool)) · click a column heading to sort</p>\n<script>\(script)</script>\n</body></html>\n"
        return h
    }

    static let palette = ["#d62728", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// Stacked bars of failures per code, in at most 60 time buckets.
    static func histogram(_ a: Aggregator) -> String {
        let all = a.codeMinutes.values.flatMap { $0.keys }
        guard let lo = all.min(), let hi = all.max() else { return "<p>No dated failures.</p>" }
        let spanMinutes = hi - lo + 1
        let sizes: [Int64] = [1, 5, 15, 60, 360, 1440, 10_080]
        let bucket: Int64 = sizes.first(where: { (size: Int64) -> Bool in spanMinutes / size < 60 }) ?? 43_200
        let firstBucket: Int64 = lo / bucket
        let buckets = Int(hi / bucket - firstBucket + 1)
        let codes = a.codeMinutes.keys.sorted()
        var counts = [[Int]](repeating: [Int](repeating: 0, count: buckets), count: codes.count)
        for (ci, code) in codes.enumerated() {
            for (m, n) in a.codeMinutes[code] ?? [:] {
                let index = Int(m / bucket - firstBucket)
                counts[ci][index] += n
            }
        }
        var peak = 1
        for b in 0..<buckets {
            var sum = 0
            for row in counts { sum += row[b] }
            peak = max(peak, sum)
        }
        let width = 760.0, height = 180.0, barW = width / Double(buckets)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 230\" role=\"img\" aria-label=\"failures per code over time\" id=\"histogram\">"
        for b in 0..<buckets {
            var y = height + 10
            for (ci, code) in codes.enumerated() where counts[ci][b] > 0 {
                let hgt = Double(counts[ci][b]) / Double(peak) * height
                y -= hgt
                let startMinute: Int64 = (firstBucket + Int64(b)) * bucket
                let start = Instant(seconds: startMinute * 60)
                let x: Double = 30 + Double(b) * barW
                let w: Double = max(1, barW - 1)
                let title = escape("\(start.iso8601): \(code) × \(counts[ci][b])")
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(w)\" height=\"\(hgt)\" fill=\"\(palette[ci % palette.count])\"><title>\(title)</title></rect>"
            }
        }
        svg += "<text x=\"0\" y=\"20\" font-size=\"11\">\(peak)</text><text x=\"0\" y=\"190\" font-size=\"11\">0</text>"
        svg += "<text x=\"30\" y=\"205\" font-size=\"11\">\(escape(Instant(seconds: lo * 60).iso8601))</text>"
        svg += "<text x=\"790\" y=\"205\" font-size=\"11\" text-anchor=\"end\">\(escape(Instant(seconds: hi * 60).iso8601))</text>"
        for (ci, code) in codes.enumerated() {
            svg += "<rect x=\"\(30 + ci * 90)\" y=\"215\" width=\"10\" height=\"10\" fill=\"\(palette[ci % palette.count])\"/><text x=\"\(44 + ci * 90)\" y=\"224\" font-size=\"11\">\(escape(code))</text>"
        }
        return svg + "</svg><p class=\"note\">one bar = \(bucket) minute\(bucket == 1 ? "" : "s")</p>"
    }

    static let css = """
    body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{margin:0 0 .5em}h2{margin-top:2em;border-bottom:1px solid #ddd}
    .headline{display:flex;gap:1em;flex-wrap:wrap}.num{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;min-width:9em}
    .num b{display:block;font-size:1.8em}.num.bad b{color:#c00}.num.wide b{font-size:1em}.num small{display:block;color:#666}
    table{border-collapse:collapse;width:100%;margin-top:.5em}th,td{border-bottom:1px solid #eee;padding:.3em .5em;text-align:left;vertical-align:top}
    th{cursor:pointer;background:#f6f6f6;user-select:none}tr.confirmed td:first-child{border-left:3px solid #c00}
    pre{white-space:pre-wrap;word-break:break-all;background:#f8f8f8;padding:.5em;max-height:20em;overflow:auto}.note{color:#666}.fix{color:#064}
    svg{max-width:800px;border:1px solid #eee}
    """

    static let script = """
    document.querySelectorAll('table.sortable th').forEach(function(th,i){th.addEventListener('click',function(){var t=th.closest('table'),b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows),asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';rows.sort(function(x,y){var a=x.cells[i].dataset.v||x.cells[i].textContent,c=y.cells[i].dataset.v||y.cells[i].textContent,na=parseFloat(a),nc=parseFloat(c),r=(!isNaN(na)&&!isNaN(nc))?na-nc:a.localeCompare(c);return asc?r:-r;});rows.forEach(function(r){b.appendChild(r);});});});
    """
}
