/// Checks a config text for what the toml++ parser (inside TOMLKit) does not survive, before
/// it sees the text. toml++ stops the whole process on an assertion instead of reporting an
/// error (both found by the `config` fuzz target):
///
/// - when a table header does not start with a key (`[(x]`, `[.a]`, `[é]`, a `[` alone on
///   its line);
/// - when an array has `}` or a Unicode line separator (U+2028, U+2029, U+0085) where a
///   value should be (`n = [}`, `n = [1, }`).
///
/// And a NUL would cut the C string it reads. Control characters are invalid anywhere in
/// TOML, and those line separators anywhere outside strings and comments, so both are
/// reported wherever they are.
///
/// Headers and arrays are found the way a TOML parser finds them: a header at the start of
/// a statement, outside strings, comments and multi-line arrays. For a text that is valid
/// up to that point this agrees with toml++; past its first error toml++ reads no further.
struct TOMLPreflight {
    struct Problem: Error {
        let line: Int
        let message: String
    }

    /// What the walk meets, for `TOMLLineIndex`: the places error messages name.
    enum Event {
        /// `[name]` (`isArray` false) or `[[name]]`.
        case header(name: String, isArray: Bool, line: Int)
        /// A key at the start of a statement (not the keys inside an inline table).
        case key(String, line: Int)
    }

    private enum State { case statement, header, key, value, comment }
    private enum Quote { case basic, literal, multiBasic, multiLiteral }

    static func check(_ text: String) throws(Problem) {
        let b = Array(text.utf8)
        try checkControlCharacters(b)
        try checkStructure(b)
    }

    /// A control character in TOML's sense: C0 but tab, and DEL. Line ends are allowed
    /// where lines are (the file, a multi-line string); the callers let them through.
    static func isControl(_ c: UInt8) -> Bool { (c < 0x20 && c != 0x09) || c == 0x7F }

    private static func checkControlCharacters(_ b: [UInt8]) throws(Problem) {
        var line = 1
        for c in b {
            if c == 0x0A { line += 1; continue }
            guard isControl(c) && c != 0x0D else { continue }
            if c == 0 { throw Problem(line: line, message: "contains a NUL byte: not a text file") }
            let code = String(c, radix: 16, uppercase: true)
            throw Problem(line: line, message: "control character U+\(String(repeating: "0", count: 4 - code.count) + code) (TOML allows only tab and line ends)")
        }
    }

    /// The structure walk alone, telling `visit` each header and key: one reading of the
    /// grammar serves both the check and the line index.
    static func walk(_ text: String, visit: (Event) -> Void) {
        withoutActuallyEscaping(visit) { visit in try? checkStructure(Array(text.utf8), visit: visit) }
    }

    private static func checkStructure(_ b: [UInt8], visit: ((Event) -> Void)? = nil) throws(Problem) {
        var line = 1
        var keyStart = 0
        var state = State.statement
        var resume = State.statement
        var quote: Quote? = nil
        var escaped = false
        /// The arrays and inline tables open in the current value, innermost last.
        var open: [UInt8] = []
        // toml++ skips a UTF-8 byte-order mark: the first statement starts after it.
        var i = b.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        func at(_ k: Int) -> UInt8 { k < b.count ? b[k] : 0 }
        func starts(_ k: Int, _ s: StaticString) -> Bool {
            (0..<s.utf8CodeUnitCount).allSatisfy { at(k + $0) == s.utf8Start[$0] }
        }
        while i < b.count {
            let c = b[i]
            if c == 0x0A { line += 1 }
            if escaped {
                escaped = false
                i += 1
                continue
            }
            if let q = quote {
                switch q {
                case .basic where c == 0x5C, .multiBasic where c == 0x5C: escaped = true
                case .basic where c == 0x22, .literal where c == 0x27: quote = nil
                case .basic where c == 0x0A, .literal where c == 0x0A: quote = nil; state = .statement; open = []
                case .multiBasic where starts(i, "\"\"\""), .multiLiteral where starts(i, "'''"):
                    // Up to two more quotes may close it (`""""` ends with a quote inside).
                    let mark = q == .multiBasic ? UInt8(0x22) : UInt8(0x27)
                    i += 3
                    for _ in 0..<2 where at(i) == mark { i += 1 }
                    quote = nil
                    continue
                default: break
                }
                i += 1
                continue
            }
            if state != .comment, (c == 0xE2 && at(i + 1) == 0x80 && (at(i + 2) == 0xA8 || at(i + 2) == 0xA9)) || (c == 0xC2 && at(i + 1) == 0x85) {
                throw Problem(line: line, message: "a Unicode line separator outside a string (TOML's line ends are LF and CRLF)")
            }
            switch (state, c) {
            case (.comment, 0x0A): state = resume == .value && !open.isEmpty ? .value : .statement
            case (.comment, _): break
            case (_, 0x23) where state != .comment: resume = state; state = .comment
            case (.statement, 0x20), (.statement, 0x09), (.statement, 0x0A), (.statement, 0x0D): break
            case (.statement, 0x5B):
                var k = i + 1
                while at(k) == 0x20 || at(k) == 0x09 { k += 1 }
                let isArray = at(k) == 0x5B && k == i + 1
                if isArray {
                    k += 1
                    while at(k) == 0x20 || at(k) == 0x09 { k += 1 }
                }
                let first = at(k)
                let isKeyStart = Bytes.isDigit(first) || (first | 0x20) &- 0x61 < 26 || first == 0x5F || first == 0x2D
                guard isKeyStart || first == 0x22 || first == 0x27 || first == 0x5D else {
                    throw Problem(line: line, message: "a table header must start with a key: [name] or [[name]]")
                }
                if let visit {
                    var end = k
                    while end < b.count && b[end] != 0x5D && b[end] != 0x0A { end += 1 }
                    visit(.header(name: text(b, k..<end), isArray: isArray, line: line))
                }
                state = .header
            case (_, 0x22), (_, 0x27):
                let triple = starts(i, c == 0x22 ? "\"\"\"" : "'''")
                quote = triple ? (c == 0x22 ? .multiBasic : .multiLiteral) : (c == 0x22 ? .basic : .literal)
                if state == .statement { state = .key; keyStart = i }
                if triple { i += 2 }
            case (.statement, _): state = .key; keyStart = i
            case (.header, 0x0A), (.key, 0x0A): state = .statement
            case (.key, 0x3D):
                visit?(.key(text(b, keyStart..<i), line: line))
                state = .value
                open = []
            case (.value, 0x5B), (.value, 0x7B): open.append(c)
            case (.value, 0x7D) where open.last == 0x5B:
                throw Problem(line: line, message: "'}' inside an array: an array ends with ']'")
            case (.value, 0x5D), (.value, 0x7D): _ = open.popLast()
            case (.value, 0x0A) where open.isEmpty: state = .statement
            default: break
            }
            i += 1
        }
    }

    /// A key or table name as written, without the blanks around it and its quotes.
    private static func text(_ b: [UInt8], _ range: Range<Int>) -> String {
        var r = range
        while let f = r.first, b[f] == 0x20 || b[f] == 0x09 { r = r.dropFirst() }
        while let l = r.last, b[l] == 0x20 || b[l] == 0x09 { r = r.dropLast() }
        if r.count >= 2, b[r.first!] == b[r.last!], b[r.first!] == 0x22 || b[r.first!] == 0x27 { r = r.dropFirst().dropLast() }
        return String(decoding: b[r], as: UTF8.self)
    }
}
