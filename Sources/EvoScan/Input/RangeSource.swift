#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One byte range of a regular file, read with `pread(2)`: several of these read one file
/// on several cores at once (the descriptor's offset is never moved, so they share it).
public final class RangeSource: ByteSource {
    public let fd: Int32
    public let name: String
    private var offset: Int
    private let end: Int
    public private(set) var rawBytesRead = 0

    public init(fd: Int32, name: String, range: Range<Int>) {
        self.fd = fd
        self.name = name
        offset = range.lowerBound
        end = range.upperBound
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let want = min(buffer.count, end - offset)
        guard want > 0 else { return 0 }
        while true {
            let n = pread(fd, buffer.baseAddress, want, off_t(offset))
            if n >= 0 {
                offset += n
                rawBytesRead += n
                return n
            }
            if errno == EINTR { continue }
            throw InputError(name, "read failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Reads up to `count` bytes at `at` (a short read only at end of file).
    static func bytes(fd: Int32, name: String, at: Int, count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let source = RangeSource(fd: fd, name: name, range: at..<(at + count))
        var have = 0
        while have < count {
            let n = try out.withUnsafeMutableBytes { try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[have...])) }
            if n == 0 { break }
            have += n
        }
        out.removeLast(count - have)
        return out
    }
}
