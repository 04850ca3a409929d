/// ANSI styling for the table, on only for a TTY and never with `NO_COLOR`.
public struct TerminalStyle: Sendable {
    public let enabled: Bool
    public init(enabled: Bool) { self.enabled = enabled }

    func wrap(_ s: String, _ code: String) -> String { enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
    public func bold(_ s: String) -> String { wrap(s, "1") }
    public func red(_ s: String) -> String { wrap(s, "31") }
    public func yellow(_ s: String) -> String { wrap(s, "33") }
    public func dim(_ s: String) -> String { wrap(s, "2") }
}

/// Display width of a string, counting East Asian wide characters and emoji as two columns.
enum DisplayWidth {
    static func of(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars {
            switch u.value {
            case 0..<0x20, 0x7F, 0x300..<0x370, 0x200B...0x200F, 0xFE00...0xFE0F: continue
            case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F,
                 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1FAFF, 0x20000...0x3FFFD: w += 2
            default: w += 1
            }
        }
        return w
    }

    static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - of(s)))
        return right ? fill + s : s + fill
    }

    /// Cuts to `width` columns with an ellipsis.
    static func clip(_ s: String, _ width: Int) -> String {
        if of(s) <= width { return s }
        var out = ""
        var w = 0
        for ch in s {
            let cw = of(String(ch))
            if w + cw > width - 1 { break }
            out.append(ch)
            w += cw
        }
        return out + "…"
    }
}
