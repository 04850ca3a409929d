#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input as the user named it, opened and with its compression detected by magic
/// bytes (never by extension).
public struct OpenedInput {
    public let name: String
    public let source: ByteSource
    public let compression: Compression
    /// Device and inode of a regular file, for later incremental state.
    public let identity: (device: UInt64, inode: UInt64)?
    /// A regular file's descriptor and size, for reading it in ranges on several cores.
    public var regularFile: (fd: Int32, size: Int)? = nil
}

/// A change to a file during its read (`InputOpener.change(of:)`).
public enum FileChange: Equatable, Sendable {
    /// Truncated (or rotated by copytruncate): the bytes past `to` were not read.
    case shrank(from: Int, to: Int)
    /// Unlinked: still read in full through the open descriptor.
    case deleted
    /// Another file is at the path now (rotated by rename): the one opened was read in full.
    case replaced
}

public enum Compression: String, Sendable {
    case none, gzip
}

public enum InputOpener {
    /// Opens a path, or standard input for `-`.
    public static func open(_ path: String) throws -> OpenedInput {
        let name = path == "-" ? "<stdin>" : path
        let fd: Int32
        if path == "-" {
            fd = 0
        } else {
            fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw InputError(name, "cannot open: \(String(cString: strerror(errno)))") }
        }
        var st = stat()
        var identity: (UInt64, UInt64)? = nil
        if fstat(fd, &st) == 0 {
            if (st.st_mode & S_IFMT) == S_IFDIR {
                if path != "-" { close(fd) }
                throw InputError(name, "is a directory")
            }
            if (st.st_mode & S_IFMT) == S_IFREG { identity = (UInt64(st.st_dev), UInt64(st.st_ino)) }
        }
        let raw = FileDescriptorSource(fd: fd, name: name, closeOnDeinit: path != "-")
        var input = try wrap(raw, name: name, identity: identity)
        if identity != nil { input.regularFile = (fd, Int(st.st_size)) }
        return input
    }

    /// What happened to a regular file while it was read, judged when it has been: nil for
    /// standard input, pipes and files that did not change.
    public static func change(of input: OpenedInput) -> FileChange? {
        guard let (fd, size) = input.regularFile, let identity = input.identity else { return nil }
        var now = stat()
        guard fstat(fd, &now) == 0 else { return nil }
        if Int(now.st_size) < size { return .shrank(from: size, to: Int(now.st_size)) }
        // A rename over the path unlinks the file opened too: the path decides which it was.
        var atPath = stat()
        if stat(input.name, &atPath) == 0, UInt64(atPath.st_dev) != identity.device || UInt64(atPath.st_ino) != identity.inode {
            return .replaced
        }
        return now.st_nlink == 0 ? .deleted : nil
    }

    /// Detects compression on the first bytes of `raw` and wraps it accordingly.
    public static func wrap(_ raw: ByteSource, name: String, identity: (UInt64, UInt64)? = nil) throws -> OpenedInput {
        var head = [UInt8](repeating: 0, count: 6)
        var have = 0
        // Read until 6 bytes or EOF: pipes may deliver fewer bytes per read.
        while have < head.count {
            let n = try head.withUnsafeMutableBytes { buf in
                try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: buf[have...]))
            }
            if n == 0 { break }
            have += n
        }
        head.removeLast(head.count - have)
        let replay = ReplaySource(head: head, rest: raw)
        switch magic(head) {
        case .gzip:
            return OpenedInput(name: name, source: try GzipSource(inner: replay, name: name), compression: .gzip, identity: identity)
        case .unsupported(let format, let tool):
            throw InputError(name, "\(format)-compressed input is not supported; decompress it first (\(tool) -dc \(name == "<stdin>" ? "FILE" : name) | evoscan scan -)")
        case .plain:
            return OpenedInput(name: name, source: replay, compression: .none, identity: identity)
        }
    }

    enum Magic: Equatable { case plain, gzip, unsupported(String, String) }

    static func magic(_ h: [UInt8]) -> Magic {
        if h.starts(with: [0x1F, 0x8B]) { return .gzip }
        if h.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .unsupported("zstd", "zstd") }
        if h.starts(with: [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .unsupported("xz", "xz") }
        if h.starts(with: [0x42, 0x5A, 0x68]) { return .unsupported("bzip2", "bzip2") }
        if h.starts(with: [0x04, 0x22, 0x4D, 0x18]) { return .unsupported("lz4", "lz4") }
        return .plain
    }
}
