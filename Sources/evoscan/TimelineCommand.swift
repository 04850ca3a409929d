import ArgumentParser
import Foundation
import EvoScan

struct TimelineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "timeline",
        abstract: "The chronological story of one instance, for a postmortem: requests, log lines, failures, silent failures.",
        discussion: """
        Both clocks are shown: UTC, and the log's own zone (--log-tz, inferred or assumed).

        \(UsageExamples.timeline)
        """
    )

    @Option(name: .long, help: "The instance name (as in its [name] log tag and request paths).")
    var instance: String

    @Option(name: .customLong("access-log"), help: ArgumentHelp("A reverse proxy's access log (repeatable).", valueName: "FILE"))
    var accessLogs: [String] = []

    @Option(name: .customLong("log-tz"), parsing: .unconditional, help: ArgumentHelp("Zone of Evolution's header times.", valueName: "ZONE"))
    var logTZ: String?

    @Option(name: .long, help: "Colour: auto, always or never.")
    var color: ColorChoice = .auto

    @OptionGroup(title: "Config file")
    var configFile: ConfigOptions

    @Argument(help: ArgumentHelp("Evolution logs; - for standard input.", valueName: "FILE"))
    var files: [String] = []

    func validate() throws {
        if instance.isEmpty { throw ValidationError("--instance must name an instance") }
        if let logTZ, LogTimeZone(logTZ) == nil { throw ValidationError("--log-tz: unknown zone '\(logTZ)'") }
    }

    func run() throws {
        var paths = InputExpander.expand(files)
        if paths.isEmpty {
            if isatty(0) != 0 { throw ValidationError("no input: give FILE arguments or pipe logs in") }
            paths = ["-"]
        }
        var entries: [TimelineEntry] = []
        let session = ScanSession(options: try configFile.sessionOptions(logTZ: logTZ, window: nil))
        session.onInputError = { FileDiagnostics.line("\($0.input): \($0.problem)") }
        session.onInputWarning = { FileDiagnostics.line("warning: \($0.input): \($0.problem)") }
        let name = instance
        session.timeline(instance: name) { entries.count < 200_000 ? entries.append($0) : () }
        session.aggregate.onEvent = { e in
            let f = e.facts
            let what = "\(f.code ?? f.errorClass ?? "Prisma error") \(f.model ?? "")" + (f.fields.isEmpty ? "" : "(\(f.fields.joined(separator: ",")))")
            if let s = e.silent, s.instance == name || s.candidates.contains(name) {
                let text = "\(what) while \(s.endpoint) answered \(s.status.map(String.init) ?? "2xx") (\(s.confidence.rawValue))"
                entries.append(TimelineEntry(time: e.time, kind: "silent", text: text, detail: s.remediation))
            } else if e.instance == name {
                entries.append(TimelineEntry(time: e.time, kind: "failure", text: "\(what) [\(e.context ?? "")] \(e.outcome?.rawValue ?? "")",
                                             detail: e.sample.text.split(separator: "\n").dropFirst().first.map(String.init)))
            }
        }
        for p in InputExpander.expand(accessLogs) { session.scanAccessLog(path: p) }
        session.scan(paths: paths)
        let report = session.report(tool: "evoscan")
        print(TimelineRenderer.render(entries, instance: name, zone: report.logZone,
                                      style: TerminalStyle(enabled: color.enabled(isTTY: isatty(1) != 0))), terminator: "")
        if session.totals.inputErrors > 0 { throw ExitCode(ExitStatus.usage) }
    }
}
