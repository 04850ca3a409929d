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
        buffer.append(contentsOf: s.utf8)
        if buffer.count >= limit { try flush() }
    }

    public func flush() throws {
        if closed { throw OutputClosed() }
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE { closed = true; buffer.removeAll(); throw OutputClosed() }
                let message = String(cString: strerror(errno))
                buffer.removeAll()
                throw WriteFailed(message: "cannot write output: \(message)")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
