#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evolution header lines remembered without their date: a dense log repeats the same few
/// thousand instance × context × level lines with a new date each second, and matching the
/// header pattern and making its strings cost 6 k instructions per record (a tenth of a
/// dense scan). A line equal to a known one but for its date has that one's fields, once
/// its own date is checked against the pattern's date (`isDate`): the pattern is anchored
/// and fixed around the 24-byte date, nothing in it crosses the line end, and the date
/// matches the same 24 bytes whatever their digits and names. The strings are shared by
/// every event of the line, which also spares an allocation each.
final class HeaderCache {
    /// A known line: its bytes without the date, its fields, and whether it is inert for
    /// the facts cache (`FactsCache.isInert`, which no date changes either:
    /// `FactsCacheTests`). A class, so that reading one out of the table is a pointer, not
    /// a copy of each string.
    final class Line {
        let bytes: [UInt8]
        let header: EvolutionHeader
        var inert: Bool?
        init(bytes: [UInt8], header: EvolutionHeader) { self.bytes = bytes; self.header = header }
    }

    private var known: [Prehashed: [Line]] = [:]
    private var count = 0
    /// Distinct lines remembered (their date aside); past it the table starts again. The
    /// dense GiB has about 2,500; a log of endless distinct instance names keeps at most
    /// this many (~1.5 MiB) per reader.
    static let maxLines = 4096
    private let scratch: RegexScratch

    init(scratch: RegexScratch) { self.scratch = scratch }

    /// `EvolutionHeaderParser.parse(text)`, from the table when the first line is known,
    /// and the line as the table knows it.
    func parse(_ text: UnsafeRawBufferPointer) -> (header: EvolutionHeader, line: Line?)? {
        let nl = Bytes.index(of: 0x0A, in: text, from: 0) ?? text.count
        if let hit = lookup(UnsafeRawBufferPointer(rebasing: text[0..<nl])) { return (hit.header, hit.line) }
        guard let header = EvolutionHeaderParser.parse(text, scratch: scratch) else { return nil }
        guard let at = header.dateOffset, at + EvolutionHeaderParser.dateLength <= nl else { return (header, nil) }
        return (header, remember(UnsafeRawBufferPointer(rebasing: text[0..<nl]), header, dateAt: at))
    }

    /// The date sits after the `pid +- +` of the line, at an offset that depends on the
    /// fields before it; each ` - ` (an instance name may hold one too) is tried as that
    /// place, the first four at most.
    private func lookup(_ line: UnsafeRawBufferPointer) -> (header: EvolutionHeader, line: Line)? {
        guard !known.isEmpty else { return nil }
        var i = 0
        var tried = 0
        while tried < 4, let dash = Bytes.index(of: UInt8(ascii: "-"), in: line, from: i) {
            i = dash + 1
            guard dash > 0, line[dash - 1] == 0x20, i < line.count, line[i] == 0x20 else { continue }
            tried += 1
            var at = i
            while at < line.count, line[at] == 0x20 { at += 1 }
            guard at + EvolutionHeaderParser.dateLength <= line.count else { return nil }
            if let hit = lookup(line, dateAt: at) { return hit }
        }
        return nil
    }

    private func lookup(_ line: UnsafeRawBufferPointer, dateAt at: Int) -> (header: EvolutionHeader, line: Line)? {
        let before = UnsafeRawBufferPointer(rebasing: line[0..<at])
        let after = UnsafeRawBufferPointer(rebasing: line[(at + EvolutionHeaderParser.dateLength)...])
        guard let entries = known[Self.key(before, after)] else { return nil }
        for e in entries where e.header.dateOffset == at && e.bytes.count == before.count + after.count {
            let same = e.bytes.withUnsafeBytes { k in
                memcmp(k.baseAddress!, before.baseAddress!, before.count) == 0
                    && (after.isEmpty || memcmp(k.baseAddress! + before.count, after.baseAddress!, after.count) == 0)
            }
            guard same, EvolutionHeaderParser.isDate(line, at),
                  let wall = EvolutionHeaderParser.parseDate(line, at..<(at + EvolutionHeaderParser.dateLength)) else { continue }
            var header = e.header
            header.wallSeconds = wall
            return (header, e)
        }
        return nil
    }

    private func remember(_ line: UnsafeRawBufferPointer, _ header: EvolutionHeader, dateAt at: Int) -> Line {
        if count >= Self.maxLines {
            known.removeAll()
            count = 0
        }
        count += 1
        let before = UnsafeRawBufferPointer(rebasing: line[0..<at])
        let after = UnsafeRawBufferPointer(rebasing: line[(at + EvolutionHeaderParser.dateLength)...])
        let entry = Line(bytes: Array(before) + Array(after), header: header)
        known[Self.key(before, after), default: []].append(entry)
        return entry
    }

    static func key(_ before: UnsafeRawBufferPointer, _ after: UnsafeRawBufferPointer) -> Prehashed {
        Prehashed(Bytes.hash(before) &* 31 ^ Bytes.hash(after))
    }
}
