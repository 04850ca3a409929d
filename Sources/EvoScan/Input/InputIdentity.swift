/// What identifies a log file across runs and hosts: device and inode (a rename keeps
/// them), and a fingerprint of its first bytes (a copy made by `copytruncate`, or a
/// gzip-compressed rotation, keeps those). Offsets and fingerprints are in decompressed
/// bytes, so `app.log` and its later `app.log.2.gz` are recognised as the same content.
public struct InputIdentity: Sendable, Equatable, Hashable {
    public var device: UInt64
    public var inode: UInt64
    /// FNV-1a 64 of the first `fingerprintBytes` bytes, hex.
    public var fingerprint: String
    public var fingerprintBytes: Int

    public static let fingerprintLength = 4096

    public init(device: UInt64, inode: UInt64, fingerprint: String, fingerprintBytes: Int) {
        self.device = device
        self.inode = inode
        self.fingerprint = fingerprint
        self.fingerprintBytes = fingerprintBytes
    }

    public static func fnv1a(_ bytes: UnsafeRawBufferPointer) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
