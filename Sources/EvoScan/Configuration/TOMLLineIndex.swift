/// Where each table and key of a TOML text is, by line: the parsed document keeps no
/// positions, and an error about a key must name its line. Read by the same walk that
/// checks the text before toml++ sees it (`TOMLPreflight.walk`); a key it cannot place is
/// reported at its table's header.
struct TOMLLineIndex {
    /// A table: its name, and for `[[name]]` which one (1-based; 0 for `[name]`).
    struct Table: Hashable {
        var name: String
        var index: Int
        static let root = Table(name: "", index: 0)
    }

    private var headers: [Table: Int] = [:]
    private var keys: [Table: [String: Int]] = [:]

    init(_ text: String) {
        var table = Table.root
        var counts: [String: Int] = [:]
        TOMLPreflight.walk(text) { event in
            switch event {
            case .header(let name, let isArray, let line):
                if isArray { counts[name, default: 0] += 1 }
                table = Table(name: name, index: isArray ? counts[name]! : 0)
                headers[table] = line
            case .key(let key, let line):
                if keys[table, default: [:]][key] == nil { keys[table, default: [:]][key] = line }
            }
        }
    }

    /// The line of `key` in `table`, else of the table's header; a top-level key that
    /// names a table (`[name]` or the first `[[name]]`) is at that table's header.
    func line(_ table: Table, key: String? = nil) -> Int? {
        if let key, let line = keys[table]?[key] { return line }
        if table == .root, let key { return headers[Table(name: key, index: 0)] ?? headers[Table(name: key, index: 1)] }
        return headers[table]
    }
}
