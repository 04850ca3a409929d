/// An endpoint as the config names it: `POST /proxy/set/{instance}`. Its key, what reports
/// and the write map call it, is the method and the path without the instance segment
/// (`POST /proxy/set`), as `EvolutionEndpoints.classify` names a request.
///
/// Endpoints the built-in classification does not know (a fork's route) are found in a
/// request's path by `locate`: as a suffix of the path, like the built-in ones, so a proxy
/// that mounts Evolution below a prefix is still read.
public struct EndpointTemplate: Sendable, Equatable, CustomStringConvertible {
    public let method: String
    /// The path's literal segments, in order.
    public let segments: [String]
    /// Whether the path ends with the instance's name (`{instance}`).
    public let hasInstance: Bool
    /// `POST /proxy/set`.
    public let key: String

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    /// `METHOD /seg/seg/{instance}`; `{instance}` may only be the last segment, as in every
    /// Evolution route.
    public init(_ text: String) throws(ParseError) {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { throw ParseError(description: "expected METHOD /path, such as \"POST /proxy/set/{instance}\"") }
        let method = String(parts[0])
        guard !method.isEmpty, method.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else {
            throw ParseError(description: "method '\(method)' must be upper-case letters (POST, PUT, …)")
        }
        guard parts[1].hasPrefix("/") else { throw ParseError(description: "the path must start with /") }
        var segments = parts[1].split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        if segments.last == "" { segments.removeLast() }
        var hasInstance = false
        if segments.last == "{instance}" {
            hasInstance = true
            segments.removeLast()
        }
        guard !segments.isEmpty else { throw ParseError(description: "the path needs at least one segment besides {instance}") }
        for s in segments {
            if s == "{instance}" { throw ParseError(description: "{instance} may only be the last segment") }
            if s.isEmpty || s.utf8.contains(where: { Self.forbidden($0) }) {
                throw ParseError(description: "segment '\(s)' must be non-empty, without {, }, ?, #, quotes or spaces")
            }
        }
        (self.method, self.segments, self.hasInstance) = (method, segments, hasInstance)
        key = method + " /" + segments.joined(separator: "/")
    }

    public var description: String { key + (hasInstance ? "/{instance}" : "") }

    private static func forbidden(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "?"), UInt8(ascii: "#"), UInt8(ascii: "\""), UInt8(ascii: "'"), 0x20, 0x09...0x0D: return true
        default: return c < 0x20
        }
    }

    /// The endpoint in the path `b[start..<end]` (trailing `/` already dropped), if the
    /// path ends with this template's segments.
    func locate(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> EvolutionEndpoints.Located? {
        var cursor = end
        var instance: Range<Int>? = nil
        if hasInstance {
            guard let slash = EvolutionEndpoints.lastSlash(b, start, before: cursor),
                  EvolutionEndpoints.isInstance(b, slash + 1, cursor) else { return nil }
            instance = slash + 1..<cursor
            cursor = slash
        }
        let nameEnd = cursor
        for segment in segments.reversed() {
            guard let slash = EvolutionEndpoints.lastSlash(b, start, before: cursor) else { return nil }
            let matches = segment.utf8.count == cursor - slash - 1
                && segment.utf8.elementsEqual(UnsafeRawBufferPointer(rebasing: b[slash + 1..<cursor]))
            guard matches else { return nil }
            cursor = slash
        }
        return EvolutionEndpoints.Located(name: cursor + 1..<nameEnd, suffix: "", instance: instance)
    }
}
