/// A short human title for a failure group: the catalog title of its code, else what its
/// error class says (validation errors and panics carry no code).
enum GroupTitle {
    static func of(_ g: Aggregator.Group) -> String {
        if let code = g.key.code, let entry = PrismaCodeCatalog.entry(code) { return entry.title }
        let dominant = g.errorClasses.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key
        switch dominant {
        case "PrismaClientValidationError": return "Validation error (no code)"
        case "PrismaClientRustPanicError": return "Query engine panic"
        case "PrismaClientUnknownRequestError": return "Unknown request error"
        case "PrismaClientInitializationError": return "Initialization error"
        case .some(let c): return c
        case .none: return "-"
        }
    }
}
