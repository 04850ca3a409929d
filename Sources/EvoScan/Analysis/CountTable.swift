/// Counts per string for a report column that holds a few distinct values (codes, error
/// classes, methods, contexts, versions). A dense log counts a dozen of them per failure,
/// and a `Dictionary` hashes the key every time (SipHash over the bytes); here the key is
/// found with `==` in a short list, which for the values a log repeats is a comparison of
/// two pointers or of two 16-byte small strings. Past `listLimit` keys it becomes a
/// `Dictionary`, so a hostile log with thousands of values stays linear.
struct CountTable: Sendable, Equatable {
    private var keys: [String] = []
    private var counts: [Int] = []
    private var table: [String: Int]? = nil
    static let listLimit = 16

    init() {}

    init(_ dictionary: [String: Int]) {
        for (k, v) in dictionary { add(k, v) }
    }

    var count: Int { table?.count ?? keys.count }

    /// Adds `n` to `key`'s count; a new key is taken only while fewer than `cap` are held
    /// (the caller counts what is refused).
    @discardableResult
    mutating func add(_ key: String, _ n: Int = 1, cap: Int = .max) -> Bool {
        if table == nil {
            for i in keys.indices where keys[i] == key {
                counts[i] += n
                return true
            }
            guard keys.count < cap else { return false }
            if keys.count < Self.listLimit {
                keys.append(key)
                counts.append(n)
                return true
            }
            table = dictionary
            keys = []
            counts = []
        }
        if let i = table!.index(forKey: key) {
            table!.values[i] += n
            return true
        }
        guard table!.count < cap else { return false }
        table![key] = n
        return true
    }

    var dictionary: [String: Int] {
        table ?? Dictionary(uniqueKeysWithValues: zip(keys, counts))
    }

    static func == (a: CountTable, b: CountTable) -> Bool { a.dictionary == b.dictionary }
}
