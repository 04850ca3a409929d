import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import EvoScan

/// `--config FILE` / `--no-config`, shared by every command that reads or reports logs.
/// Without either, `$XDG_CONFIG_HOME/evoscan/config.toml` (or `~/.config/…`) is read when
/// it exists, as ripgrep reads its `RIPGREP_CONFIG_PATH`.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Read this config file (TOML) on top of the built-in knowledge: endpoints, hints, redaction rules, access-log formats, defaults (see evoscan config --print-defaults).", discussion: "Default: $XDG_CONFIG_HOME/evoscan/config.toml (else ~/.config/evoscan/config.toml) when it exists.", valueName: "FILE"), completion: .file(extensions: ["toml"]))
    var config: String?

    @Flag(name: .customLong("no-config"), help: "Read no config file: the built-in knowledge only.")
    var noConfig = false

    func validate() throws {
        if config != nil && noConfig { throw ValidationError("--config and --no-config do not combine") }
    }

    /// The config file to read: `--config`, else the user's when it exists, else none.
    var path: String? {
        if noConfig { return nil }
        if let config { return config }
        guard let user = Self.userConfigPath() else { return nil }
        return access(user, F_OK) == 0 ? user : nil
    }

    /// `$XDG_CONFIG_HOME/evoscan/config.toml`; a relative XDG_CONFIG_HOME is ignored, as
    /// the XDG spec asks, for `$HOME/.config`.
    static func userConfigPath() -> String? {
        if let xdg = getenv("XDG_CONFIG_HOME").map({ String(cString: $0) }), xdg.hasPrefix("/") {
            return xdg + "/evoscan/config.toml"
        }
        guard let home = getenv("HOME").map({ String(cString: $0) }), !home.isEmpty else { return nil }
        return home + "/.config/evoscan/config.toml"
    }

    /// Scan options with the config's knowledge, and its defaults where the command line
    /// gave no `--log-tz` or `--window`.
    func sessionOptions(logTZ: String?, window: Int?) throws -> ScanSession.Options {
        let knowledge = try knowledge()
        var options = ScanSession.Options(logZone: (logTZ ?? knowledge.defaults.logTZ).flatMap(LogTimeZone.init))
        options.knowledge = knowledge
        options.correlation.window = Int64(window ?? knowledge.defaults.window)
        return options
    }

    /// The built-in knowledge with the config file read on top. A bad file is one line on
    /// stderr (`FILE:LINE: key: problem`) and exit status 2.
    func knowledge() throws -> Knowledge {
        guard let path else { return Knowledge.builtIn }
        do {
            return try Knowledge.builtIn.reading(file: path)
        } catch {
            FileDiagnostics.line("config: \(error.description)")
            throw ExitCode(ExitStatus.usage)
        }
    }
}
