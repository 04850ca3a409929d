/// Where a plain log read on several cores is cut: at the start of an Evolution header
/// line whose previous line is a one-line record of its own without any word of an error
/// (`Prisma`, `Error`, `origin`, `rejected`, `Invalid`). A header always closes the record
/// before it, so no record crosses the cut; nothing a worker could hold at the cut (an
/// object body awaited, an origin record's twin) can be on the other side of such a line.
struct ChunkPlanner {
    let fd: Int32
    let name: String
    let size: Int
    let chunkBytes: Int
    /// Where the next chunk starts.
    private(set) var position = 0
    /// How far past the nominal cut a boundary is looked for before trying one chunk later
    /// (a 50 MB line or a file without Evolution headers: the chunk simply grows).
    static let searchBytes = 64 << 10

    init(fd: Int32, name: String, size: Int, chunkBytes: Int) {
        self.fd = fd
        self.name = name
        self.size = size
        self.chunkBytes = chunkBytes
    }

    /// The next chunk, nil at the end of the file.
    mutating func next() throws -> Range<Int>? {
        guard position < size else { return nil }
        let start = position
        var nominal = start + chunkBytes
        while nominal < size {
            if let cut = try cut(near: nominal) {
                position = cut
                return start..<cut
            }
            nominal += chunkBytes
        }
        position = size
        return start..<size
    }

    /// The first safe cut in the window after `nominal`.
    func cut(near nominal: Int) throws -> Int? {
        let window = try RangeSource.bytes(fd: fd, name: name, at: nominal, count: Self.searchBytes)
        return window.withUnsafeBytes { b -> Int? in
            guard var p = Bytes.index(of: 0x0A, in: b, from: 0).map({ $0 + 1 }) else { return nil }
            var previousHeader: Int? = nil
            while p < b.count, let nl = Bytes.index(of: 0x0A, in: b, from: p) {
                var end = nl
                if end > p, b[end - 1] == 0x0D { end -= 1 }
                if LineClassifier.classify(b, p, end) == .evolutionHeader {
                    if let previous = previousHeader, Self.isPlain(UnsafeRawBufferPointer(rebasing: b[previous..<p])) {
                        return nominal + p
                    }
                    previousHeader = p
                } else {
                    previousHeader = nil
                }
                p = nl + 1
            }
            return nil
        }
    }

    static func isPlain(_ line: UnsafeRawBufferPointer) -> Bool {
        !Bytes.contains(line, "Prisma") && !Bytes.contains(line, "prisma") && !Bytes.contains(line, "Error")
            && !Bytes.contains(line, "origin") && !Bytes.contains(line, "rejected") && !Bytes.contains(line, "Invalid")
            && !Bytes.contains(line, "[object]") && !Bytes.contains(line, "Exception")
    }
}
