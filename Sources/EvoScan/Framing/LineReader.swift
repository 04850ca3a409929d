import CPCRE2

/// Reads a `ByteSource` in large blocks and hands out runs of complete lines, split at the
/// byte level. Nothing is lost at a block boundary (the partial last line is carried into
/// the next read) and memory stays bounded: a line longer than `maxLineBytes` is cut,
/// delivered alone with `truncated` set, and the rest of it is skipped up to its newline.
public final class LineReader {
    public struct Block {
        /// One or more lines, each ending in `\n` (a last line without one gets it).
        public let bytes: UnsafeRawBufferPointer
        /// The block is a single line that was cut at `maxLineBytes`.
        public let truncated: Bool
    }

    private var source: ByteSource
    private let buffer: UnsafeMutableRawBufferPointer
    private let readSize: Int
    public let maxLineBytes: Int
    /// Uncompressed bytes read from the source.
    public private(set) var bytesRead = 0
    public private(set) var truncatedLines = 0
    /// `--state`: a last line without its newline may still be being written; leave it
    /// for the next run instead of delivering it.
    public var holdIncompleteTail = false
    /// …unless the input ends exactly here again (it stopped growing: the line is final).
    public var finalIfBytesRead: Int? = nil
    /// Bytes delivered or skipped: where the next run resumes.
    public private(set) var consumedBytes = 0
    /// The incomplete last line held back (`holdIncompleteTail`).
    public private(set) var heldTail: [UInt8] = []

    /// The first block holds at least this much (or the whole input), so that format
    /// sniffing sees enough lines even when a pipe delivers a few bytes per read.
    public let sniffBytes: Int

    public init(source: ByteSource, readSize: Int = 1 << 20, maxLineBytes: Int = 1 << 20, sniffBytes: Int = 64 << 10) {
        self.source = source
        self.sniffBytes = max(1, min(sniffBytes, readSize))
        self.readSize = readSize
        self.maxLineBytes = maxLineBytes
        // Room for a carried partial line (< maxLineBytes), one read, and a final '\n'.
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: maxLineBytes + readSize + 1, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// Reads another source through the same buffer (a worker reading chunk after chunk:
    /// allocating 2 MiB per chunk made glibc's thread arenas grow to 100+ MiB on 1 GiB).
    public func restart(source: ByteSource) {
        self.source = source
        bytesRead = 0
        truncatedLines = 0
        consumedBytes = 0
        heldTail = []
    }

    /// Calls `body` for each block until the source ends. A read error is thrown after the
    /// lines before it were delivered.
    public func forEachBlock(_ body: (Block) throws -> Void) throws {
        var filled = 0
        var skippingCutLine = false
        var delivered = false
        var readError: Error? = nil
        while true {
            let n: Int
            do {
                n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled..<(filled + readSize - (delivered ? 0 : filled))]))
            } catch {
                // Deliver what was read before the error, then report it.
                readError = error
                break
            }
            bytesRead += n
            if n == 0 { break }
            let start = filled
            filled += n
            if !delivered {
                if filled < sniffBytes { continue }
                delivered = true
            }
            if skippingCutLine {
                // Drop the rest of a cut line up to and including its newline.
                guard let nl = Bytes.index(of: 0x0A, in: UnsafeRawBufferPointer(buffer), from: start), nl < filled else {
                    filled = 0
                    continue
                }
                skippingCutLine = false
                buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + nl + 1, byteCount: filled - nl - 1)
                filled -= nl + 1
                if filled == 0 { continue }
            }
            let base = UnsafeRawPointer(buffer.baseAddress!)
            if let last = cpcre2_memrchr(base, 0x0A, filled) {
                let end = base.distance(to: last) + 1
                try body(Block(bytes: UnsafeRawBufferPointer(start: base, count: end), truncated: false))
                let tail = filled - end
                if tail > 0 { buffer.baseAddress!.copyMemory(from: base + end, byteCount: tail) }
                filled = tail
            }
            if filled >= maxLineBytes {
                // No newline in sight: deliver the head of the line, skip the rest.
                buffer[maxLineBytes] = 0x0A
                truncatedLines += 1
                try body(Block(bytes: UnsafeRawBufferPointer(start: base, count: maxLineBytes + 1), truncated: true))
                let tail = filled - maxLineBytes
                // The byte at maxLineBytes now holds the inserted newline; search after it.
                if tail > 1, let nl = Bytes.index(of: 0x0A, in: UnsafeRawBufferPointer(start: base + maxLineBytes + 1, count: tail - 1), from: 0) {
                    let keepFrom = maxLineBytes + 1 + nl + 1
                    buffer.baseAddress!.copyMemory(from: base + keepFrom, byteCount: filled - keepFrom)
                    filled -= keepFrom
                } else {
                    filled = 0
                    skippingCutLine = true
                }
            }
        }
        if filled > 0 && !skippingCutLine, let last = cpcre2_memrchr(buffer.baseAddress!, 0x0A, filled) {
            // Complete lines still waiting (the sniffing phase, or a read error): deliver
            // them; only what follows the last newline is an incomplete line.
            let end = UnsafeRawPointer(buffer.baseAddress!).distance(to: last) + 1
            try body(Block(bytes: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: end), truncated: false))
            let tail = filled - end
            if tail > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + end, byteCount: tail) }
            filled = tail
        }
        consumedBytes = bytesRead - (skippingCutLine ? 0 : filled)
        let hold = holdIncompleteTail && bytesRead != finalIfBytesRead
        if hold && filled > 0 && !skippingCutLine { heldTail = Array(UnsafeRawBufferPointer(start: buffer.baseAddress!, count: filled)) }
        if filled > 0 && !skippingCutLine && !hold {
            buffer[filled] = 0x0A
            try body(Block(bytes: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: filled + 1), truncated: false))
            consumedBytes = bytesRead
        }
        if let readError { throw readError }
    }
}
