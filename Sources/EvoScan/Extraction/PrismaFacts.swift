/// Everything evoscan reads from one Prisma error.
public struct PrismaFacts: Sendable, Equatable {
    public var errorClass: String?
    public var code: String?
    public var model: String?
    public var fields: [String] = []
    public var constraint: String?
    public var operation: String?
    public var method: String?
    public var clientVersion: String?
    public var sourceFile: String?
    public var sourceLine: Int?
    /// The engine message line (`Unique constraint failed on the fields: (`instanceId`)`),
    /// used to pair the two records of one 2.1.1+ rejection.
    public var message: String?
    /// The build is a minified bundle: invocation names and code frames are unreliable.
    public var minified = false
    /// `meta` was printed as `[Object]` (nested error), so model/fields came from the text.
    public var metaHidden = false

    public init() {}

    /// No Prisma error was recognised.
    public var isEmpty: Bool { errorClass == nil && code == nil && message == nil && operation == nil }

    /// Fills facts this one lacks from `other` (same error seen in another copy).
    mutating func merge(_ other: PrismaFacts) {
        errorClass = errorClass ?? other.errorClass
        code = code ?? other.code
        model = model ?? other.model
        if fields.isEmpty { fields = other.fields }
        constraint = constraint ?? other.constraint
        operation = operation ?? other.operation
        method = method ?? other.method
        clientVersion = clientVersion ?? other.clientVersion
        if sourceFile == nil { sourceFile = other.sourceFile; sourceLine = other.sourceLine }
        message = message ?? other.message
        minified = minified || other.minified
    }

    /// Could `other` be another printed copy of the same error?
    func isCompatible(with other: PrismaFacts) -> Bool {
        func same(_ a: String?, _ b: String?) -> Bool { a == nil || b == nil || a == b }
        return same(errorClass, other.errorClass) && same(code, other.code) && same(message, other.message)
    }
}
