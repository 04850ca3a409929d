/// A run of framed lines that share a stream and a transport time.
public struct FrameSegment: Sendable {
    /// End offset (exclusive, after the `\n`) in the framed block.
    public var end: Int
    /// Stream identity (unit/container/pod + pid + stdout/stderr), numbered per input.
    public var stream: Int32
    /// Transport time in µs since the epoch (UTC), or `FrameSegment.noTime`.
    public var time: Int64
    /// The line was cut by a transport or by the line cap.
    public var truncated: Bool

    public static let noTime = Int64.min

    public init(end: Int, stream: Int32, time: Int64 = FrameSegment.noTime, truncated: Bool = false) {
        self.end = end
        self.stream = stream
        self.time = time
        self.truncated = truncated
    }
}

/// Receives framed text: bare Evolution lines (prefixes and transport encodings removed),
/// each ending in `\n`. `segments == nil` means the whole block is stream 0 without
/// transport times: the zero-copy fast path for plain files.
public protocol FramedLineSink: AnyObject {
    func consume(_ bytes: UnsafeRawBufferPointer, segments: UnsafeBufferPointer<FrameSegment>?)
}

/// Turns the raw lines of one input into framed lines. One type per transport; the sniffer
/// picks one per input, so the pipeline never switches on formats.
public protocol Framer: AnyObject {
    /// Human-readable name of the detected transport, for the report.
    var transport: String { get }
    func frame(_ block: LineReader.Block, into sink: FramedLineSink)
    /// End of input: flush partial lines held for reassembly.
    func finish(into sink: FramedLineSink)
}

extension Framer {
    public func finish(into sink: FramedLineSink) {}
}

/// Stream identities as text, so that a record left unfinished at the end of one run
/// (`--state`) is continued by the same stream in the next run.
public protocol StreamNaming {
    func streamKey(_ id: Int32) -> String
    func streamID(forKey key: String) -> Int32
}

/// Names streams and numbers them, with a bound on how many are tracked.
struct StreamRegistry {
    private var ids: [[UInt8]: Int32] = [:]
    private(set) var names: [String] = []
    static let maxStreams = 4096

    mutating func id(for key: UnsafeRawBufferPointer) -> Int32 {
        let k = Array(key)
        if let id = ids[k] { return id }
        if ids.count >= StreamRegistry.maxStreams { return 0 }
        let id = Int32(names.count)
        ids[k] = id
        names.append(String(decoding: k, as: UTF8.self))
        return id
    }

    mutating func id(for key: [UInt8]) -> Int32 {
        key.withUnsafeBytes { id(for: $0) }
    }

    func name(_ id: Int32) -> String {
        Int(id) < names.count && id >= 0 ? names[Int(id)] : ""
    }
}
