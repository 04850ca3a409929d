#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Values kept by a run of bytes (an error body): found by `Bytes.hash` and told apart by
/// comparing the bytes in full. At most `maxBytes` of keys are kept; past it the table
/// starts again empty, or keeps what it has and takes no more.
struct BytesKeyedTable<Value> {
    enum WhenFull { case startAgain, keepWhatIsThere }

    private var table: [Prehashed: [(key: [UInt8], value: Value)]] = [:]
    private var storedBytes = 0
    let maxBytes: Int
    let whenFull: WhenFull

    init(maxBytes: Int, whenFull: WhenFull) {
        self.maxBytes = maxBytes
        self.whenFull = whenFull
    }

    func value(for key: UnsafeRawBufferPointer) -> Value? {
        guard let entries = table[Prehashed(Bytes.hash(key))] else { return nil }
        for e in entries where e.key.count == key.count {
            if e.key.withUnsafeBytes({ memcmp($0.baseAddress!, key.baseAddress!, key.count) == 0 }) { return e.value }
        }
        return nil
    }

    mutating func store(_ value: Value, for key: UnsafeRawBufferPointer) {
        if storedBytes + key.count > maxBytes {
            guard whenFull == .startAgain else { return }
            table.removeAll()
            storedBytes = 0
        }
        storedBytes += key.count
        table[Prehashed(Bytes.hash(key)), default: []].append((Array(key), value))
    }
}
