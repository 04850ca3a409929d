import CZlib

/// Inflates gzip (and zlib) streams with zlib, including several concatenated members
/// (`cat a.gz b.gz`, `gzip -c >>`). A stream that ends early is reported as truncated after
/// everything decodable has been delivered.
public final class GzipSource: ByteSource {
    private let inner: ByteSource
    private let name: String
    private var stream = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var inputEnd = false
    private var finished = false
    private var memberDone = false

    public init(inner: ByteSource, name: String) throws {
        self.inner = inner
        self.name = name
        input = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)
        guard czlib_inflate_init_gzip(&stream) == Z_OK else {
            input.deallocate()
            throw InputError(name, "cannot initialise zlib")
        }
    }

    deinit {
        inflateEnd(&stream)
        input.deallocate()
    }

    public var rawBytesRead: Int { inner.rawBytesRead }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if let error = pendingError, !reportedPending {
            reportedPending = true
            throw error
        }
        if finished { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(buffer.count)
        while stream.avail_out > 0 {
            if stream.avail_in == 0 && !inputEnd {
                let n = try inner.read(into: input)
                if n == 0 { inputEnd = true } else {
                    stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = uInt(n)
                }
            }
            if stream.avail_in == 0 && inputEnd {
                finished = true
                if !memberDone {
                    let produced = buffer.count - Int(stream.avail_out)
                    pendingError = InputError(name, "truncated gzip stream (kept the \(stream.total_out) bytes decoded before the cut)")
                    if produced > 0 { return produced }
                    throw pendingError!
                }
                break
            }
            if memberDone {
                // Another member follows: skip stray zero padding, then reset for it.
                if stream.next_in.pointee == 0 {
                    stream.next_in += 1
                    stream.avail_in -= 1
                    continue
                }
                inflateReset(&stream)
                memberDone = false
            }
            let rc = inflate(&stream, Z_NO_FLUSH)
            switch rc {
            case Z_OK, Z_BUF_ERROR:
                if rc == Z_BUF_ERROR && stream.avail_in > 0 && stream.avail_out > 0 {
                    throw InputError(name, "corrupt gzip stream")
                }
            case Z_STREAM_END:
                memberDone = true
            case Z_DATA_ERROR:
                finished = true
                let produced = buffer.count - Int(stream.avail_out)
                let message = stream.msg.map { String(cString: $0) } ?? "data error"
                pendingError = InputError(name, "corrupt gzip stream: \(message)")
                if produced > 0 { return produced }
                throw pendingError!
            default:
                throw InputError(name, "gzip error \(rc)")
            }
        }
        return buffer.count - Int(stream.avail_out)
    }

    /// An error seen after some output was returned: thrown by the next `read`, so the
    /// bytes decoded before a cut are delivered first.
    private var pendingError: InputError?
    private var reportedPending = false
}
