/// Writes its own JSON, pretty or compact, at an indentation depth like `JSONValue`.
public protocol JSONFragment: Sendable {
    func write(into out: inout [UInt8], pretty: Bool, indent: Int)
}

/// A JSON value with ordered object keys, so that output is stable and diffable.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// A part that writes itself: large, regular parts of a report (`JSONFragment`).
    case fragment(any JSONFragment)

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    public static func optional(_ s: String?) -> JSONValue { s.map { .string($0) } ?? .null }
    public static func optional(_ i: Int?) -> JSONValue { i.map { .int($0) } ?? .null }
    public static func time(_ t: Instant?) -> JSONValue { t.map { .string($0.iso8601) } ?? .null }
    public static func strings(_ a: [String]) -> JSONValue { .array(a.map { .string($0) }) }
    public static func counts(_ d: [String: Int]) -> JSONValue {
        .object(d.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { ($0.key, .int($0.value)) })
    }

    /// Compact JSON (one line) or indented with two spaces. Written as bytes and decoded
    /// once: appending to a String piece by piece cost 9 % of a dense scan's instructions.
    public func serialized(pretty: Bool = false, newline: Bool = false) -> String {
        String(decoding: bytes(pretty: pretty, newline: newline), as: UTF8.self)
    }

    /// The serialization as UTF-8 bytes: a report written as these is not copied into a
    /// String first (a megabyte more at the moment memory peaks).
    public func bytes(pretty: Bool = false, newline: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        write(into: &out, pretty: pretty, indent: 0)
        if newline { out.append(0x0A) }
        return out
    }

    func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .double(let d): out += (d.isFinite ? String(d) : "null").utf8
        case .string(let s): JSONValue.escape(s, into: &out)
        case .fragment(let f): f.write(into: &out, pretty: pretty, indent: indent)
        case .array(let items):
            if items.isEmpty { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { JSONValue.newline(indent + 1, into: &out) }
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { JSONValue.newline(indent, into: &out) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            if members.isEmpty { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            for (k, (key, value)) in members.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                if pretty { JSONValue.newline(indent + 1, into: &out) }
                JSONValue.escape(key, into: &out)
                out += (pretty ? ": " : ":").utf8
                value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { JSONValue.newline(indent, into: &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A newline and `depth` two-space indents.
    static func newline(_ depth: Int, into out: inout [UInt8]) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    }

    /// Escapes by bytes and appends clean runs whole. Runs end only before ASCII or
    /// U+2028/9, so the output stays valid UTF-8.
    static func escape(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if s.utf8.withContiguousStorageIfAvailable({ escape(utf8: $0, into: &out) }) == nil {
            var s = s
            s.withUTF8 { escape(utf8: $0, into: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Bytes that may need escaping (controls, quote, backslash, DEL, the lead byte of
    /// U+2028/9): all others are passed over with one table load.
    static let mayEscape: [Bool] = (0..<256).map { c in c < 0x20 || c == 0x22 || c == 0x5C || c == 0x7F || c == 0xE2 }

    private static func escape(utf8 b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        mayEscape.withUnsafeBufferPointer { mayEscape in
            var clean = 0
            var i = 0
            while i < b.count {
                let c = b[i]
                guard mayEscape[Int(c)] else { i += 1; continue }
                let replacement: String
                var width = 1
                switch c {
                case 0x22: replacement = "\\\""
                case 0x5C: replacement = "\\\\"
                case 0x0A: replacement = "\\n"
                case 0x0D: replacement = "\\r"
                case 0x09: replacement = "\\t"
                case 0xE2 where i + 2 < b.count && b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9):
                    replacement = b[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                case 0x00..<0x20, 0x7F:
                    let hex = String(c, radix: 16)
                    replacement = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default:
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[clean..<i]))
                out += replacement.utf8
                i += width
                clean = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[clean..<b.count]))
        }
    }
}
