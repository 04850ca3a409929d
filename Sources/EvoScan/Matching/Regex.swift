import CPCRE2
import Synchronization

/// A PCRE2 pattern compiled and JIT-compiled once, in byte mode (no UTF), with
/// `MULTILINE` and CR/LF-tolerant line ends.
///
/// Byte mode is deliberate: logs contain invalid UTF-8 and the checking `pcre2_match` in UTF
/// mode is quadratic in a find-next loop (`performance.md` §3). The compiled code is
/// immutable and can be shared; per-match scratch lives in `RegexScratch`.
public final class Regex: @unchecked Sendable {
    public struct CompileError: Error, CustomStringConvertible {
        public let pattern: String
        public let offset: Int
        public let message: String
        public var description: String { "bad pattern at offset \(offset): \(message): \(pattern)" }
    }

    let code: OpaquePointer
    public let pattern: String
    public let jit: Bool
    private let names: [String: Int]
    public let captureCount: Int
    /// A number of its own, so that scratch space finds its match data by index.
    let serial: Int
    private static let serials = Atomic<Int>(0)

    /// - Parameters:
    ///   - caseless: compile with `PCRE2_CASELESS`.
    ///   - anchored: compile an anchored copy (match-time `PCRE2_ANCHORED` would push the
    ///     JIT fast path to the interpreter).
    public init(_ pattern: String, caseless: Bool = false, anchored: Bool = false) throws {
        self.pattern = pattern
        var options = UInt32(PCRE2_MULTILINE) | UInt32(PCRE2_DUPNAMES)
        if caseless { options |= UInt32(PCRE2_CASELESS) }
        if anchored { options |= UInt32(PCRE2_ANCHORED) }
        let ccontext = pcre2_compile_context_create_8(nil)
        defer { pcre2_compile_context_free_8(ccontext) }
        pcre2_set_newline_8(ccontext, UInt32(PCRE2_NEWLINE_ANYCRLF))
        var errorCode: Int32 = 0
        var errorOffset = 0
        let bytes = Array(pattern.utf8)
        guard let code = pcre2_compile_8(bytes, bytes.count, options, &errorCode, &errorOffset, ccontext) else {
            var buffer = [UInt8](repeating: 0, count: 256)
            let n = pcre2_get_error_message_8(errorCode, &buffer, buffer.count)
            let message = n > 0 ? String(decoding: buffer[0..<Int(n)], as: UTF8.self) : "error \(errorCode)"
            throw CompileError(pattern: pattern, offset: errorOffset, message: message)
        }
        self.code = code
        self.jit = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) == 0
        var count: UInt32 = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.captureCount = Int(count)
        self.names = Regex.readNames(code)
        self.serial = Regex.serials.add(1, ordering: .relaxed).oldValue
    }

    /// For patterns that are part of the program: a bad one is a bug, not an input error.
    public convenience init(static pattern: String, caseless: Bool = false, anchored: Bool = false) {
        do { try self.init(pattern, caseless: caseless, anchored: anchored) } catch {
            fatalError("\(error)")
        }
    }

    deinit { pcre2_code_free_8(code) }

    /// Group number of a named group (the first of duplicates).
    public func group(_ name: String) -> Int {
        guard let n = names[name] else { fatalError("no group \(name) in \(pattern)") }
        return n
    }

    public func groupIfPresent(_ name: String) -> Int? { names[name] }

    private static func readNames(_ code: OpaquePointer) -> [String: Int] {
        var count: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>? = nil
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        var result: [String: Int] = [:]
        guard let table, count > 0 else { return result }
        for i in 0..<Int(count) {
            let entry = table + i * Int(entrySize)
            let number = Int(entry[0]) << 8 | Int(entry[1])
            var end = 2
            while end < Int(entrySize) && entry[end] != 0 { end += 1 }
            let name = String(decoding: UnsafeBufferPointer(start: entry + 2, count: end - 2), as: UTF8.self)
            if result[name] == nil { result[name] = number }
        }
        return result
    }

    /// The PCRE2 library version this process runs on, and whether JIT is available.
    public static var libraryVersion: (version: String, jit: Bool) {
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = pcre2_config_8(UInt32(PCRE2_CONFIG_VERSION), &buffer)
        var jit: UInt32 = 0
        pcre2_config_8(UInt32(PCRE2_CONFIG_JIT), &jit)
        let version = String(decoding: buffer.prefix(max(0, Int(n) - 1)), as: UTF8.self)
        return (version, jit == 1)
    }
}

/// A match: byte ranges of the groups, relative to the subject's start.
public struct RegexMatch {
    /// 2 entries per group; -1 for an unset group.
    @usableFromInline var ovector: [Int]

    public var range: Range<Int> { ovector[0]..<ovector[1] }

    public func range(_ group: Int) -> Range<Int>? {
        let s = ovector[2 * group]
        return s < 0 ? nil : s..<ovector[2 * group + 1]
    }
}

/// Per-thread match state: match data, a match context with limits, a JIT stack.
/// Created once per pipeline, never per match (`performance.md` §5 rule 4).
public final class RegexScratch {
    let matchContext: OpaquePointer
    let jitStack: OpaquePointer?
    /// Match data by `Regex.serial`: parsers alternate between patterns on every line, and
    /// hashing a key per match showed in profiles. Patterns compiled late (a long-lived
    /// embedder's own) go to the dictionary, so the list stays short.
    private var matchData: [OpaquePointer?] = []
    private var lateMatchData: [Int: OpaquePointer] = [:]
    private static let listedSerials = 1024
    /// Matches that hit the match limit or the JIT stack limit: the region is skipped.
    public private(set) var limitHits = 0

    public init(matchLimit: UInt32 = 1_000_000) {
        matchContext = pcre2_match_context_create_8(nil)
        jitStack = pcre2_jit_stack_create_8(32 << 10, 1 << 20, nil)
        if let jitStack { pcre2_jit_stack_assign_8(matchContext, nil, UnsafeMutableRawPointer(jitStack)) }
        pcre2_set_match_limit_8(matchContext, matchLimit)
        pcre2_set_depth_limit_8(matchContext, 10_000)
    }

    deinit {
        for case let md? in matchData { pcre2_match_data_free_8(md) }
        for md in lateMatchData.values { pcre2_match_data_free_8(md) }
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        pcre2_match_context_free_8(matchContext)
    }

    @inline(__always)
    func data(for regex: Regex) -> OpaquePointer {
        let i = regex.serial
        if i < matchData.count, let md = matchData[i] { return md }
        if i >= Self.listedSerials, let md = lateMatchData[i] { return md }
        let created = pcre2_match_data_create_from_pattern_8(regex.code, nil)!
        if i >= Self.listedSerials {
            lateMatchData[i] = created
        } else {
            if i >= matchData.count { matchData += repeatElement(nil, count: i + 1 - matchData.count) }
            matchData[i] = created
        }
        return created
    }

    /// Runs `regex` on `subject[from...]`. Returns nil on no match and on a limit hit
    /// (counted in `limitHits`).
    @inline(__always)
    func rawMatch(_ regex: Regex, _ base: UnsafePointer<UInt8>, _ count: Int, from: Int) -> UnsafeMutablePointer<Int>? {
        let md = data(for: regex)
        let rc: Int32
        if regex.jit {
            rc = pcre2_jit_match_8(regex.code, base, count, from, 0, md, matchContext)
        } else {
            rc = pcre2_match_8(regex.code, base, count, from, 0, md, matchContext)
        }
        if rc < 0 {
            if rc != PCRE2_ERROR_NOMATCH { limitHits += 1 }
            return nil
        }
        return pcre2_get_ovector_pointer_8(md)
    }

    /// First match at or after `from`.
    public func firstMatch(_ regex: Regex, in subject: UnsafeRawBufferPointer, from: Int = 0) -> RegexMatch? {
        guard let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self), from <= subject.count else { return nil }
        guard let ov = rawMatch(regex, base, subject.count, from: from) else { return nil }
        let n = 2 * (regex.captureCount + 1)
        return RegexMatch(ovector: Array(UnsafeBufferPointer(start: ov, count: n)))
    }

    /// Calls `body` for every non-overlapping match; stop by returning false.
    public func forEachMatch(_ regex: Regex, in subject: UnsafeRawBufferPointer, from: Int = 0, _ body: (RegexMatch) -> Bool) {
        var start = from
        while start <= subject.count, let m = firstMatch(regex, in: subject, from: start) {
            if !body(m) { return }
            start = max(m.range.upperBound, m.range.lowerBound + 1)
        }
    }

    /// Starts of all matches (whole-buffer scan, no ovector copies): the hot-path primitive.
    public func matchStarts(_ regex: Regex, in subject: UnsafeRawBufferPointer, into result: inout [Int]) {
        guard let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var start = 0
        while start < subject.count, let ov = rawMatch(regex, base, subject.count, from: start) {
            result.append(ov[0])
            start = max(ov[1], ov[0] + 1)
        }
    }

    /// Like `matchStarts`, but sorts the starts into two lists: those where `group` took
    /// part in the match, and the others (two kinds of hits from one scan).
    public func matchStarts(_ regex: Regex, in subject: UnsafeRawBufferPointer, group: Int, into grouped: inout [Int], others: inout [Int]) {
        guard let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var start = 0
        while start < subject.count, let ov = rawMatch(regex, base, subject.count, from: start) {
            if ov[2 * group] >= 0 { grouped.append(ov[0]) } else { others.append(ov[0]) }
            start = max(ov[1], ov[0] + 1)
        }
    }

    public func matches(_ regex: Regex, _ subject: UnsafeRawBufferPointer) -> Bool {
        firstMatch(regex, in: subject) != nil
    }
}

extension RegexScratch {
    /// Convenience for tests and cold paths: match on a byte array.
    public func firstMatch(_ regex: Regex, in bytes: [UInt8], from: Int = 0) -> RegexMatch? {
        bytes.withUnsafeBytes { firstMatch(regex, in: $0, from: from) }
    }
}
