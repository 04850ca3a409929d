#if canImport(Glibc)
import Glibc
#endif

/// Diagnostics go to stderr, one line each, prefixed with the program name.
enum FileDiagnostics {
    static func line(_ message: String) {
        let text = message.hasPrefix("evoscan") ? message : "evoscan: \(message)"
        var out = text.hasSuffix("\n") ? text : text + "\n"
        out.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
