/// Where each table and key of a TOML text is, by line: the parsed document keeps no
/// positions, and an error about a key must name its line. Reads the layout config files
/// have (`[table]`, `[[array]]`, `key = value`, multi-line strings); a key it cannot place
/// is reported at its table's header.
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
        var openString: String? = nil
        var number = 0
        // A byte-order mark is not part of the first line.
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        for raw in body.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            let line = raw.drop(while: { $0 == " " || $0 == "\t" })
            if let delimiter = openString {
                if Self.count(delimiter, in: line) % 2 == 1 { openString = nil }
                continue
            }
            if line.hasPrefix("[[") {
                let name = Self.tableName(line.dropFirst(2), closing: "]]")
                counts[name, default: 0] += 1
                table = Table(name: name, index: counts[name]!)
                headers[table] = number
            } else if line.hasPrefix("[") {
                table = Table(name: Self.tableName(line.dropFirst(), closing: "]"), index: 0)
                headers[table] = number
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                let key = Self.unquote(line[..<equals])
                if keys[table, default: [:]][key] == nil { keys[table, default: [:]][key] = number }
                let value = line[line.index(after: equals)...]
                for delimiter in ["'''", "\"\"\""] where Self.count(delimiter, in: value) % 2 == 1 {
                    openString = delimiter
                }
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

    private static func tableName(_ s: Substring, closing: String) -> String {
        let end = s.firstRange(of: closing)?.lowerBound ?? s.endIndex
        return unquote(s[..<end])
    }

    private static func unquote(_ s: Substring) -> String {
        var t = s.trimmedOf(" \t")
        if t.count >= 2, let f = t.first, f == t.last, f == "\"" || f == "'" { t = String(t.dropFirst().dropLast()) }
        return t
    }

    private static func count(_ delimiter: String, in s: Substring) -> Int {
        var n = 0
        var rest = s[...]
        while let r = rest.firstRange(of: delimiter) {
            n += 1
            rest = rest[r.upperBound...]
        }
        return n
    }
}

private extension StringProtocol {
    func trimmedOf(_ set: String) -> String {
        let chars = Set(set)
        let start = firstIndex { !chars.contains($0) } ?? endIndex
        let end = lastIndex { !chars.contains($0) }.map { index(after: $0) } ?? start
        return String(self[start..<Swift.max(start, end)])
    }
}
