#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where bytes come from. `read` fills as much of `buffer` as it can and returns the count;
/// 0 means end of input. Errors are `InputError`s naming the problem.
public protocol ByteSource: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
    /// Bytes consumed from the underlying file (compressed size for gzip).
    var rawBytesRead: Int { get }
}

/// A problem with one input: reported as one line on stderr, the other inputs go on.
public struct InputError: Error, CustomStringConvertible, Sendable {
    public let input: String
    public let problem: String
    public init(_ input: String, _ problem: String) { self.input = input; self.problem = problem }
    public var description: String { "\(input): \(problem)" }
}

/// `read(2)` on a file descriptor into the caller's buffer (no `FileHandle`/`Data`).
public final class FileDescriptorSource: ByteSource {
    public let fd: Int32
    public let name: String
    private let closeOnDeinit: Bool
    public private(set) var rawBytesRead = 0

    public init(fd: Int32, name: String, closeOnDeinit: Bool) {
        self.fd = fd
        self.name = name
        self.closeOnDeinit = closeOnDeinit
    }

    deinit { if closeOnDeinit { close(fd) } }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { rawBytesRead += n; return n }
            if errno == EINTR { continue }
            throw InputError(name, "read failed: \(String(cString: strerror(errno)))")
        }
    }
}

/// Replays bytes already read (the sniffed head of an input) before the rest of a source.
public final class ReplaySource: ByteSource {
    private var head: [UInt8]
    private var headOffset = 0
    private let rest: ByteSource

    public init(head: [UInt8], rest: ByteSource) {
        self.head = head
        self.rest = rest
    }

    public var rawBytesRead: Int { rest.rawBytesRead }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if headOffset < head.count {
            let n = min(buffer.count, head.count - headOffset)
            head.withUnsafeBytes { src in
                buffer.baseAddress!.copyMemory(from: src.baseAddress! + headOffset, byteCount: n)
            }
            headOffset += n
            if headOffset == head.count { head = []; headOffset = 0 }
            return n
        }
        return try rest.read(into: buffer)
    }
}

/// An in-memory source, for tests and for the library's `scan(bytes:)`.
public final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public var rawBytesRead: Int { offset }
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - offset)
        if n > 0 {
            bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        }
        offset += n
        return n
    }
}
