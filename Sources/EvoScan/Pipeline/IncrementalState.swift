import Foundation

/// `--state FILE`: where each input stopped, so that the next run reads only what is new,
/// never a line twice, and continues a record that the previous run's end cut in half.
///
/// Per input: its identity (device, inode, fingerprint of the first bytes, all in
/// decompressed bytes), the offset reached, and the records left unfinished at that
/// offset (the trailing open record, a 2.1.1+ rejection waiting for its twin), which the
/// next run reads again before the new bytes. A rotation by rename keeps the inode; a
/// `copytruncate` copy and a gzip-compressed rotation keep the fingerprint.
public struct IncrementalState: Sendable {
    public static let schema = "evoscan.state/1"

    public struct Carried: Sendable, Equatable {
        public var streamKey: String
        public var time: Int64?
        public var bytes: [UInt8]
    }

    public struct Entry: Sendable, Equatable {
        public var path: String
        public var device: UInt64
        public var inode: UInt64
        public var fingerprint: String
        public var fingerprintBytes: Int
        public var offset: Int
        public var carried: [Carried]
        /// The transport detected at the input's start.
        public var transport: String?
        /// How far the input reached (beyond `offset`: an incomplete last line). The same
        /// end next time means the input stopped growing: what was held back is final.
        public var end: Int
    }

    public var entries: [Entry] = []
    /// Records carried for standard input (e.g. `journalctl --cursor-file … | evoscan`).
    public var stdinCarried: [Carried] = []

    public struct StateError: Error, CustomStringConvertible {
        public let description: String
    }

    public init() {}

    /// Loads a state file; a missing file is an empty state, anything unreadable an error.
    public static func load(_ path: String) throws -> IncrementalState {
        guard FileManager.default.fileExists(atPath: path) else { return IncrementalState() }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StateError(description: "\(path): cannot read the state file")
        }
        guard let doc = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw StateError(description: "\(path): corrupt state file (not JSON); move it away to start over")
        }
        guard let schema = doc["schema"] as? String else {
            throw StateError(description: "\(path): not an evoscan state file (no schema); refusing to overwrite it")
        }
        guard schema == Self.schema else {
            throw StateError(description: "\(path): state schema \"\(schema)\" is not supported (this evoscan writes \"\(Self.schema)\")")
        }
        var state = IncrementalState()
        func carried(_ v: Any?) throws -> [Carried] {
            try (v as? [[String: Any]] ?? []).map { c in
                guard let key = c["stream"] as? String, let b64 = c["bytes"] as? String, let bytes = Data(base64Encoded: b64) else {
                    throw StateError(description: "\(path): corrupt state file (carried record)")
                }
                return Carried(streamKey: key, time: (c["time"] as? NSNumber)?.int64Value, bytes: Array(bytes))
            }
        }
        for e in doc["inputs"] as? [[String: Any]] ?? [] {
            guard let p = e["path"] as? String, let fp = e["fingerprint"] as? String, let off = (e["offset"] as? NSNumber)?.intValue,
                  let dev = (e["device"] as? NSNumber)?.uint64Value, let ino = (e["inode"] as? NSNumber)?.uint64Value,
                  let fpb = (e["fingerprint_bytes"] as? NSNumber)?.intValue, off >= 0 else {
                throw StateError(description: "\(path): corrupt state file (input entry)")
            }
            state.entries.append(Entry(path: p, device: dev, inode: ino, fingerprint: fp, fingerprintBytes: fpb, offset: off,
                                       carried: try carried(e["carried"]), transport: e["transport"] as? String,
                                       end: (e["end"] as? NSNumber)?.intValue ?? off))
        }
        state.stdinCarried = try carried(doc["stdin_carried"])
        return state
    }

    /// The entry for an input whose first bytes are `head`: the same inode first (a
    /// rename), else the same content (a copy or a compressed rotation).
    public func entry(device: UInt64, inode: UInt64, head: UnsafeRawBufferPointer) -> Entry? {
        let matching = entries.filter { e in
            e.fingerprintBytes <= head.count
                && InputIdentity.fnv1a(UnsafeRawBufferPointer(rebasing: head[0..<e.fingerprintBytes])) == e.fingerprint
        }
        return matching.filter { $0.device == device && $0.inode == inode }.max { $0.offset < $1.offset }
            ?? matching.max { $0.offset < $1.offset }
    }

    /// Writes the state atomically: a temporary file in the same directory, fsync, rename,
    /// then fsync of the directory. A crash leaves the previous state or the new one.
    public func save(_ path: String) throws {
        func carriedJSON(_ c: [Carried]) -> JSONValue {
            .array(c.map { .object([("stream", .string($0.streamKey)), ("time", $0.time.map { .int(Int($0)) } ?? .null),
                                    ("bytes", .string(Data($0.bytes).base64EncodedString()))]) })
        }
        let doc = JSONValue.object([
            ("schema", .string(Self.schema)),
            ("inputs", .array(entries.map { e in
                .object([("path", .string(e.path)), ("device", .int(Int(truncatingIfNeeded: e.device))),
                         ("inode", .int(Int(truncatingIfNeeded: e.inode))), ("fingerprint", .string(e.fingerprint)),
                         ("fingerprint_bytes", .int(e.fingerprintBytes)), ("offset", .int(e.offset)),
                         ("end", .int(e.end)), ("transport", .optional(e.transport)), ("carried", carriedJSON(e.carried))])
            })),
            ("stdin_carried", carriedJSON(stdinCarried)),
        ])
        let text = Array((doc.serialized(pretty: true) + "\n").utf8)
        let dir = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let tmp = "\(path).tmp.\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StateError(description: "\(path): cannot write the state: \(String(cString: strerror(errno)))") }
        var ok = text.withUnsafeBytes { b -> Bool in
            var off = 0
            while off < b.count {
                let n = write(fd, b.baseAddress! + off, b.count - off)
                if n < 0 { if errno == EINTR { continue }; return false }
                off += n
            }
            return true
        }
        let savedErrno = errno
        ok = ok && fsync(fd) == 0
        close(fd)
        guard ok, rename(tmp, path) == 0 else {
            let message = String(cString: strerror(ok ? errno : savedErrno))
            unlink(tmp)
            throw StateError(description: "\(path): cannot write the state: \(message) (the previous state is kept)")
        }
        let dfd = open(dir, O_RDONLY | O_DIRECTORY)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }
}
