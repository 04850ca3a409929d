/// The three ways people run evoscan, at the end of every command's help, each as that
/// command takes part in it: piping journalctl live, a nightly job that alerts through
/// its exit status, and a postmortem over the files of an incident. They close each
/// command's discussion, so the man page has them too; `--help` moves them after the
/// options (`examplesLast`). Lines stay under 78 columns: the help wraps at 80.
enum UsageExamples {
    static func help(_ w: (journalctl: [String], nightly: [String], postmortem: [String]), more: [String] = []) -> String {
        let sections = [("Live, piped from journald:", w.journalctl), ("Nightly job (cron):", w.nightly),
                        ("Postmortem over an incident's files:", w.postmortem), ("More:", more)]
        let shown = sections.filter { !$0.1.isEmpty }.map { title, lines in (["  " + title] + lines.map { "    " + $0 }).joined(separator: "\n") }
        return (["Examples:"] + shown).joined(separator: "\n")
    }

    static let scan = help((
        journalctl: ["journalctl -u evolution -o json | evoscan scan -"],
        nightly: ["evoscan scan --state /var/lib/evoscan/state.json --format json \\",
                  "  -o /var/lib/evoscan/reports/$(date +%F).json \\",
                  "  --access-log /var/log/nginx/access.log /var/log/evolution \\",
                  "  || echo \"evoscan: silent failures, see today's report\""],
        postmortem: ["evoscan scan --since 2025-06-10T14:00 --until 2025-06-10T16:00 \\",
                     "  --format markdown --access-log /var/log/nginx /var/log/evolution \\",
                     "  > incident.md"]
    ), more: ["journalctl -u evolution -u nginx -f -o json | evoscan scan --follow -",
              "docker logs -t evolution_api 2>&1 | evoscan scan --format ndjson",
              "evoscan scan --format json /var/log/evolution/*.log.gz > report.json"])

    static let merge = help((
        journalctl: ["journalctl -u evolution-api -o json --since today \\",
                     "  | evoscan scan --format json -o $(hostname).json -",
                     "evoscan merge host-a.json host-b.json"],
        nightly: ["evoscan merge --format json -o /var/lib/evoscan/fleet/$(date +%F).json \\",
                  "  /var/lib/evoscan/hosts/*/$(date +%F).json \\",
                  "  || echo \"evoscan: silent failures in the fleet\""],
        postmortem: ["evoscan merge --format markdown host-a/2025-06-10.json \\",
                     "  host-b/2025-06-10.json > postmortem.md"]
    ))

    static let report = help((
        journalctl: ["journalctl -u evolution-api -o json --since -15min \\",
                     "  | evoscan scan --format json -o now.json -",
                     "evoscan report --format prometheus \\",
                     "  -o /var/lib/node_exporter/textfile/evoscan.prom now.json"],
        nightly: ["evoscan report --format html -o /var/www/evoscan/index.html \\",
                  "  /var/lib/evoscan/reports/*.json"],
        postmortem: ["evoscan report --format markdown incident.json > postmortem.md"]
    ))

    static let explain = help((
        journalctl: ["journalctl -u evolution-api -o json --since today | evoscan scan -",
                     "evoscan explain P2002      # a code the table lists"],
        nightly: ["evoscan report --format markdown \\",
                  "  /var/lib/evoscan/reports/$(date +%F).json    # names each code",
                  "evoscan explain P2024"],
        postmortem: ["evoscan explain P2002      # meaning, where Evolution hits it, the fix"]
    ))

    static let timeline = help((
        journalctl: ["journalctl -u evolution-api -u nginx -o json --since -2h \\",
                     "  | evoscan timeline --instance loja-centro -"],
        nightly: ["evoscan timeline --instance loja-centro --color never \\",
                  "  --access-log /var/log/nginx/access.log.1 \\",
                  "  /var/log/evolution/evolution.log.1 \\",
                  "  > /var/lib/evoscan/loja-centro-$(date +%F).txt"],
        postmortem: ["evoscan timeline --instance loja-centro \\",
                     "  --access-log access.log evolution.log > loja-centro.txt"]
    ))

    static let config = help((
        journalctl: ["journalctl -u evolution -o json \\",
                     "  | evoscan scan --config /etc/evoscan/fork.toml -"],
        nightly: ["evoscan config --config /etc/evoscan/fork.toml > /dev/null \\",
                  "  && evoscan scan --config /etc/evoscan/fork.toml --format json \\",
                  "  -o /var/lib/evoscan/reports/$(date +%F).json /var/log/evolution"],
        postmortem: ["evoscan config --print-defaults > fork.toml    # edit, then:",
                     "evoscan scan --config fork.toml --access-log access.log evolution.log"]
    ))

    /// A help message with its examples moved from the overview to the end, after the
    /// options (swift-argument-parser prints the discussion before the usage).
    static func examplesLast(_ message: String) -> String {
        guard let start = message.range(of: "\nExamples:\n"),
              let usage = message.range(of: "\n\nUSAGE:", range: start.upperBound..<message.endIndex) else { return message }
        let block = message[message.index(after: start.lowerBound)..<usage.lowerBound]
        var head = String(message[..<start.lowerBound])
        while head.hasSuffix("\n") { head.removeLast() }
        var rest = head + String(message[usage.lowerBound...])
        while rest.hasSuffix("\n") { rest.removeLast() }
        return rest + "\n\n" + block
    }
}
