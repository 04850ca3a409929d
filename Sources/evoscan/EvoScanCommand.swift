import ArgumentParser
import EvoScan

/// Exit statuses evoscan promises (see README): 0 nothing silent found, 1 silent failures,
/// 2 usage or input error.
enum ExitStatus {
    static let clean: Int32 = 0
    static let silentFailures: Int32 = 1
    static let usage: Int32 = 2

    /// 1 when silent failures at the `--fail-on` level were found.
    static func forSilent(_ by: [SilentConfidence: Int], failOn: FailOn) -> Int32 {
        let alarming: Int
        switch failOn {
        case .confirmed: alarming = by[.confirmed] ?? 0
        case .probable: alarming = (by[.confirmed] ?? 0) + (by[.ambiguous] ?? 0) + (by[.probable] ?? 0)
        case .never: alarming = 0
        }
        return alarming > 0 ? silentFailures : clean
    }
}

struct EvoScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evoscan",
        abstract: "Find the database constraint violations behind Evolution API logs.",
        discussion: """
        evoscan reads Evolution API logs (files, gzip, stdin; docker, journald, pm2, kubectl \
        and more, detected automatically) and reports every Prisma error by code, model \
        and fields, and the instances that hit them.

        What evoscan knows about Evolution (the endpoints that answer before their write \
        finishes, remediation hints, redaction rules) is read from a config file when \
        there is one: --config FILE, else $XDG_CONFIG_HOME/evoscan/config.toml (or \
        ~/.config/evoscan/config.toml). evoscan config --print-defaults prints the \
        built-in knowledge in that format.

        \(UsageExamples.scan)
        """,
        version: "evoscan \(EvoScanVersion.string) (PCRE2 \(EvoScan.Regex.libraryVersion.version), JIT \(EvoScan.Regex.libraryVersion.jit ? "available" : "unavailable"))",
        subcommands: [ScanCommand.self, MergeCommand.self, ReportCommand.self, ExplainCommand.self, TimelineCommand.self, ConfigCommand.self],
        defaultSubcommand: ScanCommand.self
    )
}
