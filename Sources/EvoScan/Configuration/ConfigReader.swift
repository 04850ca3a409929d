#if canImport(Glibc)
import Glibc
#endif
import TOMLKit

/// Reads one config text on top of what is known already. Every table and key is checked:
/// an unknown key, a wrong type or a bad value is an error naming the file, the line and
/// the key (`ConfigError`), never skipped. The rows of each table are read by
/// `ConfigRows`.
struct ConfigReader {
    let text: String
    let file: String
    /// Made only for an error: a valid file (the built-in one is read on every run) never
    /// needs it, and it cost twice the TOML parse.
    private let index: LazyLineIndex

    private final class LazyLineIndex {
        let text: String
        lazy var lines = TOMLLineIndex(text)
        init(_ text: String) { self.text = text }
    }

    var lines: TOMLLineIndex { index.lines }

    init(text: String, file: String) {
        (self.text, self.file) = (text, file)
        index = LazyLineIndex(text)
    }

    /// Largest config file read: a config is a few KB; anything near this is a mistake.
    static let maxBytes = 1 << 20

    static let topLevelKeys = ["defaults", "silent-endpoint", "remediation", "redaction", "access-log-format"]

    /// The file's text; a missing, unreadable, binary or oversized file is an error.
    static func contents(of path: String) throws(ConfigError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ConfigError(file: path, message: "cannot open: " + String(cString: strerror(errno))) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ConfigError(file: path, message: "cannot read: " + String(cString: strerror(errno)))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > maxBytes { throw ConfigError(file: path, message: "larger than 1 MiB: not a config file") }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let bad = firstInvalidUTF8(bytes)
            throw ConfigError(file: path, line: line(at: bad, in: bytes), message: "not valid UTF-8 (TOML files are UTF-8)")
        }
        return text
    }

    private static func line(at offset: Int, in bytes: [UInt8]) -> Int {
        bytes[..<offset].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var lo = 0, hi = bytes.count
        // The longest valid prefix, by halving (a prefix cut inside a character is invalid
        // too, so this lands within 3 bytes of the bad one, on its line).
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if String(validating: bytes[0..<mid], as: UTF8.self) != nil { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    func read(over base: Knowledge) throws(ConfigError) -> Knowledge {
        do {
            try TOMLPreflight.check(text)
        } catch {
            throw ConfigError(file: file, line: error.line, message: error.message)
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw ConfigError(file: file, line: e.source.begin.line, column: e.source.begin.column, message: "TOML syntax: " + e.description)
        } catch {
            throw ConfigError(file: file, message: "TOML syntax: \(error)")
        }
        var k = base
        let rows = ConfigRows(reader: self)
        // Unknown keys first, then the tables in the order the defaults give them.
        let order = { (key: String) in Self.topLevelKeys.firstIndex(of: key) ?? -1 }
        for key in root.keys.sorted(by: { order($0) < order($1) }) {
            let value = root[key]!
            switch key {
            case "defaults":
                k.defaults = try rows.defaults(try table(value, "defaults"), over: k.defaults)
            case "silent-endpoint":
                k.writeMap = try rows.writeMap(try entries(value, key), over: k.writeMap)
            case "remediation":
                k.remediation = try rows.remediation(try entries(value, key), over: k.remediation)
            case "redaction":
                k.redactions = try rows.redactions(try entries(value, key), over: k.redactions)
            case "access-log-format":
                k.accessLogFormats = try rows.accessLogFormats(try entries(value, key), over: k.accessLogFormats)
            default:
                throw error(.root, key, "unknown key (known: \(Self.topLevelKeys.joined(separator: ", ")))")
            }
        }
        if file != "built-in" { k.files.append(file) }
        k.accessLogs = AccessLogCatalog(configured: k.accessLogFormats, writeMap: k.writeMap)
        return k
    }

    // MARK: Shapes

    private func table(_ value: TOMLValueConvertible, _ name: String) throws(ConfigError) -> TOMLTable {
        guard let t = value.table else { throw error(.root, name, "must be a table ([\(name)]), not \(Self.typeName(value))") }
        return t
    }

    /// The tables of `[[name]]`, each with where it is.
    private func entries(_ value: TOMLValueConvertible, _ name: String) throws(ConfigError) -> [(TOMLTable, TOMLLineIndex.Table)] {
        guard let array = value.array else {
            throw error(.root, name, "must be an array of tables: write [[\(name)]] above each entry")
        }
        var out: [(TOMLTable, TOMLLineIndex.Table)] = []
        for (i, element) in array.enumerated() {
            guard let t = element.table else { throw error(.root, name, "entry \(i + 1) must be a table ([[\(name)]])") }
            out.append((t, TOMLLineIndex.Table(name: name, index: i + 1)))
        }
        return out
    }

    // MARK: Errors

    /// An error about `key` of `table` (or the table itself).
    func error(_ table: TOMLLineIndex.Table, _ key: String?, _ message: String) -> ConfigError {
        let place: String
        switch (table.name.isEmpty, table.index, key) {
        case (true, _, let key?): place = "key '\(key)'"
        case (true, _, nil): place = "top level"
        case (false, 0, let key?): place = "[\(table.name)], key '\(key)'"
        case (false, 0, nil): place = "[\(table.name)]"
        case (false, let n, let key?): place = "[[\(table.name)]] #\(n), key '\(key)'"
        case (false, let n, nil): place = "[[\(table.name)]] #\(n)"
        }
        return ConfigError(file: file, line: lines.line(table, key: key), key: place, message: message)
    }

    static func typeName(_ value: TOMLValueConvertible) -> String {
        switch value.type {
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a number"
        case .bool: return "a boolean"
        case .table: return "a table"
        case .array: return "an array"
        case .date, .time, .dateTime: return "a date or time"
        }
    }
}
