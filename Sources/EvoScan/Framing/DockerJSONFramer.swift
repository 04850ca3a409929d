/// Docker's json-file driver on disk (`<id>-json.log`):
/// `{"log":"…\n","stream":"stdout","time":"<RFC3339Nano>"}`. A `log` value that does not
/// end in `\n` is a 16 KiB partial chunk, joined with the next entry of the same stream.
public final class DockerJSONFramer: LineByLineFramer {
    public let transport = "docker-json-file"
    var output = FramedOutput()
    var partials = PartialLines()
    private var log: [UInt8] = []
    public private(set) var malformedLines = 0

    public init() {}

    func frameLine(_ line: UnsafeRawBufferPointer, truncated: Bool) {
        guard !line.isEmpty else { return }
        log.removeAll(keepingCapacity: true)
        var stream: Int32 = 0
        var time = FrameSegment.noTime
        var scanner = JSONScanner(line)
        let ok = scanner.forEachMember { name, value in
            if JSONScanner.equal(name, "log") { return value.readString(into: &log) }
            if JSONScanner.equal(name, "stream") {
                if let text = value.readScalarText() { stream = JSONScanner.equal(text, "stderr") ? 1 : 0 }
                return true
            }
            if JSONScanner.equal(name, "time") {
                if let text = value.readScalarText(), let (t, _) = Timestamps.parseRFC3339(text) { time = t.micros }
                return true
            }
            return value.skipValue()
        }
        guard ok else {
            // Not a json-file entry: keep the text so that nothing is lost.
            malformedLines += 1
            output.emit(line, stream: 0, time: FrameSegment.noTime, truncated: true)
            return
        }
        let complete = log.last == 0x0A
        if complete { log.removeLast() }
        if !complete || partials.isPending(stream) {
            let joined = log.withUnsafeBytes { partials.join($0, stream: stream, time: time, partial: !complete) }
            if let joined { output.emit(joined.bytes, stream: stream, time: joined.time, truncated: truncated) }
            return
        }
        output.emit(log, stream: stream, time: time, truncated: truncated)
    }
}

extension DockerJSONFramer: StreamNaming {
    public func streamKey(_ id: Int32) -> String { id == 1 ? "stderr" : "stdout" }
    public func streamID(forKey key: String) -> Int32 { key == "stderr" ? 1 : 0 }
}
