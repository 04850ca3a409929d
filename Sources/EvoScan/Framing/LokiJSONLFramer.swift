/// Grafana Loki through its CLI: `logcli query --output=jsonl '{…}'` prints one JSON object
/// per Loki entry, `{"labels":{…},"line":"…","timestamp":"<RFC3339Nano>"}` (Go's
/// `encoding/json`: keys sorted, `\u001b`, `\u003c`/`\u003e`/`\u0026` escapes, zeros of the
/// fraction trimmed, `Z` or the `--timezone` offset). `labels` is left out by `--no-labels`
/// and is `{}` when every label is common to the batch. Loki keeps one entry per line, so a
/// multi-line record arrives as several entries; streams are keyed by all their labels so
/// that interleaved hosts and units reassemble apart. An entry that holds several lines (a
/// multiline stage in the shipper) is handed on as those lines, in their order.
///
/// **Order.** logcli prints newest first unless given `--forward`. The direction is taken
/// from the first timestamp steps (a vote over the first `decisionSteps` strict steps).
/// Forward input streams through untouched. Backward input is turned round in bounded
/// windows: lines are held while the log runs backwards, and a window is handed on
/// reversed, so oldest first, at every pause of at least `pauseMicros` (no record spans a
/// pause: its lines are written by one console call), at every step forwards in time
/// (a new backward run: the next file, another parallel job), and, when a window reaches
/// `windowBytes` or `windowLines` without a pause, at the longest silence in its older
/// half (so at least half the window moves on each time). Windows come out newest window
/// first, each in time order: records, pairs and streams come out whole, and the order of
/// the events is only roughly reversed. The transport name says that this happened.
///
/// Limits: entries with one timestamp keep the order logcli printed them in (its sort is
/// not stable, either way); without `--include-common-labels` logcli drops the labels
/// common to a batch, so a stream's label set can change at a batch boundary; and failures
/// from backward input reach the correlator newest window first, so evidence logged after
/// a failure in the same input can come too late for it.
public final class LokiJSONLFramer: LineByLineFramer {
    public enum Direction: Sendable { case undecided, forward, backward }

    public private(set) var transport = "loki-jsonl"
    public private(set) var direction = Direction.undecided
    public private(set) var malformedLines = 0
    /// Windows of backward input handed on at the longest silence because no pause of
    /// `pauseMicros` came before the window filled.
    public private(set) var forcedCuts = 0

    var output = FramedOutput()
    /// Loki has no partial entries; kept for `LineByLineFramer`.
    var partials = PartialLines()
    private var streams = StreamRegistry()
    private var message: [UInt8] = []
    private var labelBytes: [UInt8] = []
    private var labelSpans: [(key: Range<Int>, value: Range<Int>)] = []
    private var key: [UInt8] = []
    /// The raw `labels` of the last entry (empty when absent) and its stream: consecutive
    /// entries mostly share their labels, byte for byte.
    private var lastLabels: [UInt8]? = nil
    private var lastStream: Int32 = 0

    /// Lines held while the direction is undecided, or the current backward window, in
    /// input order.
    private struct Held {
        var start: Int
        var end: Int
        var stream: Int32
        var time: Int64
        var truncated: Bool
    }
    private var heldBytes: [UInt8] = []
    private var held: [Held] = []
    /// The last valid timestamp seen, in input order.
    private var lastTime = FrameSegment.noTime
    private var ascending = 0
    private var descending = 0

    let pauseMicros: Int64
    let windowBytes: Int
    let windowLines: Int
    static let decisionSteps = 8

    public init(pauseMicros: Int64 = 1_000_000, windowBytes: Int = 8 << 20, windowLines: Int = 65_536) {
        self.pauseMicros = pauseMicros
        self.windowBytes = windowBytes
        self.windowLines = max(windowLines, 2)
    }

    static let backwardTransport = "loki-jsonl (backward, reordered; use logcli --forward)"

    // MARK: Detection

    /// A logcli jsonl entry: a JSON object with a string `line`, and a `timestamp` in
    /// RFC 3339 or an object of `labels`.
    public static func looksLikeEntry(_ line: UnsafeRawBufferPointer) -> Bool {
        guard Bytes.contains(line, "\"line\"") else { return false }
        var hasLine = false
        var hasOther = false
        var scanner = JSONScanner(line)
        let ok = scanner.forEachMember { name, value in
            if JSONScanner.equal(name, "line") {
                hasLine = value.peek == 0x22
                return value.skipValue()
            }
            if JSONScanner.equal(name, "timestamp") {
                if let text = value.readScalarText(), Timestamps.parseRFC3339(text) != nil { hasOther = true }
                return true
            }
            if JSONScanner.equal(name, "labels") {
                if value.peek == UInt8(ascii: "{") { hasOther = true }
                return value.skipValue()
            }
            return value.skipValue()
        }
        return ok && hasLine && hasOther
    }

    // MARK: Decoding

    func frameLine(_ line: UnsafeRawBufferPointer, truncated: Bool) {
        guard line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        message.removeAll(keepingCapacity: true)
        var time = FrameSegment.noTime
        var hasLine = false
        var labels = UnsafeRawBufferPointer(start: nil, count: 0)
        var scanner = JSONScanner(line)
        let ok = scanner.forEachMember { name, value in
            if JSONScanner.equal(name, "line") {
                guard value.peek == 0x22 else { return false }
                hasLine = true
                return value.readString(into: &message)
            }
            if JSONScanner.equal(name, "timestamp") {
                if let text = value.readScalarText(), let (t, _) = Timestamps.parseRFC3339(text) { time = t.micros }
                return true
            }
            if JSONScanner.equal(name, "labels") {
                guard value.peek == UInt8(ascii: "{") else { return value.skipValue() }
                guard let raw = value.readRawValue() else { return false }
                labels = raw
                return true
            }
            return value.skipValue()
        }
        guard ok, hasLine, let stream = streamID(labels) else {
            // Not a logcli entry: keep the text so that nothing is lost.
            malformedLines += 1
            route(line, stream: 0, time: FrameSegment.noTime, truncated: true)
            return
        }
        // A shipper that kept the line's own newline: one line, not two.
        if message.last == 0x0A { message.removeLast() }
        message.withUnsafeBytes { route($0, stream: stream, time: time, truncated: truncated) }
    }

    /// `labels`: name and value spans in `labelBytes`.
    private func readLabels(_ raw: UnsafeRawBufferPointer) -> Bool {
        var labels = JSONScanner(raw)
        return labels.forEachMember { name, value in
            let k = labelBytes.count
            labelBytes.append(contentsOf: name)
            let v = labelBytes.count
            if value.peek == 0x22 {
                guard value.readString(into: &labelBytes) else { return false }
            } else {
                guard let text = value.readScalarText() else { return false }
                labelBytes.append(contentsOf: text)
            }
            labelSpans.append((k..<v, v..<labelBytes.count))
            return true
        }
    }

    /// The stream of the entry just read: all labels, sorted by name, joined. Nil when the
    /// labels are malformed.
    private func streamID(_ raw: UnsafeRawBufferPointer) -> Int32? {
        if let last = lastLabels, last.withUnsafeBytes({ JSONScanner.equal($0, raw) }) { return lastStream }
        labelBytes.removeAll(keepingCapacity: true)
        labelSpans.removeAll(keepingCapacity: true)
        if !raw.isEmpty { guard readLabels(raw) else { return nil } }
        key.removeAll(keepingCapacity: true)
        labelBytes.withUnsafeBytes { b in
            if labelSpans.count > 1 {
                labelSpans.sort { b[$0.key].lexicographicallyPrecedes(b[$1.key]) }
            }
            for span in labelSpans {
                key.append(contentsOf: b[span.key])
                key.append(UInt8(ascii: "="))
                key.append(contentsOf: b[span.value])
                key.append(0)
            }
        }
        lastStream = streams.id(for: key)
        lastLabels = Array(raw)
        return lastStream
    }

    // MARK: Order

    private func route(_ content: UnsafeRawBufferPointer, stream: Int32, time: Int64, truncated: Bool) {
        switch direction {
        case .forward:
            output.emit(content, stream: stream, time: time, truncated: truncated)
        case .backward:
            addBackward(content, stream: stream, time: time, truncated: truncated)
        case .undecided:
            if time != FrameSegment.noTime, lastTime != FrameSegment.noTime {
                if time > lastTime { ascending += 1 } else if time < lastTime { descending += 1 }
            }
            if time != FrameSegment.noTime { lastTime = time }
            hold(content, stream: stream, time: time, truncated: truncated)
            if ascending + descending >= Self.decisionSteps || heldBytes.count >= windowBytes || held.count >= windowLines {
                decide()
            }
        }
    }

    private func hold(_ content: UnsafeRawBufferPointer, stream: Int32, time: Int64, truncated: Bool) {
        let start = heldBytes.count
        heldBytes.append(contentsOf: content)
        held.append(Held(start: start, end: heldBytes.count, stream: stream, time: time, truncated: truncated))
    }

    /// Ends the undecided phase: the majority of the strict steps so far (ties: forward).
    private func decide() {
        if descending > ascending {
            direction = .backward
            transport = Self.backwardTransport
            // Replay the held lines through the backward window.
            let bytes = heldBytes
            let lines = held
            heldBytes.removeAll(keepingCapacity: true)
            held.removeAll(keepingCapacity: true)
            lastTime = FrameSegment.noTime
            bytes.withUnsafeBytes { b in
                for h in lines {
                    addBackward(UnsafeRawBufferPointer(rebasing: b[h.start..<h.end]), stream: h.stream, time: h.time, truncated: h.truncated)
                }
            }
        } else {
            direction = .forward
            heldBytes.withUnsafeBytes { b in
                for h in held {
                    output.emit(UnsafeRawBufferPointer(rebasing: b[h.start..<h.end]), stream: h.stream, time: h.time, truncated: h.truncated)
                }
            }
            heldBytes.removeAll()
            held.removeAll()
        }
    }

    private func addBackward(_ content: UnsafeRawBufferPointer, stream: Int32, time: Int64, truncated: Bool) {
        if time != FrameSegment.noTime, lastTime != FrameSegment.noTime,
           time > lastTime || lastTime - time >= pauseMicros {
            // A step forwards (a new backward run) or a pause: no record spans it.
            handOnNewest(held.count)
        }
        if time != FrameSegment.noTime { lastTime = time }
        hold(content, stream: stream, time: time, truncated: truncated)
        if heldBytes.count >= windowBytes || held.count >= windowLines {
            forcedCuts += 1
            handOnNewest(longestSilenceInOlderHalf())
        }
    }

    /// The cut `c` (between `held[c - 1]` and `held[c]`), `c` in the older half, where the
    /// time falls most. Lines without a time count as at the time before them.
    private func longestSilenceInOlderHalf() -> Int {
        let n = held.count
        guard n >= 2 else { return n }
        var previous = FrameSegment.noTime
        for i in 0..<(n / 2) where held[i].time != FrameSegment.noTime { previous = held[i].time }
        var best = n / 2
        var bestGap: Int64 = -1
        for c in max(n / 2, 1)..<n {
            let t = held[c].time
            if t == FrameSegment.noTime { continue }
            let gap = previous == FrameSegment.noTime ? 0 : previous - t
            if gap >= bestGap { bestGap = gap; best = c }
            previous = t
        }
        return best
    }

    /// Hands on the `count` newest held lines, oldest first, and keeps the rest.
    private func handOnNewest(_ count: Int) {
        guard count > 0 else { return }
        heldBytes.withUnsafeBytes { b in
            for h in held[0..<count].reversed() {
                output.emit(UnsafeRawBufferPointer(rebasing: b[h.start..<h.end]), stream: h.stream, time: h.time, truncated: h.truncated)
            }
        }
        if count == held.count {
            heldBytes.removeAll(keepingCapacity: heldBytes.capacity <= windowBytes * 2)
            held.removeAll(keepingCapacity: true)
            return
        }
        let shift = held[count].start
        heldBytes.removeSubrange(0..<shift)
        held.removeSubrange(0..<count)
        for i in held.indices {
            held[i].start -= shift
            held[i].end -= shift
        }
    }

    public func finish(into sink: FramedLineSink) {
        output.reset()
        if direction == .undecided { decide() }
        if direction == .backward { handOnNewest(held.count) }
        partials.drain(into: &output)
        output.flush(into: sink)
    }
}

extension LokiJSONLFramer: StreamNaming {
    public func streamKey(_ id: Int32) -> String { streams.name(id) }
    public func streamID(forKey key: String) -> Int32 { streams.id(for: Array(key.utf8)) }
}
