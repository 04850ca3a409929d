import ArgumentParser
import EvoScan

struct ConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check the config file in use, or print the built-in knowledge in the config's format.",
        discussion: """
        A config file teaches evoscan what a fork or a newer Evolution release does \
        differently, without a rebuild: silent endpoints ([[silent-endpoint]]), remediation \
        hints ([[remediation]]), redaction rules ([[redaction]]), access-log formats \
        ([[access-log-format]]) and the defaults of --log-tz, --window and --format \
        ([defaults]). It is read on top of the built-in knowledge, which is written in the \
        same format: --print-defaults shows every key with its meaning.

        Without --print-defaults, the config in use is read and checked, and what it adds \
        is listed; an invalid one is reported as FILE:LINE: key: problem, with exit status 2.

        \(UsageExamples.config)
        """
    )

    @Flag(name: .customLong("print-defaults"), help: "Print the built-in knowledge as a config file.")
    var printDefaults = false

    @OptionGroup(title: "Config file")
    var configFile: ConfigOptions

    func run() throws {
        if printDefaults {
            print(BuiltInConfig.text, terminator: "")
            return
        }
        let knowledge = try configFile.knowledge()
        let builtIn = Knowledge.builtIn
        var out = "config: " + (configFile.path ?? "none (built-in knowledge only; user file: \(ConfigOptions.userConfigPath() ?? "no HOME"))") + "\n"
        let added = knowledge.writeMap.rows.filter { !builtIn.writeMap.rows.contains($0) }
        let removed = builtIn.writeMap.rows.filter { row in !knowledge.writeMap.rows.contains { $0.endpoint == row.endpoint && $0.model == row.model } }
        out += "silent endpoints: \(knowledge.writeMap.rows.count) (\(added.count) added or changed, \(removed.count) switched off)\n"
        for row in added { out += "  + \(row.template) → \(row.model) (\(row.method), index \(row.index)), silent \(row.versions.prose)\n" }
        for row in removed { out += "  - \(row.endpoint) → \(row.model)\n" }
        out += "remediation hints: \(knowledge.remediation.rows.count) (\(knowledge.remediation.rows.filter { !builtIn.remediation.rows.contains($0) }.count) from the config)\n"
        out += "redaction rules: \(knowledge.redactions.map(\.name).joined(separator: ", "))\n"
        out += "access-log formats: \(knowledge.accessLogs.formatNames.joined(separator: ", "))\n"
        let d = knowledge.defaults
        out += "defaults: log-tz \(d.logTZ ?? "inferred"), window \(d.window) s, format \(d.format)\n"
        print(out, terminator: "")
    }
}
