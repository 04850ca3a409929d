/// One database failure as evoscan reports it: the Prisma facts plus where and when.
public struct FailureEvent: Sendable {
    /// UTC time of the record (header time with its zone applied, else transport time).
    public var time: Instant?
    /// The transport's own UTC time of the record's first line, when it has one.
    public var transportTime: Instant?
    public var instance: String?
    public var appVersion: String?
    public var context: String?
    public var level: String?
    public var pid: Int?
    public var facts: PrismaFacts
    /// Input name as given by the user.
    public var input: String
    public var stream: Int32
    public var sequence: Int
    public var truncated: Bool
    /// The record's first lines, secrets redacted.
    public var sample: String

    /// The 2.1.1+ `{ origin: Promise { <rejected> … } }` record: its bare twin follows.
    var isOriginOnly = false
    /// Header wall time, for pairing.
    var wallSeconds: Int64?
}

public protocol FailureSink: AnyObject {
    func failure(_ event: FailureEvent)
}
