import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import EvoScan

// A closed pipe (`evoscan … | head`) must end the program quietly: ignore SIGPIPE and let
// the write fail with EPIPE, which the output stream turns into a clean stop.
signal(SIGPIPE, SIG_IGN)

do {
    var command = try EvoScanCommand.parseAsRoot()
    try command.run()
} catch let exit as ExitCode {
    Glibc.exit(exit.rawValue)
} catch {
    // swift-argument-parser uses 64 for usage errors; evoscan promises 2.
    let code = EvoScanCommand.exitCode(for: error)
    let message = EvoScanCommand.fullMessage(for: error)
    if code == .success {
        print(UsageExamples.examplesLast(message))
        Glibc.exit(0)
    }
    FileDiagnostics.line(message)
    Glibc.exit(code == .validationFailure ? ExitStatus.usage : code.rawValue == 0 ? 0 : ExitStatus.usage)
}
