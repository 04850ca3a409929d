import ArgumentParser
import Foundation
import EvoScan

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Combine partial summaries (scan --format json) from several runs or hosts into one.",
        discussion: """
        The result equals a single scan over all the partials' inputs: groups, counts, \
        first and last seen, per-instance totals and per-minute trends, silent failures. \
        Partials that read the same bytes of the same input are refused (an exact duplicate \
        is counted once, with a warning), so nothing is counted twice.

        Examples:
          evoscan merge host-a/2025-06-10.json host-b/2025-06-10.json
          evoscan merge --format json nightly/*.json > month.json
        """
    )

    @Option(name: .long, help: "Output format: table or json (a partial again, mergeable further).")
    var format: OutputFormat = .table

    @Option(name: .customLong("fail-on"), help: "Exit 1 on: confirmed silent failures, probable ones too (with ambiguous), or never.")
    var failOn: FailOn = .probable

    @Option(name: .long, help: "Colour in the table: auto, always or never.")
    var color: ColorChoice = .auto

    @Argument(help: ArgumentHelp("Partial summaries written by `evoscan scan --format json`.", valueName: "SUMMARY"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one summary to merge") }
        if format == .ndjson { throw ValidationError("merge writes table or json (partials hold no per-failure stream)") }
    }

    mutating func run() throws {
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
        let merged: ScanReport
        do {
            let (report, warnings) = try PartialMerge.merge(partials, tool: "evoscan \(EvoScanVersion.string)")
            warnings.forEach { FileDiagnostics.line($0) }
            merged = report
        } catch let error as PartialMerge.OverlapError {
            FileDiagnostics.line("\(error)")
            throw ExitCode(ExitStatus.usage)
        }
        let out = EvoScan.OutputStream(fd: 1)
        do {
            switch format {
            case .json: try out.write(SummaryJSON.render(merged).serialized(pretty: true) + "\n")
            default: try out.write(TableRenderer.render(merged, style: TerminalStyle(enabled: color.enabled(isTTY: isatty(1) != 0))))
            }
            try out.flush()
        } catch is EvoScan.OutputStream.OutputClosed {
        }
        throw ExitCode(ExitStatus.forSilent(merged.aggregate.silentByConfidence, failOn: failOn))
    }
}
