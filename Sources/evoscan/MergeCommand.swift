import ArgumentParser
import Foundation
import EvoScan

/// Options shared by `merge` and `report`: both read partial summaries and render them.
struct SummaryOptions: ParsableArguments {
    @Option(name: .long, help: "Output format: table, json (a partial again, mergeable further), markdown, html or prometheus (default: table, or the config's when it is one of these).")
    var format: OutputFormat?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to FILE (replaced atomically) instead of standard output.", valueName: "FILE"))
    var output: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 on: confirmed silent failures, probable ones too (with ambiguous), or never.")
    var failOn: FailOn = .probable

    @Option(name: .long, help: "Colour in the table: auto, always or never.")
    var color: ColorChoice = .auto

    @OptionGroup(title: "Config file")
    var configFile: ConfigOptions

    @Argument(help: ArgumentHelp("Summaries written by `evoscan scan --format json` (or by merge).", valueName: "SUMMARY"))
    var files: [String] = []

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one summary") }
        if let format, !format.fromSummary { throw ValidationError("\(format.rawValue) needs the failures one by one: use scan --format \(format.rawValue); summaries give table, json, markdown, html or prometheus") }
    }

    /// Reads, merges and renders the summaries; exits with the usual status.
    func run() throws -> Never {
        let knowledge = try configFile.knowledge()
        let configured = OutputFormat(rawValue: knowledge.defaults.format).flatMap { $0.fromSummary ? $0 : nil }
        let format = self.format ?? configured ?? .table
        var partials: [PartialMerge.Partial] = []
        var failed = false
        for path in files {
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                partials.append(.init(name: path, report: try SummaryReader.read(data, name: path), bytes: Array(data)))
            } catch let error as SummaryReader.ReadError {
                FileDiagnostics.line("\(error)")
                failed = true
            } catch {
                FileDiagnostics.line("\(path): cannot read: \((error as NSError).localizedDescription)")
                failed = true
            }
        }
        if failed { throw ExitCode(ExitStatus.usage) }
        var merged: ScanReport
        do {
            let (report, warnings) = try PartialMerge.merge(partials, tool: "evoscan \(EvoScanVersion.string)")
            warnings.forEach { FileDiagnostics.line($0) }
            merged = report
            // The hints are this run's: its config joins the partials' in the report.
            merged.remediation = knowledge.remediation
            for f in knowledge.files where !merged.configFiles.contains(f) { merged.configFiles.append(f) }
        } catch let error as PartialMerge.OverlapError {
            FileDiagnostics.line("\(error)")
            throw ExitCode(ExitStatus.usage)
        }
        let destination = try ReportDestination(path: output)
        do {
            try destination.stream.write(renderSummary(merged, as: format, color: color, maxRows: 50, toTTY: destination.isTerminal))
            try destination.stream.flush()
        } catch is EvoScan.OutputStream.OutputClosed {
        } catch {
            FileDiagnostics.line(output.map { "\($0): \(error)" } ?? "\(error)")
            try? destination.finish(failed: true)
            throw ExitCode(ExitStatus.usage)
        }
        try destination.finish(failed: false)
        throw ExitCode(ExitStatus.forSilent(merged.aggregate.silentByConfidence, failOn: failOn))
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine partial summaries (scan --format json) from several runs or hosts into one.",
        discussion: """
        The result equals a single scan over all the partials' inputs: groups, counts, \\
        first and last seen, per-instance totals and per-minute trends, silent failures. \\
        Partials that read the same bytes of the same input are refused (an exact duplicate \\
        is counted once, with a warning), so nothing is counted twice.

        \(UsageExamples.merge)
        """
    )

    @OptionGroup var options: SummaryOptions

    func run() throws { try options.run() }
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render saved or merged summaries: html for a browser, markdown for a postmortem, prometheus for alerting.",
        discussion: UsageExamples.report
    )

    @OptionGroup var options: SummaryOptions

    func run() throws { try options.run() }
}
