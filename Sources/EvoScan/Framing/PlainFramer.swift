/// Bare text (a file written by `docker logs` without `-t`, a paste, `journalctl -o cat`):
/// blocks pass through untouched.
public final class PlainFramer: Framer {
    public let transport: String
    public init(transport: String = "plain") { self.transport = transport }

    public func frame(_ block: LineReader.Block, into sink: FramedLineSink) {
        if block.truncated {
            var segment = FrameSegment(end: block.bytes.count, stream: 0, truncated: true)
            withUnsafeMutablePointer(to: &segment) { sink.consume(block.bytes, segments: UnsafeBufferPointer(start: $0, count: 1)) }
        } else {
            sink.consume(block.bytes, segments: nil)
        }
    }
}

/// Pastes from web consoles that insert an empty line after every line (Portainer): drops
/// the inserted empty lines so that real empty lines (object terminators) survive.
public final class UndoubledBlankLinesFramer: Framer {
    public var transport: String { "plain (doubled blank lines removed)" }
    private var out: [UInt8] = []
    /// True when the next line is expected to be an inserted empty one.
    private var expectInserted = false

    public init() {}

    public func frame(_ block: LineReader.Block, into sink: FramedLineSink) {
        out.removeAll(keepingCapacity: true)
        let b = block.bytes
        var p = 0
        while p < b.count {
            let nl = Bytes.index(of: 0x0A, in: b, from: p) ?? (b.count - 1)
            let isEmpty = nl == p || (nl == p + 1 && b[p] == 0x0D)
            if expectInserted && isEmpty {
                expectInserted = false
            } else {
                out.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[p...nl]))
                expectInserted = true
            }
            p = nl + 1
        }
        out.withUnsafeBytes { sink.consume($0, segments: nil) }
    }
}
