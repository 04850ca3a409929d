/// `journalctl -o json` (and `json-seq`): one JSON object per line, one journal entry per
/// line Node wrote. `MESSAGE` is a string, or an array of byte values whenever the line
/// held ANSI codes (every colour header), or `null` when it exceeded 4096 bytes without
/// `-a`. Entries are keyed by stream so that interleaved units and pids reassemble apart.
public final class JournalJSONFramer: LineByLineFramer {
    public let transport = "journald-json"
    var streams = StreamRegistry()
    var output = FramedOutput()
    private var message: [UInt8] = []
    private var key: [UInt8] = []
    private var keyParts: [[UInt8]] = Array(repeating: [], count: 6)
    /// Docker's journald driver splits lines over 16 KiB: partial entries wait here.
    var partials = PartialLines()
    public private(set) var malformedLines = 0
    /// The first and last `__CURSOR` read: the journal range a partial summary covers.
    public private(set) var firstCursor: String?
    public private(set) var lastCursor: String?

    public init() {}

    private static let keyNames: [[UInt8]] = ["_HOSTNAME", "_SYSTEMD_UNIT", "CONTAINER_NAME", "SYSLOG_IDENTIFIER", "_PID", "_STREAM_ID"].map { Array($0.utf8) }

    func frameLine(_ line: UnsafeRawBufferPointer, truncated lineCut: Bool) {
        guard !line.isEmpty else { return }
        message.removeAll(keepingCapacity: true)
        for k in keyParts.indices { keyParts[k].removeAll(keepingCapacity: true) }
        var time = FrameSegment.noTime
        var nullMessage = false
        var partial = false
        var scanner = JSONScanner(line)
        let ok = scanner.forEachMember { name, value in
            if JSONScanner.equal(name, "MESSAGE") {
                switch value.peek {
                case UInt8(ascii: "\""): return value.readString(into: &message)
                case UInt8(ascii: "["): return readMessageArray(&value)
                default:
                    if value.readNull() { nullMessage = true; return true }
                    return value.skipValue()
                }
            }
            if JSONScanner.equal(name, "__CURSOR") {
                if let text = value.readScalarText() {
                    let cursor = Bytes.string(text)
                    if firstCursor == nil { firstCursor = cursor }
                    lastCursor = cursor
                }
                return true
            }
            if JSONScanner.equal(name, "__REALTIME_TIMESTAMP") {
                if let text = value.readScalarText(), let us = Bytes.parseInt(text, 0..<text.count) { time = Int64(us) }
                return true
            }
            if JSONScanner.equal(name, "CONTAINER_PARTIAL_MESSAGE") {
                if let text = value.readScalarText() { partial = JSONScanner.equal(text, "true") }
                return true
            }
            for (k, keyName) in Self.keyNames.enumerated() where keyName.withUnsafeBytes({ JSONScanner.equal(name, $0) }) {
                if value.peek == UInt8(ascii: "\"") { return value.readString(into: &keyParts[k]) }
                return value.skipValue()
            }
            return value.skipValue()
        }
        guard ok else {
            // Not a journal entry: keep the text so that nothing is lost.
            malformedLines += 1
            output.emit(line, stream: 0, time: FrameSegment.noTime, truncated: true)
            return
        }
        key.removeAll(keepingCapacity: true)
        for part in keyParts { key.append(contentsOf: part); key.append(0) }
        let stream = streams.id(for: key)
        if partial || partials.isPending(stream) {
            let joined = message.withUnsafeBytes { partials.join($0, stream: stream, time: time, partial: partial) }
            if let joined { output.emit(joined.bytes, stream: stream, time: joined.time, truncated: lineCut) }
            return
        }
        output.emit(message, stream: stream, time: time, truncated: lineCut || nullMessage)
    }

    /// `MESSAGE` as an array: bytes (`[27,91,…]`), or several values of a repeated field.
    private func readMessageArray(_ value: inout JSONScanner) -> Bool {
        var probe = value
        probe.i += 1
        probe.skipSpace()
        if let c = probe.peek, Bytes.isDigit(c) || c == UInt8(ascii: "]") {
            return value.readByteArray(into: &message)
        }
        // Repeated field: keep the values, one per line.
        value.i += 1
        while true {
            value.skipSpace()
            guard let c = value.peek else { return false }
            if c == UInt8(ascii: "]") { value.i += 1; return true }
            if c == UInt8(ascii: ",") { value.i += 1; continue }
            if !message.isEmpty { message.append(0x0A) }
            if c == UInt8(ascii: "\"") { guard value.readString(into: &message) else { return false } }
            else if c == UInt8(ascii: "[") { guard value.readByteArray(into: &message) else { return false } }
            else { guard value.skipValue() else { return false } }
        }
    }

}

extension JSONScanner {
    static func equal(_ a: UnsafeRawBufferPointer, _ s: StaticString) -> Bool {
        a.count == s.utf8CodeUnitCount && Bytes.hasPrefix(a, at: 0, s)
    }

    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        a.count == b.count && a.elementsEqual(b)
    }
}

extension JournalJSONFramer: StreamNaming {
    public func streamKey(_ id: Int32) -> String { streams.name(id) }
    public func streamID(forKey key: String) -> Int32 { streams.id(for: Array(key.utf8)) }
}
