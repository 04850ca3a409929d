#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to a file descriptor with `write(2)`. A closed pipe (`| head`) is not an
/// error to report: it surfaces as `OutputClosed` so the front end can stop quietly.
public final class OutputStream {
    public struct OutputClosed: Error {}
    public struct WriteFailed: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    private let fd: Int32
    private var buffer: [UInt8] = []
    private let limit: Int
    public private(set) var closed = false

    public init(fd: Int32, bufferSize: Int = 64 << 10) {
        self.fd = fd
        self.limit = bufferSize
        buffer.reserveCapacity(bufferSize)
    }

    public func write(_ s: String) throws {
        var s = s
        try s.withUTF8 { try write(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Bytes as they are. A large piece (a megabyte-sized report) goes to the descriptor
    /// directly instead of through the buffer: copying it there made the buffer as large
    /// as the report, at the moment memory peaks.
    public func write(bytes: UnsafeRawBufferPointer) throws {
        if buffer.count + bytes.count <= limit {
            buffer.append(contentsOf: bytes)
            if buffer.count >= limit { try flush() }
            return
        }
        try flush()
        try writeAll(bytes)
    }

    public func flush() throws {
        if closed { throw OutputClosed() }
        defer { buffer.removeAll(keepingCapacity: true) }
        try buffer.withUnsafeBytes { try writeAll($0) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        if closed { throw OutputClosed() }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { closed = true; throw OutputClosed() }
                throw WriteFailed(message: "cannot write output: \(String(cString: strerror(errno)))")
            }
            offset += n
        }
    }
}
