import CPCRE2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Redacted facts of records keyed by everything after their first line. On dense logs the
/// same error body (message, stack, meta) repeats thousands of times under headers that
/// differ only in time and instance, and the ~40 PCRE2 patterns per record were half of
/// the scan.
///
/// A cached result is only valid when the first line cannot take part in any match, so
/// that the facts depend on the body alone. `isInert` decides that exactly:
/// - no pattern of the extractor matches inside the line on its own;
/// - the line's last non-blank byte is `]`: every pattern that can match across a line
///   end does so through `\s`, `[^\]]` or an explicit `\n` preceded by a keyword, a quote,
///   `:`, `=`, `{`, `[`, `+`, `→`, a digit or a word character (see `PrismaPatterns.all`),
///   never through `]`; and a `[^\]]` run opened in the line stops at that `]`;
/// - the line starts with `[` (the CLI `Error: P…` prefix test looks at offset 0) and holds
///   neither literal that `extract` tests with `contains`.
/// Lookbehinds look back one byte at most, which is the `\n` in front of the body.
final class FactsCache {
    /// Bodies kept at most (bytes); past it the cache starts again empty. A log has a few
    /// hundred distinct error bodies; a bound keeps memory flat on one that has not.
    static let maxBytes = 2 << 20
    private var table = BytesKeyedTable<[PrismaFacts]>(maxBytes: maxBytes, whenFull: .startAgain)
    static let maxBody = 64 << 10

    private let scratch: RegexScratch
    /// Match data for yes/no answers only (rc 0, "ovector too small", is a match).
    private let matchData: OpaquePointer

    init(scratch: RegexScratch) {
        self.scratch = scratch
        matchData = pcre2_match_data_create_8(1, nil)
    }

    deinit { pcre2_match_data_free_8(matchData) }

    /// The body (from the first `\n` on) of `text` when its first line is inert. `known`:
    /// that line as the header cache knows it, which remembers the answer for every line
    /// equal to it but for the date (see `HeaderCache.Line.inert`).
    func body(of text: UnsafeRawBufferPointer, known: HeaderCache.Line? = nil) -> UnsafeRawBufferPointer? {
        guard let nl = Bytes.index(of: 0x0A, in: text, from: 0), text.count - nl <= Self.maxBody else { return nil }
        let inert: Bool
        if let known, let answer = known.inert {
            inert = answer
        } else {
            inert = isInert(UnsafeRawBufferPointer(rebasing: text[0..<nl]))
            known?.inert = inert
        }
        return inert ? UnsafeRawBufferPointer(rebasing: text[nl...]) : nil
    }

    func isInert(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.first == UInt8(ascii: "[") else { return false }
        var last = line.count - 1
        while last > 0, line[last] == 0x20 || (0x09...0x0D).contains(line[last]) { last -= 1 }
        guard line[last] == UInt8(ascii: "]"), !Bytes.contains(line, "meta: [Object]"), !Bytes.contains(line, "errorCode") else { return false }
        for (regex, literal) in Self.checks where (literal.map { Bytes.contains(line, $0) } ?? true) && mayMatch(regex, line) {
            return false
        }
        // The catalog's 117 alternatives cost 3x all the other patterns on a header line.
        return !PrismaCodeCatalog.mayMatch(line) || !mayMatch(PrismaCodeCatalog.combined.regex, line)
    }

    /// The extractor's patterns with the literal each needs, if known.
    static let checks: [(Regex, StaticString?)] = PrismaPatterns.all.map { regex in
        (regex, PrismaPatterns.mandatoryLiterals.first { $0.0 === regex }?.1)
    }

    /// Does `regex` match in `line` (or give up on a limit)? PCRE2 is called directly: the
    /// scratch's match-data lookup and ovector copy were a third of each of these calls.
    private func mayMatch(_ regex: Regex, _ line: UnsafeRawBufferPointer) -> Bool {
        let base = line.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let rc = regex.jit ? pcre2_jit_match_8(regex.code, base, line.count, 0, 0, matchData, scratch.matchContext)
            : pcre2_match_8(regex.code, base, line.count, 0, 0, matchData, scratch.matchContext)
        return rc != PCRE2_ERROR_NOMATCH
    }

    /// The facts the other chunk workers of the scan extracted (`SharedFactsTable`): asked
    /// on a miss, told of every store.
    var shared: SharedFactsTable?

    func lookup(_ body: UnsafeRawBufferPointer) -> [PrismaFacts]? {
        if let known = table.value(for: body) { return known }
        guard let known = shared?.lookup(body) else { return nil }
        table.store(known, for: body)
        return known
    }

    func store(_ body: UnsafeRawBufferPointer, _ facts: [PrismaFacts]) {
        table.store(facts, for: body)
        shared?.store(body, facts)
    }

}
