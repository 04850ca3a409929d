/// A Dictionary key that is already a good 64-bit hash (`Bytes.hash` of some bytes):
/// it is its own hash value, so a lookup does not run SipHash over it again (1 % of a
/// dense scan). `_rawHashValue(seed:)` is the standard library's customization point for
/// such keys; the seed is still mixed in, so iteration order stays per-process.
struct Prehashed: Hashable {
    let value: UInt64

    init(_ value: UInt64) { self.value = value }

    func hash(into hasher: inout Hasher) { hasher.combine(value) }

    func _rawHashValue(seed: Int) -> Int {
        Int(truncatingIfNeeded: value ^ UInt64(UInt(bitPattern: seed)))
    }
}
