import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import EvoScan

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, ndjson, json, csv, markdown, html, prometheus

    /// Formats made from a summary (no per-failure stream needed).
    var fromSummary: Bool { self != .ndjson && self != .csv }
}

/// Renders a finished report in a summary format (table, json, markdown, html, prometheus).
func renderSummary(_ report: ScanReport, as format: OutputFormat, color: ColorChoice, maxRows: Int, toTTY: Bool) -> String {
    switch format {
    case .json: return SummaryJSON.render(report).serialized(pretty: true, newline: true)
    case .markdown: return MarkdownRenderer.render(report)
    case .html: return HTMLRenderer.render(report)
    case .prometheus: return PrometheusRenderer.render(report, now: Int64(time(nil)))
    case .table, .ndjson, .csv:
        return TableRenderer.render(report, style: TerminalStyle(enabled: color.enabled(isTTY: toTTY)), maxRows: maxRows)
    }
}

/// Where a report goes: standard output, or `--output FILE` written atomically.
final class ReportDestination {
    let stream: EvoScan.OutputStream
    let file: AtomicFile?

    init(path: String?) throws {
        if let path {
            do { file = try AtomicFile(path: path) } catch let error as AtomicFile.WriteError {
                FileDiagnostics.line(error.description)
                throw ExitCode(ExitStatus.usage)
            }
            stream = EvoScan.OutputStream(fd: file!.fd)
        } else {
            file = nil
            stream = EvoScan.OutputStream(fd: 1)
        }
    }

    var isTerminal: Bool { file == nil && isatty(1) != 0 }

    /// Finishes: flushes, and renames the file into place (or removes it on failure).
    func finish(failed: Bool) throws {
        guard let file else { return }
        if failed { file.discard(); return }
        do { try file.commit() } catch let error as AtomicFile.WriteError {
            FileDiagnostics.line(error.description)
            throw ExitCode(ExitStatus.usage)
        }
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    /// Colour only on a terminal, and never with `NO_COLOR` set (no-color.org).
    func enabled(isTTY: Bool) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto: return isTTY && (getenv("NO_COLOR").map { String(cString: $0).isEmpty } ?? true)
        }
    }
}

/// Which silent failures make the exit status 1.
enum FailOn: String, ExpressibleByArgument, CaseIterable {
    /// confirmed only
    case confirmed
    /// confirmed, ambiguous (some instance was told success) and probable
    case probable
    case never
}

/// Set by the SIGINT/SIGTERM handler in `--follow` (async-signal-safe: a plain store).
nonisolated(unsafe) var stopRequested: sig_atomic_t = 0

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan Evolution API logs for Prisma errors.",
        discussion: """
        Inputs are files (plain or gzip, detected by content) or - for standard input; \
        with no FILE, standard input is read when it is not a terminal. The transport \
        (docker logs -t, docker compose, pm2, kubectl --prefix, CRI, journalctl short \
        modes and -o json, docker json-file) is detected per input.

        Silent failures: give the reverse proxy's access log with --access-log (nginx, \
        Apache, Nginx Proxy Manager, Traefik CLF or JSON, Caddy JSON; or interleave it in \
        the input, e.g. journalctl -u evolution -u nginx -o json). A failure on a write that \
        answers before it finishes is matched with the 2xx request for that endpoint within \
        --window seconds (wider for pool and connection timeouts) and attributed to the \
        instance in its path.

        Exit status: 0 no silent failure found, 1 silent failures found (see --fail-on), \
        2 usage or input error (an unreadable input is reported on stderr and the others \
        are still scanned).

        \(UsageExamples.scan)
        """
    )

    @Option(name: .long, help: "Output format: table, ndjson (one failure per line), json (summary, mergeable), csv (one row per failure), markdown, html or prometheus (default: table, or the config's).")
    var format: OutputFormat?

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to FILE (replaced atomically) instead of standard output.", valueName: "FILE"))
    var output: String?

    @Option(name: .customLong("log-tz"), parsing: .unconditional, help: ArgumentHelp("Zone of Evolution's header times: an IANA name or ±HH:MM.", discussion: "Default: the config's, else inferred from UTC transport timestamps when present, else America/Sao_Paulo (the official image's TZ).", valueName: "ZONE"))
    var logTZ: String?

    @Option(name: .customLong("access-log"), help: ArgumentHelp("A reverse proxy's access log (repeatable; gzip too): what clients were told.", valueName: "FILE"))
    var accessLogs: [String] = []

    @Option(name: .long, help: ArgumentHelp("Seconds between a request's end and the failure it may explain (pool and connection timeouts add their own delay; default: 2, or the config's).", valueName: "SECONDS"))
    var window: Int?

    @Option(name: .customLong("fail-on"), help: "Exit 1 on: confirmed silent failures, probable ones too (with ambiguous), or never.")
    var failOn: FailOn = .probable

    @Option(name: .long, help: ArgumentHelp("Only failures at or after this time: ISO 8601 (zone-less = local time), today, yesterday, or relative such as -24h, -30m.", valueName: "TIME"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only failures before this time (same forms as --since).", valueName: "TIME"))
    var until: String?

    @Option(name: .long, help: ArgumentHelp("Cores to use (default: all): files scanned at once, one large plain file read in chunks, --access-log read beside the logs; results equal a serial run (--jobs 1).", valueName: "N"))
    var jobs: Int?

    @Flag(name: .long, help: "Keep reading as the log grows (standard input, or one file followed through rotation like tail -F); print each failure as soon as it is decided; Ctrl-C prints the summary.")
    var follow = false

    @Option(name: .long, help: ArgumentHelp("Remember where each input stopped in FILE and read only what is new next time (nightly jobs).", valueName: "FILE"))
    var state: String?

    @Option(name: .customLong("source-id"), help: ArgumentHelp("Name of the host or source in the summary's coverage (default: this host's name).", valueName: "ID"))
    var sourceID: String?

    @Option(name: .long, help: "Colour in the table: auto (a terminal without NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    @Option(name: .customLong("max-rows"), help: "Rows per table section.")
    var maxRows: Int = 50

    @Option(name: .customLong("record-cap"), help: ArgumentHelp("Largest record kept, in bytes; longer ones are cut and counted as truncated.", visibility: .hidden))
    var recordCap: Int = 1 << 20

    @OptionGroup(title: "Config file")
    var configFile: ConfigOptions

    @Argument(help: ArgumentHelp("Log files (plain or gzip), directories (read recursively) or quoted globs; - for standard input.", valueName: "FILE"))
    var files: [String] = []

    func validate() throws {
        if let logTZ, LogTimeZone(logTZ) == nil {
            throw ValidationError("--log-tz: unknown zone '\(logTZ)' (use an IANA name such as America/Sao_Paulo, or an offset such as -03:00)")
        }
        if recordCap < 4096 { throw ValidationError("--record-cap must be at least 4096") }
        if maxRows < 1 { throw ValidationError("--max-rows must be at least 1") }
        if let jobs, jobs < 1 || jobs > 256 { throw ValidationError("--jobs must be between 1 and 256") }
        if let window, window < 0 || window > 3600 { throw ValidationError("--window must be between 0 and 3600 seconds") }
        if follow && files.count > 1 { throw ValidationError("--follow reads one input: standard input or one file") }
        if follow && state != nil { throw ValidationError("--follow and --state do not combine: follow keeps running, --state is for runs that end") }
        let w = try timeWindow()
        if let a = w.since, let b = w.until, !(a < b) { throw ValidationError("--since must be earlier than --until") }
    }

    /// A progress line only for a person watching: stderr is a terminal, not in CI.
    static func progressLine(for paths: [String]) -> ProgressLine? {
        guard isatty(2) != 0, getenv("CI") == nil else { return nil }
        var total: Int64 = 0
        for p in paths {
            var st = stat()
            if stat(p, &st) == 0 { total += Int64(st.st_size) }
        }
        return ProgressLine(totalBytes: total)
    }

    func timeWindow() throws -> TimeWindow {
        let now = Instant(seconds: Int64(time(nil)))
        do {
            return TimeWindow(since: try since.map { try TimeWindow.parseBound($0, now: now) },
                              until: try until.map { try TimeWindow.parseBound($0, now: now) })
        } catch let error as TimeWindow.ParseError {
            throw ValidationError("--since/--until: \(error)")
        }
    }

    mutating func run() throws {
        var paths = InputExpander.expand(files)
        if paths.isEmpty {
            if isatty(0) != 0 {
                throw ValidationError("no input: give FILE arguments, or pipe logs in (e.g. journalctl -u evolution -o json | evoscan scan -)")
            }
            paths = ["-"]
        }
        if paths.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be given only once") }

        // Options not given take the config's defaults.
        var options = try configFile.sessionOptions(logTZ: logTZ, window: window)
        let format = self.format ?? OutputFormat(rawValue: options.knowledge.defaults.format) ?? .table
        options.recordCap = recordCap
        options.lineCap = max(recordCap, 4096)
        options.correlation.timeWindow = try timeWindow()
        if let sourceID { options.sourceID = sourceID }
        let session = ScanSession(options: options)
        session.onInputError = { FileDiagnostics.line("\($0.input): \($0.problem)") }
        session.onInputWarning = { FileDiagnostics.line("warning: \($0.input): \($0.problem)") }
        let destination = try ReportDestination(path: output)
        let out = destination.stream
        var closed = false
        let follow = self.follow

        if format == .csv {
            do { try out.write(CSVRenderer.headerLine()) } catch { closed = true }
            session.aggregate.onEvent = { event in
                guard !closed else { return }
                do {
                    try out.write(CSVRenderer.row(event))
                    if follow { try out.flush() }
                } catch { closed = true }
            }
        } else if format == .ndjson {
            session.aggregate.onEvent = { event in
                guard !closed else { return }
                do {
                    try out.write(EventJSON.failure(event).serialized() + "\n")
                    if let silent = EventJSON.silentFailure(event) { try out.write(silent.serialized() + "\n") }
                    // Live: every event reaches the reader at once.
                    if follow { try out.flush() }
                } catch { closed = true }
            }
        } else if format == .table && follow {
            let style = TerminalStyle(enabled: color.enabled(isTTY: isatty(1) != 0))
            session.aggregate.onEvent = { event in
                guard !closed else { return }
                do {
                    try out.write(LiveLine.render(event, style: style) + "\n")
                    try out.flush()
                } catch { closed = true }
            }
        }
        if let state {
            do {
                session.resume(from: try IncrementalState.load(state))
            } catch let error as IncrementalState.StateError {
                FileDiagnostics.line(error.description)
                throw ExitCode(ExitStatus.usage)
            }
        }
        // Evidence first: the correlation needs the requests before the failures arrive.
        // With a core to spare they are read beside the logs (decisions wait for them).
        let accessPaths = InputExpander.expand(accessLogs)
        let cores = jobs ?? ProcessInfo.processInfo.activeProcessorCount
        // One large plain file is read in chunks on that many cores.
        session.splitJobs = cores
        if !follow && state == nil && cores > 1 {
            session.scanAccessLogsConcurrently(paths: accessPaths)
        } else {
            for path in accessPaths { session.scanAccessLog(path: path) }
        }
        session.shouldStop = { closed }
        if follow {
            // Ctrl-C and SIGTERM end the follow; the summary so far is printed below.
            signal(SIGINT) { _ in stopRequested = 1 }
            signal(SIGTERM) { _ in stopRequested = 1 }
            session.follow(path: paths[0], shouldStop: { stopRequested != 0 || closed })
        } else if state == nil && format.fromSummary && !paths.contains("-") {
            let progress = Self.progressLine(for: paths)
            session.progress = progress
            progress?.begin()
            defer { progress?.end() }
            // ndjson streams events in input order, and --state hands records across
            // rotated files: both read one file after the other.
            session.scanInParallel(paths: paths, jobs: jobs ?? ProcessInfo.processInfo.activeProcessorCount)
        } else {
            session.scan(paths: paths)
        }
        let report = session.report(tool: "evoscan \(EvoScanVersion.string)")
        // What the workers freed goes back before the report is rendered (see MallocTuning).
        MallocTuning.releaseFreed()

        do {
            switch format {
            case .ndjson:
                // Live runs end with the summary so far, as one more line.
                if follow && !closed { try out.write(LiveLine.summary(report).serialized() + "\n") }
            case .csv:
                break
            case .json:
                // As bytes: the report is not copied into a String on the way out.
                let json = SummaryJSON.render(report).bytes(pretty: true, newline: true)
                try json.withUnsafeBytes { try out.write(bytes: $0) }
            default:
                try out.write(renderSummary(report, as: format, color: color, maxRows: maxRows, toTTY: destination.isTerminal))
            }
            try out.flush()
        } catch is EvoScan.OutputStream.OutputClosed {
            closed = true
        } catch {
            FileDiagnostics.line(output.map { "\($0): \(error)" } ?? "\(error)")
            try? destination.finish(failed: true)
            throw ExitCode(ExitStatus.usage)
        }
        try destination.finish(failed: false)
        // The state moves on only after the report is out: a run killed or failing before
        // this point leaves the previous state, and the next run reads the same bytes again.
        if let state, let updated = session.updatedState, !closed {
            do { try updated.save(state) } catch let error as IncrementalState.StateError {
                FileDiagnostics.line(error.description)
                throw ExitCode(ExitStatus.usage)
            }
        }
        if session.totals.inputErrors > 0 { throw ExitCode(ExitStatus.usage) }
        throw ExitCode(ExitStatus.forSilent(report.aggregate.silentByConfidence, failOn: failOn))
    }
}
