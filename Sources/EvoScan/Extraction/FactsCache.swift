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
    private struct Entry {
        let body: [UInt8]
        let facts: [PrismaFacts]
    }

    private var table: [Prehashed: [Entry]] = [:]
    private var storedBytes = 0
    /// Bodies kept at most (bytes); past it the cache starts again empty. A log has a few
    /// hundred distinct error bodies; a bound keeps memory flat on one that has not.
    static let maxBytes = 8 << 20
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

    /// `Tue Jun 10 2025 14:07:31`.
    static let dateLength = 24

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

    func lookup(_ body: UnsafeRawBufferPointer) -> [PrismaFacts]? {
        guard let entries = table[Prehashed(Self.hash(body))] else { return nil }
        for e in entries where e.body.count == body.count {
            if e.body.withUnsafeBytes({ memcmp($0.baseAddress!, body.baseAddress!, body.count) == 0 }) { return e.facts }
        }
        return nil
    }

    func store(_ body: UnsafeRawBufferPointer, _ facts: [PrismaFacts]) {
        if storedBytes + body.count > Self.maxBytes {
            table.removeAll()
            storedBytes = 0
        }
        storedBytes += body.count
        table[Prehashed(Self.hash(body)), default: []].append(Entry(body: Array(body), facts: facts))
    }

    /// A 64-bit hash, 32 bytes per step in four independent lanes (one lane was bound by
    /// the latency of its multiply: 4 % of a dense scan went to hashing error bodies;
    /// Hasher over an [UInt8] goes byte by byte).
    static func hash(_ b: UnsafeRawBufferPointer) -> UInt64 {
        let n = b.count
        var h0: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(n)
        var h1: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var h2: UInt64 = 0x1656_67B1_9E37_79F9
        var h3: UInt64 = 0x85EB_CA77_C2B2_AE63
        @inline(__always) func mix(_ h: inout UInt64, _ w: UInt64) {
            h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        var i = 0
        while i + 32 <= n {
            mix(&h0, b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            mix(&h1, b.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
            mix(&h2, b.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self))
            mix(&h3, b.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self))
            i += 32
        }
        while i + 8 <= n {
            mix(&h0, b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        while i < n { tail = tail << 8 | UInt64(b[i]); i += 1 }
        mix(&h0, tail)
        mix(&h0, h1)
        mix(&h0, h2)
        mix(&h0, h3)
        return h0
    }
}
