/// Picks the framer for one input from its first block (`inputs.md` §7): journald JSON,
/// docker json-file, a prefixed text transport, or plain text (with the doubled-blank-line
/// paste repaired). Detection is by content only, never by file name.
public enum FramerSniffer {
    static let sampleLines = 400

    /// The framer for a transport detected earlier (`--state` resumes an input in the
    /// middle, where sniffing could guess differently than at its start).
    public static func framer(forTransport name: String) -> Framer? {
        switch name {
        case PlainFramer().transport: return PlainFramer()
        case UndoubledBlankLinesFramer().transport: return UndoubledBlankLinesFramer()
        case JournalJSONFramer().transport: return JournalJSONFramer()
        case DockerJSONFramer().transport: return DockerJSONFramer()
        case LokiJSONLFramer().transport: return LokiJSONLFramer()
        default:
            if let i = TransportPrefix.all.firstIndex(where: { $0.name == name }) { return PrefixedTextFramer(initialKind: i) }
            return nil
        }
    }

    public static func framer(for head: UnsafeRawBufferPointer) -> Framer {
        var lines: [UnsafeRawBufferPointer] = []
        var p = 0
        while p < head.count, lines.count < sampleLines {
            let nl = Bytes.index(of: 0x0A, in: head, from: p) ?? head.count
            var end = nl
            if end > p, head[end - 1] == 0x0D { end -= 1 }
            lines.append(UnsafeRawBufferPointer(rebasing: head[p..<end]))
            p = nl + 1
        }
        let nonEmpty = lines.filter { !$0.isEmpty }
        guard let first = nonEmpty.first else { return PlainFramer() }
        if Bytes.hasPrefix(first, at: 0, "{\"__CURSOR\"") || Bytes.hasPrefix(first, at: 0, "{ \"__CURSOR\"")
            || Bytes.hasPrefix(first, at: 0, "\u{1E}{") {
            return JournalJSONFramer()
        }
        if LokiJSONLFramer.looksLikeEntry(first) { return LokiJSONLFramer() }
        if Bytes.hasPrefix(first, at: 0, "{\"log\":") { return DockerJSONFramer() }

        let scratch = RegexScratch()
        var counts = [Int](repeating: 0, count: TransportPrefix.all.count)
        var stripped: [UInt8] = []
        for line in nonEmpty {
            let hit: Int? = {
                if line.first == 0x1B {
                    Bytes.stripANSIAndCR(line, into: &stripped)
                    return stripped.withUnsafeBytes { s in TransportPrefix.all.firstIndex { scratch.firstMatch($0.regex, in: s) != nil } }
                }
                return TransportPrefix.all.firstIndex { scratch.firstMatch($0.regex, in: line) != nil }
            }()
            if let hit { counts[hit] += 1 }
        }
        let prefixed = counts.reduce(0, +)
        if prefixed * 2 >= nonEmpty.count, let best = counts.indices.max(by: { counts[$0] < counts[$1] }), counts[best] > 0 {
            return PrefixedTextFramer(initialKind: best)
        }
        if looksDoubled(lines) { return UndoubledBlankLinesFramer() }
        return PlainFramer()
    }

    /// Every second line empty (≥ 90 % over the sample): a web-console paste.
    static func looksDoubled(_ lines: [UnsafeRawBufferPointer]) -> Bool {
        guard lines.count >= 8 else { return false }
        var odd = 0
        var emptyOdd = 0
        var i = 1
        while i < lines.count { odd += 1; if lines[i].isEmpty { emptyOdd += 1 }; i += 2 }
        var evenNonEmpty = 0
        var even = 0
        i = 0
        while i < lines.count { even += 1; if !lines[i].isEmpty { evenNonEmpty += 1 }; i += 2 }
        return emptyOdd * 10 >= odd * 9 && evenNonEmpty * 2 >= even
    }
}
