/// Text transports that prefix every line (journalctl short modes, `docker logs -t`,
/// compose, Docker Desktop, pm2, kubectl `--prefix`, CRI, web viewers). The prefix kind is
/// re-checked on every line, last kind first, because one input can mix several
/// (`journalctl -u a -u b`, a compose log of several services). The prefix is removed,
/// its UTC timestamp kept, and the line is tagged with its stream.
public final class PrefixedTextFramer: LineByLineFramer {
    public private(set) var transport: String
    private let prefixes: [TransportPrefix]
    private let scratch = RegexScratch()
    var streams = StreamRegistry()
    private var lastKind = 0
    private var lastStream: Int32 = 0
    var output = FramedOutput()
    private var stripped: [UInt8] = []
    private var key: [UInt8] = []
    /// CRI partial chunks waiting for their `F` chunk, per stream.
    var partials = PartialLines()

    public init(prefixes: [TransportPrefix] = TransportPrefix.all, initialKind: Int = 0) {
        self.prefixes = prefixes
        self.lastKind = initialKind
        self.transport = prefixes[initialKind].name
    }

    func frameLine(_ raw: UnsafeRawBufferPointer, truncated: Bool) {
        // Compose and pm2 colour their prefix on a TTY: match on an ANSI-free copy then.
        if raw.first == 0x1B {
            Bytes.stripANSIAndCR(raw, into: &stripped)
            stripped.withUnsafeBytes { frameText($0, truncated: truncated, wasColoured: true, raw: raw) }
        } else {
            frameText(raw, truncated: truncated, wasColoured: false, raw: raw)
        }
    }

    private func frameText(_ line: UnsafeRawBufferPointer, truncated: Bool, wasColoured: Bool, raw: UnsafeRawBufferPointer) {
        guard let (kind, m) = matchPrefix(line) else {
            // No prefix: a continuation (journal short indents them) of the last stream.
            output.emit(raw, stream: lastStream, time: FrameSegment.noTime, truncated: truncated)
            return
        }
        let prefix = prefixes[kind]
        var contentStart = m.range.upperBound
        var time = FrameSegment.noTime
        switch prefix.clock {
        case .rfc3339:
            if let r = m.range(prefix.regex.group("ts")), let (t, _) = Timestamps.parseRFC3339(UnsafeRawBufferPointer(rebasing: line[r])) {
                time = t.micros
            }
        case .unix:
            if let s = m.range(prefix.regex.group("sec")), let u = m.range(prefix.regex.group("us")),
               let sec = Bytes.parseInt(line, s), let us = Bytes.parseInt(line, u) {
                time = Int64(sec) * 1_000_000 + Int64(us)
            }
        case .namedZone:
            if let z = m.range(prefix.regex.group("zone")), Bytes.string(line, z) == "UTC",
               let r = m.range(prefix.regex.group("ts")) {
                var iso = Array(UnsafeRawBufferPointer(rebasing: line[r]))
                iso.append(0x5A)
                if let (t, _) = iso.withUnsafeBytes({ Timestamps.parseRFC3339($0) }) { time = t.micros }
            }
        case .none:
            break
        }
        if prefix.timestampMayFollow, let ts = scratch.firstMatch(TransportPrefix.dockerTimestamp, in: line, from: contentStart),
           let r = ts.range(TransportPrefix.dockerTimestamp.group("ts")),
           let (t, _) = Timestamps.parseRFC3339(UnsafeRawBufferPointer(rebasing: line[r])) {
            time = t.micros
            contentStart = ts.range.upperBound
        }
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: prefix.name.utf8)
        for g in prefix.keyGroups {
            key.append(0)
            if let r = m.range(prefix.regex.group(g)) { key.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[r])) }
        }
        let stream = key.withUnsafeBytes { streams.id(for: $0) }
        lastStream = stream
        // Keep the Evolution line's own ANSI codes: strip only the prefix. When the prefix
        // was coloured we matched on a stripped copy, so hand on the stripped remainder.
        let content = UnsafeRawBufferPointer(rebasing: line[contentStart...])
        if prefix.hasPartialFlag, let f = m.range(prefix.regex.group("flags")) {
            let partial = line[f.lowerBound] == UInt8(ascii: "P")
            if partial || partials.isPending(stream) {
                if let joined = partials.join(content, stream: stream, time: time, partial: partial) {
                    output.emit(joined.bytes, stream: stream, time: joined.time, truncated: truncated)
                }
                return
            }
        }
        output.emit(content, stream: stream, time: time, truncated: truncated)
    }

    private func matchPrefix(_ line: UnsafeRawBufferPointer) -> (Int, RegexMatch)? {
        if let m = scratch.firstMatch(prefixes[lastKind].regex, in: line) { return (lastKind, m) }
        for (i, prefix) in prefixes.enumerated() where i != lastKind {
            if let m = scratch.firstMatch(prefix.regex, in: line) {
                lastKind = i
                transport = prefix.name
                return (i, m)
            }
        }
        return nil
    }

}

extension PrefixedTextFramer: StreamNaming {
    public func streamKey(_ id: Int32) -> String { streams.name(id) }
    public func streamID(forKey key: String) -> Int32 { streams.id(for: Array(key.utf8)) }
}
