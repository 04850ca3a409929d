#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--follow`: reads an input that keeps growing, like `tail -F`. Standard input is read
/// until its writer closes it; a file is read to its end and then watched: more bytes are
/// read as they come, a rename (a new file at the path) is followed to the new file, and a
/// truncation starts over at the beginning. While nothing arrives, `onIdle` runs about
/// four times a second, so that waiting records and decisions can be released.
public final class FollowingSource: ByteSource {
    private var fd: Int32
    private let path: String?
    private var inode: UInt64 = 0
    private var position = 0
    public private(set) var rawBytesRead = 0
    public var onIdle: () -> Void = {}
    /// Stops the follow (Ctrl-C, SIGTERM): the next read reports the end of input.
    public var shouldStop: () -> Bool = { false }
    public private(set) var rotations = 0
    public private(set) var truncations = 0

    /// Standard input.
    public init(stdin: Void = ()) {
        fd = 0
        path = nil
    }

    /// A file by path: reopened when it is rotated.
    public init(path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw InputError(path, "cannot open: \(String(cString: strerror(errno)))") }
        inode = Self.inode(fd: fd)
    }

    deinit { if path != nil { close(fd) } }

    static func inode(fd: Int32) -> UInt64 {
        var st = stat()
        return fstat(fd, &st) == 0 ? UInt64(st.st_ino) : 0
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while !shouldStop() {
            if path == nil {
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&p, 1, 250)
                if ready == 0 { onIdle(); continue }
                if ready < 0 { if errno == EINTR { continue }; throw InputError("<stdin>", "poll failed: \(String(cString: strerror(errno)))") }
            }
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 {
                position += n
                rawBytesRead += n
                return n
            }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw InputError(path ?? "<stdin>", "read failed: \(String(cString: strerror(errno)))")
            }
            guard let path else { return 0 }   // the pipe's writer is gone
            // End of the file for now: rotated, truncated, or just quiet?
            var st = stat()
            if stat(path, &st) == 0, UInt64(st.st_ino) != inode {
                let next = open(path, O_RDONLY | O_CLOEXEC)
                if next >= 0 {
                    close(fd)
                    fd = next
                    inode = UInt64(st.st_ino)
                    position = 0
                    rotations += 1
                    continue
                }
            } else if fstat(fd, &st) == 0, Int(st.st_size) < position {
                lseek(fd, 0, SEEK_SET)
                position = 0
                truncations += 1
                continue
            }
            onIdle()
            usleep(250_000)
        }
        return 0
    }
}
