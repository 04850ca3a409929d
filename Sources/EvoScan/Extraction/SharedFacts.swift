import Foundation

/// Facts one chunk worker extracted, for the other workers of the same scan. Each worker
/// keeps its own facts cache (its events' strings are its own and are never retained on
/// another core); on a miss it asks here before extracting: a dense GiB has 1,761 distinct
/// error bodies, and every worker extracted each of them (~115 k instructions apiece).
/// What goes in and what comes out are copies with their own string storage.
final class SharedFactsTable: @unchecked Sendable {
    private let lock = NSLock()
    /// Bodies kept at most (bytes); past it nothing more is shared.
    static let maxBytes = 2 << 20
    private var table = BytesKeyedTable<[PrismaFacts]>(maxBytes: maxBytes, whenFull: .keepWhatIsThere)

    func lookup(_ body: UnsafeRawBufferPointer) -> [PrismaFacts]? {
        lock.lock()
        let found = table.value(for: body)
        lock.unlock()
        return found?.map { $0.detached() }
    }

    func store(_ body: UnsafeRawBufferPointer, _ facts: [PrismaFacts]) {
        let copy = facts.map { $0.detached() }
        lock.lock()
        defer { lock.unlock() }
        table.store(copy, for: body)
    }
}

extension PrismaFacts {
    /// The same facts in strings of their own: nothing in the copy shares a reference count
    /// with the original, which another thread uses.
    func detached() -> PrismaFacts {
        func own(_ s: String?) -> String? { s.map { String(decoding: Array($0.utf8), as: UTF8.self) } }
        var f = self
        f.errorClass = own(errorClass)
        f.code = own(code)
        f.model = own(model)
        f.fields = fields.map { String(decoding: Array($0.utf8), as: UTF8.self) }
        f.constraint = own(constraint)
        f.operation = own(operation)
        f.method = own(method)
        f.clientVersion = own(clientVersion)
        f.sourceFile = own(sourceFile)
        f.message = own(message)
        return f
    }
}
