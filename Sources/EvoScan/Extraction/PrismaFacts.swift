/// Everything evoscan reads from one Prisma error.
///
/// The values live in one copy-on-write box (`CopyOnWrite`): an event carries its facts
/// through half a dozen copies (extractor, twin pairing, decider, log, replay,
/// correlator), and the facts of a dense log come from the facts cache, so most events
/// share one box.
public struct PrismaFacts: Sendable, Equatable {
    private struct Fields: Sendable, Equatable {
        var errorClass: String?
        var code: String?
        var model: String?
        var fields: [String] = []
        var constraint: String?
        var operation: String?
        var method: String?
        var clientVersion: String?
        var sourceFile: String?
        var sourceLine: Int?
        var message: String?
        var minified = false
        var metaHidden = false
    }

    private var f = CopyOnWrite(Fields())

    public var errorClass: String? {
        get { f.value.errorClass }
        set { f.value.errorClass = newValue }
    }
    public var code: String? {
        get { f.value.code }
        set { f.value.code = newValue }
    }
    public var model: String? {
        get { f.value.model }
        set { f.value.model = newValue }
    }
    public var fields: [String] {
        get { f.value.fields }
        _modify { yield &f.value.fields }
    }
    public var constraint: String? {
        get { f.value.constraint }
        set { f.value.constraint = newValue }
    }
    public var operation: String? {
        get { f.value.operation }
        set { f.value.operation = newValue }
    }
    public var method: String? {
        get { f.value.method }
        set { f.value.method = newValue }
    }
    public var clientVersion: String? {
        get { f.value.clientVersion }
        set { f.value.clientVersion = newValue }
    }
    public var sourceFile: String? {
        get { f.value.sourceFile }
        set { f.value.sourceFile = newValue }
    }
    public var sourceLine: Int? {
        get { f.value.sourceLine }
        set { f.value.sourceLine = newValue }
    }
    /// The engine message line (`Unique constraint failed on the fields: (`instanceId`)`),
    /// used to pair the two records of one 2.1.1+ rejection.
    public var message: String? {
        get { f.value.message }
        set { f.value.message = newValue }
    }
    /// The build is a minified bundle: invocation names and code frames are unreliable.
    public var minified: Bool {
        get { f.value.minified }
        set { f.value.minified = newValue }
    }
    /// `meta` was printed as `[Object]` (nested error), so model/fields came from the text.
    public var metaHidden: Bool {
        get { f.value.metaHidden }
        set { f.value.metaHidden = newValue }
    }

    public init() {}

    /// No Prisma error was recognised.
    public var isEmpty: Bool { errorClass == nil && code == nil && message == nil && operation == nil }

    /// Fills facts this one lacks from `other` (same error seen in another copy). Assigns
    /// only what changes: the two records of a rejection usually carry the same facts,
    /// and an assignment would copy a box the facts cache shares.
    mutating func merge(_ other: PrismaFacts) {
        if sharesStorage(with: other) { return }
        if errorClass == nil, let v = other.errorClass { errorClass = v }
        if code == nil, let v = other.code { code = v }
        if model == nil, let v = other.model { model = v }
        if fields.isEmpty, !other.fields.isEmpty { fields = other.fields }
        if constraint == nil, let v = other.constraint { constraint = v }
        if operation == nil, let v = other.operation { operation = v }
        if method == nil, let v = other.method { method = v }
        if clientVersion == nil, let v = other.clientVersion { clientVersion = v }
        if sourceFile == nil, other.sourceFile != nil { sourceFile = other.sourceFile; sourceLine = other.sourceLine }
        if message == nil, let v = other.message { message = v }
        if !minified, other.minified { minified = true }
    }

    /// The same box: facts read from one cache entry (equal, and found without comparing).
    func sharesStorage(with other: PrismaFacts) -> Bool { f.sharesBox(with: other.f) }

    /// Could `other` be another printed copy of the same error?
    func isCompatible(with other: PrismaFacts) -> Bool {
        func same(_ a: String?, _ b: String?) -> Bool { a == nil || b == nil || a == b }
        return same(errorClass, other.errorClass) && same(code, other.code) && same(message, other.message)
    }
}
