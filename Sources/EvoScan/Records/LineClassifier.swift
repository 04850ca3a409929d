/// What a framed line is, judged from its first bytes only (the hot path runs this on every
/// line, so no regex and no allocation here).
public enum LineKind: UInt8, Sendable {
    /// An Evolution logger header (`[Evolution API]`, `[Evolution API Lite]`, colour or not).
    case evolutionHeader
    /// A Baileys pino JSON line.
    case pino
    /// npm, the deploy script and the Prisma CLI at container start.
    case cli
    /// A Prisma error printed by `console.log(error)` without a header, at column 0.
    case prismaBlock
    /// The PrismaClient log emitter (`prisma:error`).
    case prismaLog
    /// A known raw `console.log` line from Evolution's code (`evolution-logs.md` §8.3).
    case rawConsole
    /// A reverse proxy's access-log line (nginx, Apache, Traefik, Caddy, NPM) interleaved
    /// in the input: success evidence, a record by itself.
    case accessLog
    /// Anything else: a continuation of the open record, or a stray line.
    case other
}

public enum LineClassifier {
    /// Skips leading ANSI SGR/CSI sequences (a colour header starts with `ESC[1mESC[3Fm`).
    @inline(__always)
    static func skipANSI(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var i = start
        while i + 2 < end, b[i] == 0x1B, b[i + 1] == 0x5B {
            var j = i + 2
            while j < end, (0x30...0x3F).contains(b[j]) { j += 1 }
            guard j < end, (0x40...0x7E).contains(b[j]) else { return i }
            i = j + 1
        }
        return i
    }

    /// Classifies the line `b[start..<end]` (without its newline).
    @inline(__always)
    public static func classify(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> LineKind {
        guard start < end else { return .other }
        // Most lines: the default image's colour header, `ESC[1m ESC[3Xm [Evolution API`.
        if end - start > 23, b[start] == 0x1B, Bytes.hasPrefix(b, at: start, "\u{1B}[1m\u{1B}[3"), b[start + 8] == UInt8(ascii: "m"),
           Bytes.hasPrefix(b, at: start + 9, "[Evolution API") { return .evolutionHeader }
        var i = start
        if b[i] == 0x1B { i = skipANSI(b, start, end) ; guard i < end else { return .other } }
        switch b[i] {
        case UInt8(ascii: "["):
            if Bytes.hasPrefix(b, at: i, "[Evolution API") { return .evolutionHeader }
        case UInt8(ascii: "E"):
            // Pastes that lost the first character; Prisma CLI errors.
            if Bytes.hasPrefix(b, at: i, "Evolution API]") || Bytes.hasPrefix(b, at: i, "Evolution API Lite]") { return .evolutionHeader }
            if isPrismaCLIError(b, i, end) { return .cli }
            if Bytes.hasPrefix(b, at: i, "Error [PrismaClient") { return .prismaBlock }
        case UInt8(ascii: "{"):
            if Bytes.hasPrefix(b, at: i, "{\"level\":") { return .pino }
        case UInt8(ascii: "P"):
            if Bytes.hasPrefix(b, at: i, "PrismaClient") { return .prismaBlock }
            if Bytes.hasPrefix(b, at: i, "Prisma schema loaded") || Bytes.hasPrefix(b, at: i, "Prisma generate") { return .cli }
        case UInt8(ascii: "p"):
            if Bytes.hasPrefix(b, at: i, "prisma:") { return .prismaLog }
        case UInt8(ascii: "n"):
            if Bytes.hasPrefix(b, at: i, "npm error ") || Bytes.hasPrefix(b, at: i, "npm ERR!") || Bytes.hasPrefix(b, at: i, "npm warn ")
                || Bytes.hasPrefix(b, at: i, "npm WARN ") { return .cli }
        case UInt8(ascii: ">"):
            if i + 1 < end, b[i + 1] == 0x20 { return .cli }
        case UInt8(ascii: "D"):
            if Bytes.hasPrefix(b, at: i, "Deploying migrations") || Bytes.hasPrefix(b, at: i, "Database URL:")
                || Bytes.hasPrefix(b, at: i, "Datasource \"") { return .cli }
        case UInt8(ascii: "M"):
            if Bytes.hasPrefix(b, at: i, "Migration succeeded") || Bytes.hasPrefix(b, at: i, "Migration failed") { return .cli }
        case UInt8(ascii: "N"):
            if Bytes.hasPrefix(b, at: i, "No pending migrations") { return .cli }
        case UInt8(ascii: "r"):
            if Bytes.hasPrefix(b, at: i, "recv ") { return .rawConsole }
        case UInt8(ascii: "C"):
            if Bytes.hasPrefix(b, at: i, "Cache request for group:") || Bytes.hasPrefix(b, at: i, "CB:")
                || Bytes.hasPrefix(b, at: i, "Chat insert record ignored") { return .rawConsole }
        case UInt8(ascii: "s"):
            if Bytes.hasPrefix(b, at: i, "stanza ") { return .rawConsole }
        case UInt8(ascii: "c"):
            if Bytes.hasPrefix(b, at: i, "create instance ") { return .rawConsole }
        case 0x30...0x39:
            // "<n> migrations found in prisma/migrations"
            var j = i
            while j < end, Bytes.isDigit(b[j]) { j += 1 }
            if Bytes.hasPrefix(b, at: j, " migration") { return .cli }
        default:
            break
        }
        return .other
    }

    /// `Error: P1001: …` / `Error code: P3018`: a Prisma CLI error line.
    public static func isPrismaCLIError(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        (Bytes.hasPrefix(b, at: start, "Error: P") && start + 9 <= end && Bytes.isDigit(b[start + 8]))
            || Bytes.hasPrefix(b, at: start, "Error code: P")
    }

    /// A colour-layout object body ends at a line at indentation 0 that ends with a space
    /// (`}␠`, `]␠`, `{ stderr: 2 }␠`, `null␠`) directly followed by an empty line.
    @inline(__always)
    public static func isTerminatorCandidate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Bool {
        guard end - start >= 2, b[end - 1] == 0x20 else { return false }
        let c = b[start]
        return c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == UInt8(ascii: "{") || c == UInt8(ascii: "n")
            || c == UInt8(ascii: "u") || c == UInt8(ascii: "[")
    }

    /// Where a line's text ends: before trailing spaces and SGR codes (`… text ESC[0m`).
    @inline(__always)
    public static func textEnd(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> Int {
        var j = end
        // Most colour lines end `… text ESC[0m`: skip that reset without the general loop.
        if j - start >= 5, b[j - 1] == UInt8(ascii: "m"), b[j - 4] == 0x1B, b[j - 3] == UInt8(ascii: "["), b[j - 2] == UInt8(ascii: "0") {
            j -= 4
        }
        while j > start {
            let c = b[j - 1]
            if c == 0x20 { j -= 1; continue }
            if c == UInt8(ascii: "m") {
                // Skip a trailing SGR sequence backwards.
                var k = j - 1
                while k > start, (0x30...0x3F).contains(b[k - 1]) { k -= 1 }
                if k >= start + 2, b[k - 1] == 0x5B, b[k - 2] == 0x1B { j = k - 2; continue }
            }
            break
        }
        return j
    }

    /// Does an Evolution header line announce an object whose body follows on the next
    /// lines (colour layout: the line ends right after `[object]`)? `textEnd` is the
    /// line's `textEnd`.
    @inline(__always)
    public static func headerAwaitsBody(_ b: UnsafeRawBufferPointer, _ start: Int, _ textEnd: Int) -> Bool {
        textEnd - start >= 8 && b[textEnd - 1] == UInt8(ascii: "]") && Bytes.hasPrefix(b, at: textEnd - 8, "[object]")
    }

    /// 2.3.2+ `INFO [ProxyController] [string] testProxy: proxy connection successful`: the
    /// Evolution side's evidence that `/proxy/set` answered 201 (`silent-failures.md` §7).
    @inline(__always)
    public static func endsWithTestProxySuccess(_ b: UnsafeRawBufferPointer, _ start: Int, _ textEnd: Int) -> Bool {
        textEnd - start >= 38 && b[textEnd - 1] == UInt8(ascii: "l")
            && Bytes.hasPrefix(b, at: textEnd - 38, "testProxy: proxy connection successful")
    }
}
