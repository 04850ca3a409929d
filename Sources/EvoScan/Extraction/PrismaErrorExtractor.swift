/// Reads Prisma error facts out of the text of one record, wherever the error sits: a
/// plain `util.inspect` dump, nested in `origin: Promise { <rejected> … }`, inside the
/// `[SERVER]` event's message string, as JSON, after `prisma:error`, or as a CLI line.
///
/// Sources are tried in the primary → fallback order of `prisma-errors.md` §8. In
/// minified builds the ``Invalid `…()` invocation`` name and the code frame often belong to
/// another call, so they never override `meta.modelName`, the constraint text or the stack
/// method.
public final class PrismaErrorExtractor {
    private let scratch: RegexScratch
    typealias P = PrismaPatterns

    public init(scratch: RegexScratch = RegexScratch()) {
        self.scratch = scratch
    }

    /// The distinct errors in `text` (ANSI already removed). Copies of one error (the
    /// 2.0.x `origin` + `error`, the `[SERVER]` message + response.message) are merged.
    public func extract(_ text: UnsafeRawBufferPointer) -> [PrismaFacts] {
        // Anchors split a record that holds several errors; most hold one.
        var anchors: [Int] = []
        scratch.forEachMatch(P.hClass, in: text) { anchors.append($0.range.lowerBound); return anchors.count < 64 }
        let isJSON = scratch.firstMatch(P.jClass, in: text) != nil
        if anchors.count <= 1 || isJSON {
            let facts = extract(text, 0..<text.count)
            return facts.isEmpty ? [] : [facts]
        }
        var regions: [Range<Int>] = []
        for (k, a) in anchors.enumerated() {
            let end = k + 1 < anchors.count ? anchors[k + 1] : text.count
            regions.append((k == 0 ? 0 : a)..<end)
        }
        var result: [PrismaFacts] = []
        for region in regions {
            var facts = extract(text, region)
            if facts.isEmpty { continue }
            if let i = result.firstIndex(where: { $0.isCompatible(with: facts) }) {
                // Keep the copy with visible meta first: nested copies print `[Object]`.
                if result[i].metaHidden && !facts.metaHidden { facts.merge(result[i]); result[i] = facts } else { result[i].merge(facts) }
            } else {
                result.append(facts)
            }
        }
        return result
    }

    private func sub(_ text: UnsafeRawBufferPointer, _ r: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: text[r])
    }

    private func group(_ m: RegexMatch, _ regex: Regex, _ name: String, _ text: UnsafeRawBufferPointer) -> String? {
        guard let n = regex.groupIfPresent(name), let r = m.range(n) else { return nil }
        return Bytes.string(text, r)
    }

    /// Facts of one region; `PrismaFacts()` with no code, class or message means "none".
    func extract(_ whole: UnsafeRawBufferPointer, _ region: Range<Int>) -> PrismaFacts {
        let t = sub(whole, region)
        var f = PrismaFacts()

        // Class.
        if let m = scratch.firstMatch(P.jClass, in: t) {
            f.errorClass = group(m, P.jClass, "class", t)
        } else if let m = scratch.firstMatch(P.hClass, in: t) {
            f.errorClass = group(m, P.hClass, "class2", t) ?? group(m, P.hClass, "class", t)
            if f.errorClass == "NotFoundError" { f.errorClass = "PrismaClientKnownRequestError" }
        }
        let isCLI = Bytes.hasPrefix(t, at: 0, "Error: P") || Bytes.hasPrefix(t, at: 0, "Error code: P")

        // Location, minified build.
        var invocationModel: String? = nil
        if let (m, regex) = firstOf([P.location, P.locationEscaped], t), let file = group(m, regex, "file", t) {
            f.sourceFile = file.trimming(" \t")
            f.sourceLine = group(m, regex, "line", t).flatMap { Int($0) }
            let col = group(m, regex, "col", t).flatMap { Int($0) } ?? 0
            f.minified = file.hasSuffix("dist/main.js") || file.contains(".min.") || col >= 1000
        }
        if let m = scratch.firstMatch(P.invocation, in: t) {
            f.operation = group(m, P.invocation, "op", t)
            invocationModel = group(m, P.invocation, "model", t)
        } else if let m = scratch.firstMatch(P.rawInvocation, in: t) {
            f.operation = group(m, P.rawInvocation, "rawop", t)
        }

        // Code.
        if let m = scratch.firstMatch(P.code, in: t) { f.code = group(m, P.code, "code", t) }
        let inferred = inferCode(t)
        if f.code == nil { f.code = inferred.code }
        f.message = inferred.message

        // Meta.
        if let m = scratch.firstMatch(P.modelName, in: t) { f.model = group(m, P.modelName, "modelName", t) }
        f.metaHidden = Bytes.contains(t, "meta: [Object]") && f.model == nil
        var constraintName: String? = nil
        scratch.forEachMatch(P.target, in: t) { m in
            if let list = group(m, P.target, "targets", t) {
                if list == "Array" || list == "Object" { return true }
                let items = quotedItems(list)
                if !items.isEmpty { f.fields = items; return false }
                return true
            }
            if let name = group(m, P.target, "target", t) {
                if name.hasPrefix("dbo.") {
                    if f.model == nil { f.model = String(name.dropFirst(4)) }
                } else {
                    constraintName = name
                }
                return false
            }
            return false
        }
        if f.fields.isEmpty, let m = scratch.firstMatch(P.dae, in: t) {
            if let list = group(m, P.dae, "fields", t) { f.fields = quotedItems(list).map { String($0).trimming("\"") } }
            if let idx = group(m, P.dae, "index", t) { constraintName = constraintName ?? idx }
        }
        if let m = scratch.firstMatch(P.fieldName, in: t), let name = group(m, P.fieldName, "field_name", t) {
            applyConstraintOrColumns(name, &f, &constraintName)
        }
        if constraintName == nil, let m = scratch.firstMatch(P.metaConstraint, in: t), let name = group(m, P.metaConstraint, "constraint", t) {
            constraintName = name
        }

        // Message templates.
        if let m = scratch.firstMatch(P.s2002, in: t) {
            if f.fields.isEmpty, let list = group(m, P.s2002, "fields", t) { f.fields = backtickItems(list) }
            if let c = group(m, P.s2002, "constraint", t) { constraintName = constraintName ?? c }
        }
        if let m = scratch.firstMatch(P.s2003, in: t) {
            if let c = group(m, P.s2003, "constraint", t) { constraintName = constraintName ?? c }
            if let old = group(m, P.s2003, "field_old", t) ?? group(m, P.s2003, "field_mid", t) {
                applyConstraintOrColumns(old, &f, &constraintName)
            }
            if f.fields.isEmpty, let list = group(m, P.s2003, "fields", t) { f.fields = backtickItems(list) }
        }
        if let m = scratch.firstMatch(P.s2011, in: t) {
            if f.fields.isEmpty, let list = group(m, P.s2011, "fields", t) { f.fields = backtickItems(list) }
            if let c = group(m, P.s2011, "constraint", t) { constraintName = constraintName ?? c }
        }
        if f.fields.isEmpty, let m = scratch.firstMatch(P.s2000, in: t), let col = group(m, P.s2000, "column", t) {
            let c = col.trimming(" ")
            if c != "(not available)" { f.fields = [c] }
        }
        if f.fields.isEmpty, let m = scratch.firstMatch(P.s2022, in: t), let col = group(m, P.s2022, "column", t) {
            f.fields = [col.pieces(".").last.map(String.init) ?? col]
        }
        if f.fields.isEmpty, let (m, regex) = firstOf([P.sValid5, P.sValid4], t), let arg = group(m, regex, "arg", t) {
            f.fields = [arg]
        }
        if let c = constraintName {
            f.constraint = c
            if let decoded = EvolutionSchema.decodeIndexName(c) {
                if f.model == nil { f.model = decoded.model }
                if f.fields.isEmpty { f.fields = decoded.fields }
            }
        }
        f.fields = f.fields.map { String($0).trimming("\"` ") }

        // Method: first stack frame outside node_modules, else the tsc code frame.
        for frame in [P.stackFrame, P.escapedStackFrame] where f.method == nil {
            let fnGroup = frame.group("fn"), fileGroup = frame.group("file")
            scratch.forEachMatch(frame, in: t) { m in
                // Library frames are skipped on bytes: most frames of a dense log are
                // node_modules ones, and Strings per frame cost 10 % of such a scan.
                guard let fnRange = m.range(fnGroup), let fileRange = m.range(fileGroup) else { return true }
                let file = sub(t, fileRange)
                if Bytes.contains(file, "node_modules") || Bytes.hasPrefix(file, at: 0, "node:") || t[fnRange.lowerBound] == UInt8(ascii: "<") { return true }
                let fn = Bytes.string(t, fnRange)
                let name = fn.pieces(".").last.map(String.init) ?? fn
                if name.count < 3 { return true }
                f.method = name
                return false
            }
        }
        if f.method == nil {
            var last: String? = nil
            scratch.forEachMatch(P.codeFrameMethod, in: t) { m in
                if let name = group(m, P.codeFrameMethod, "method", t), !Self.keywords.contains(name) { last = name }
                return true
            }
            f.method = last
        }

        // Model fallbacks, in order.
        if f.model == nil, let method = f.method { f.model = EvolutionSchema.methodModels[method] }
        if f.model == nil, !f.minified {
            if let accessor = invocationModel, accessor != "prisma", !accessor.hasPrefix("$") {
                f.model = capitalized(accessor)
            } else if let (m, regex) = firstOf([P.frameModel, P.framePrev], t) {
                if let accessor = group(m, regex, "model", t) { f.model = capitalized(accessor) }
                if f.operation == nil { f.operation = group(m, regex, "op", t) }
            }
        }
        if f.model == nil, let m = scratch.firstMatch(P.s2021, in: t), let table = group(m, P.s2021, "table", t) {
            f.model = table.pieces(".").last.map(String.init)
        }
        if f.model == nil, let m = scratch.firstMatch(P.sNotFound, in: t) { f.model = group(m, P.sNotFound, "model", t) }
        if f.operation == nil, let m = scratch.firstMatch(P.metaOperation, in: t), let op = group(m, P.metaOperation, "operation", t) {
            f.operation = op.pieces(" ").last.map { $0 == "query" ? "find" : String($0) }
        }

        // Client version.
        if let m = scratch.firstMatch(P.version, in: t) {
            f.clientVersion = group(m, P.version, "version", t) ?? group(m, P.version, "pathversion", t) ?? group(m, P.version, "tableversion", t)
        }

        // Class inferred when not printed (CLI lines have none).
        if f.errorClass == nil && !isCLI {
            if scratch.firstMatch(P.sPanic, in: t) != nil { f.errorClass = "PrismaClientRustPanicError" }
            else if scratch.firstMatch(P.sValid5, in: t) != nil || scratch.firstMatch(P.sValid4, in: t) != nil { f.errorClass = "PrismaClientValidationError" }
            else if scratch.firstMatch(P.sUnknown, in: t) != nil { f.errorClass = "PrismaClientUnknownRequestError" }
            else if let code = f.code {
                f.errorClass = code.hasPrefix("P1") && Bytes.contains(t, "errorCode") ? "PrismaClientInitializationError" : "PrismaClientKnownRequestError"
            }
        }
        if f.errorClass == nil && f.code == nil && f.message == nil && f.operation == nil { return PrismaFacts() }
        return f
    }

    /// The first of `regexes` that matches, with its match.
    private func firstOf(_ regexes: [Regex], _ t: UnsafeRawBufferPointer) -> (RegexMatch, Regex)? {
        for regex in regexes { if let m = scratch.firstMatch(regex, in: t) { return (m, regex) } }
        return nil
    }

    static let keywords: Set<String> = ["if", "for", "while", "switch", "catch", "function", "return", "with"]

    /// The code from the message text, and the message line that identified it.
    func inferCode(_ t: UnsafeRawBufferPointer) -> (code: String?, message: String?) {
        let signatures: [(Regex, String)] = [
            (P.s2002, "P2002"), (P.s2003, "P2003"), (P.s2025, "P2025"), (P.sNotFound, "P2025"), (P.s2000, "P2000"),
            (P.s2024, "P2024"), (P.s2010, "P2010"), (P.s2011, "P2011"), (P.s2021, "P2021"), (P.s2022, "P2022"),
            (P.s2028, "P2028"), (P.s2034, "P2034"), (P.s2039, "P2039"), (P.s1000, "P1000"), (P.s1001, "P1001"),
            (P.s1003, "P1003"), (P.s1017, "P1017"),
        ]
        for (regex, code) in signatures {
            if let m = scratch.firstMatch(regex, in: t) { return (code, messageLine(t, m.range.lowerBound)) }
        }
        if let code = PrismaCodeCatalog.code(matching: t, scratch: scratch) { return (code, nil) }
        if let m = scratch.firstMatch(P.daeKind, in: t), let kind = group(m, P.daeKind, "daekind", t) {
            return (Self.adapterKinds[kind], nil)
        }
        return (nil, nil)
    }

    static let adapterKinds: [String: String] = [
        "UniqueConstraintViolation": "P2002", "ForeignKeyConstraintViolation": "P2003", "RestrictViolation": "P2003",
        "NullConstraintViolation": "P2011", "TableDoesNotExist": "P2021", "ColumnNotFound": "P2022",
        "DatabaseNotReachable": "P1001", "AuthenticationFailed": "P1000", "TransactionWriteConflict": "P2034",
        "LengthMismatch": "P2000", "ValueOutOfRange": "P2020", "TooManyConnections": "P2037",
    ]

    /// The message text from `at` to the end of its line, without JSON/inspect quoting.
    func messageLine(_ t: UnsafeRawBufferPointer, _ at: Int) -> String {
        var end = at
        while end < t.count, t[end] != 0x0A, t[end] != 0x5C, end - at < 300 { end += 1 }
        var s = Bytes.string(t, at..<end)
        while let last = s.last, last == " " || last == "'" || last == "\"" || last == "," { s.removeLast() }
        return s
    }

    func quotedItems(_ list: String) -> [String] {
        var items: [String] = []
        var bytes = Array(list.utf8)
        bytes.withUnsafeMutableBytes { raw in
            let b = UnsafeRawBufferPointer(raw)
            scratch.forEachMatch(P.quoted, in: b) { m in
                if let r = m.range(P.quoted.group("item")) { items.append(Bytes.string(b, r)) }
                return true
            }
        }
        return items
    }

    /// ``(`a`,`b`)`` / ``(`a`, `b`)`` / ``(`"tenantId"`, `slug`)`` → names.
    func backtickItems(_ list: String) -> [String] {
        list.pieces(",").map { String($0).trimming(" `\"") }.filter { !$0.isEmpty }
    }

    /// A P2003 `field_name`: a constraint name (`X_fkey (index)`) or bare column(s).
    func applyConstraintOrColumns(_ raw: String, _ f: inout PrismaFacts, _ constraint: inout String?) {
        let name = raw.hasSuffix(" (index)") ? String(raw.dropLast(8)) : raw
        if name == "foreign key" || name == "(not available)" { return }
        if EvolutionSchema.decodeIndexName(name) != nil {
            constraint = constraint ?? name
        } else if f.fields.isEmpty {
            f.fields = name.pieces(",").map { String($0).trimming(" ") }
        }
    }

    func capitalized(_ accessor: String) -> String {
        guard let first = accessor.first else { return accessor }
        return first.uppercased() + accessor.dropFirst()
    }
}
