import Foundation

/// `--output FILE`: the report is written to a temporary file beside the target, synced,
/// and renamed over it, so a reader (a dashboard, node_exporter's textfile collector) sees
/// the old report or the new one, never half of one.
public final class AtomicFile {
    public let path: String
    private let temporary: String
    public let fd: Int32

    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(path: String) throws {
        self.path = path
        temporary = "\(path).tmp.\(getpid())"
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if fd < 0 { throw WriteError(description: "\(path): cannot write: \(String(cString: strerror(errno)))") }
    }

    /// Makes the file visible under its name.
    public func commit() throws {
        defer { close(fd) }
        guard fsync(fd) == 0 || errno == EINVAL else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(description: "\(path): cannot write: \(message)")
        }
        guard rename(temporary, path) == 0 else {
            let message = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(description: "\(path): cannot write: \(message)")
        }
    }

    /// Gives up: the previous file stays as it was.
    public func discard() {
        close(fd)
        unlink(temporary)
    }
}
