/// The PCRE2 patterns that read Prisma error facts (`prisma-errors.md` §9), compiled once.
/// They run only inside records that passed the trigger scan, never on every line.
enum PrismaPatterns {
    static let ops = "findUniqueOrThrow|findUnique|findFirstOrThrow|findFirst|findMany|createManyAndReturn|createMany|create|updateManyAndReturn|updateMany|update|upsert|deleteMany|delete|groupBy|count|aggregate|findRaw|aggregateRaw"

    static let hClass = Regex(static: #"(?<![\w$])(?:Error \[)?(?<class>PrismaClient(?:KnownRequest|UnknownRequest|RustPanic|Initialization|Validation)Error|NotFoundError)(?<minified>\d+)?\]?(?: \[(?<class2>PrismaClient\w+Error)\])?:[ \t]*(?<rest>[^\n]*)$"#)
    static let jClass = Regex(static: #"\b(?:name|type)["']?\s*:\s*["'](?<class>PrismaClient(?:KnownRequest|UnknownRequest|RustPanic|Initialization|Validation)Error|NotFoundError)["']"#)
    static let invocation = Regex(static: #"(?:Invalid|It occurr?ed in the) `?(?:[^\n`]*?(?<![\w$])(?<model>[A-Za-z_][\w$]*)\.|[^\n`]*?)(?<op>"# + ops + #")\(\)`? invocation(?<loc> in(?=[ \t]*$|\\n)|:)"#)
    static let rawInvocation = Regex(static: #"(?:Invalid|It occurr?ed in the) `?[^\n`]*?(?<rawop>\$(?:queryRawUnsafe|executeRawUnsafe|queryRawTyped|queryRaw|executeRaw|runCommandRaw))\(\)`? invocation(?<loc> in(?=[ \t]*$|\\n)|:)"#)
    static let location = Regex(static: #"^(?<pfx>[^\n]*?)Invalid `?[^\n]*?\(\)`? invocation in\n\k<pfx>(?<file>[^\n]+?):(?<line>\d+):(?<col>\d+)[ \t]*$"#)
    /// The same inside an escaped string: JSON (`in\\n/file…`) or `util.inspect` pieces
    /// (`in\\n' +` then `'/file…` on the next line).
    static let locationEscaped = Regex(static: #"Invalid `?[^\n`]*?\(\)`? invocation in\\n(?:['"] \+\n[ \t]*['"])?(?<file>[^\\"'\n]+?):(?<line>\d+):(?<col>\d+)\\n"#)
    static let frameModel = Regex(static: #"^(?:(?!→)[^\n])*→\s*\d+\s+[^\n]*?(?<![\w$])(?<model>[A-Za-z_][\w$]*)\.(?<op>"# + ops + #")\($"#)
    static let framePrev = Regex(static: #"^[^\n]*?[ \t]\d+[ \t][^\n]*\.(?<model>[A-Za-z_][\w$]*)[ \t]*\n(?:(?!→)[^\n])*→\s*\d+\s+\.(?<op>\w+)\($"#)
    static let code = Regex(static: #"(?:\b(?:code|errorCode|error_code)["']?\s*[:=]\s*["']?|\bError:\s+|\bError code:\s+)(?<code>P[1-6]\d{3})\b"#)
    static let version = Regex(static: #"\bclientVersion["']?\s*:\s*["'](?<version>\d+\.\d+\.\d+(?:-[\w.]+)?)["']|@prisma\+client@(?<pathversion>\d+\.\d+\.\d+(?:-[\w.]+)?)|\bPrisma Client\s+\|\s+(?<tableversion>\d+\.\d+\.\d+)"#)
    static let modelName = Regex(static: #"\bmodelName["']?\s*:\s*["'](?<modelName>[^"'\n]+)["']"#)
    static let target = Regex(static: #"\btarget["']?\s*:\s*(?:\[\s*(?<targets>[^\]]*?)\s*\]|["'](?<target>[^"'\n]+)["']|(?<targetnull>null))"#)
    static let quoted = Regex(static: #"["'](?<item>[^"']+)["']"#)
    static let fieldName = Regex(static: #"\bfield_name["']?\s*:\s*["'](?<field_name>[^"'\n]+)["']"#)
    static let metaOperation = Regex(static: #"\boperation["']?\s*:\s*["'](?<operation>an? [\w ]+?)["']"#)
    static let metaConstraint = Regex(static: #"\bconstraint["']?\s*:\s*["'](?<constraint>[^"'\n]+)["']"#)
    static let dae = Regex(static: #""?constraint"?\s*:\s*\{\s*"?(?<kind>fields|index)"?\s*:\s*(?:\[\s*(?<fields>[^\]]*?)\s*\]|["'](?<index>[^"'\n]+)["'])"#)
    static let daeKind = Regex(static: #"\bkind["']?\s*:\s*["'](?<daekind>[A-Z][A-Za-z]+)["']"#)
    static let s2002 = Regex(static: #"Unique constraint failed on the (?:fields: \((?<fields>`[^\n)]*`)\)|constraint: `(?<constraint>[^`\n]+)`|(?<na>\(not available\))|(?<fk>foreign key))"#)
    static let s2003 = Regex(static: #"Foreign key constraint (?:failed on the field: `(?<field_old>[^`\n]*)`|violated: `(?<field_mid>[^`\n]*)`|violated on the (?:fields: \((?<fields>[^)\n]*)\)|constraint: `(?<constraint>[^`\n]+)`|(?<fk>foreign key)|(?<na>\(not available\))))"#)
    static let s2011 = Regex(static: #"Null constraint violation on the (?:fields: \((?<fields>[^)\n]*)\)|constraint: `(?<constraint>[^`\n]+)`|\(not available\)|foreign key)"#)
    static let s2025 = Regex(static: #"An operation failed because it depends on one or more records that were required but not found\.(?: (?<cause>[^\n\\'"]+))?"#)
    static let sNotFound = Regex(static: #"\bNotFoundError\b[^\n]*?:\s*No (?<model>\w+) found"#)
    static let s2000 = Regex(static: #"The provided value for the column is too long for the column's type\. Column: (?<column>[^\n\\'"]+)"#)
    static let s2021 = Regex(static: #"The table `(?<table>[^`\n]+)` does not exist in the current database\."#)
    static let s2022 = Regex(static: #"The column `(?<column>[^`\n]+)` does not exist in the current database\."#)
    static let s2024 = Regex(static: #"Timed out fetching a new connection from the connection pool\."#)
    static let s2028 = Regex(static: #"Transaction API error: "#)
    static let s2034 = Regex(static: #"Transaction failed due to a write conflict or a deadlock\."#)
    static let s2010 = Regex(static: #"Raw query failed\. Code: `(?<dbcode>[^`\n]*)`\. Message: `"#)
    static let s2039 = Regex(static: #"Database error\. Code: `(?<dbcode>[^`\n]*)`\. Message: `"#)
    static let s1000 = Regex(static: #"Authentication failed against (?:the )?database server"#)
    static let s1001 = Regex(static: #"Can't reach database server"#)
    static let s1003 = Regex(static: #"Database `?[^`\s]+`? does not exist (?:at \S+|on the database server)"#)
    static let s1017 = Regex(static: #"Server has closed the connection\."#)
    static let sPanic = Regex(static: #"PANIC: |This is a non-recoverable error which probably happens when the Prisma Query Engine has a panic|Oops, an unknown error occurr?ed! This is on us|thread '[^'\n]+' panicked at"#)
    static let sValid5 = Regex(static: #"(?J)(?:Argument `(?<arg>[^`\n]+)` is missing\.|Argument `(?<arg>[^`\n]+)` must not be null\.|Unknown argument `(?<arg>[^`\n]+)`\.|Unknown field `(?<arg>[^`\n]+)`|Invalid value for argument `(?<arg>[^`\n]+)`|Argument `(?<arg>[^`\n]+)`: Invalid value provided\.|Argument `(?<arg>[^`\n]+)` of type \w+ needs)"#)
    static let sValid4 = Regex(static: #"(?J)(?:Unknown arg `(?<arg>[^`\n]+)` in (?<path>\S+) for type (?<type>\w+)|Argument (?<arg>\w+) for (?<path>\S+) is missing\.)"#)
    static let sUnknown = Regex(static: #"Error occurred during query execution:"#)
    static let prismaLog = Regex(static: #"^(?:\x1b\[\d+m)?prisma:(?<level>error|warn|info|query)(?:\x1b\[\d+m)?(?: |$)"#)

    /// A stack frame: function and file (`at async Wr.setProxy (/evolution/dist/main.js:2:1)`).
    static let stackFrame = Regex(static: #"^[ \t]*at (?:async )?(?<fn>[^\s(]+) \((?<file>[^)\n]*)\)"#)
    /// The same inside a JSON-escaped stack (`"stack":"…\\n    at async Wr.getMessage (…)"`).
    static let escapedStackFrame = Regex(static: #"\\n[ \t]*at (?:async )?(?<fn>[^\s(\\]+) \((?<file>[^)\\"\n]*)\)"#)
    /// The method in a code-frame line of a tsc build (`  610 setProxy(data) {`).
    static let codeFrameMethod = Regex(static: #"^[ \t]*(?:→[ \t]*)?\d+[ \t]+(?:async[ \t]+)?(?<method>[A-Za-z_$][\w$]*)\([^)\n]*\)[ \t]*\{[ \t]*$"#)

    /// A literal that every match of a pattern contains (stated outside any alternation or
    /// optional part, or in every alternative): a header line without it cannot match, and
    /// the facts cache skips the PCRE2 call. Only for the patterns that cost most there.
    static let mandatoryLiterals: [(Regex, StaticString)] = [
        (location, "Invalid"), (locationEscaped, "Invalid"), (invocation, "invocation"), (rawInvocation, "invocation"),
        (hClass, "Error"), (jClass, "Error"), (sValid5, "`"), (target, "target"),
    ]

    /// Every pattern above that runs on record text, for `FactsCache.isInert` (`quoted`
    /// runs on captured lists, `prismaLog` in the line classifier). A new one must be
    /// listed here, and if it can match across a line end it must do so only after a byte
    /// other than `]` (as all of these do), or the facts cache would reuse results it must
    /// not.
    static let all: [Regex] = [
        hClass, jClass, invocation, rawInvocation, location, locationEscaped, frameModel, framePrev,
        code, version, modelName, target, fieldName, metaOperation, metaConstraint, dae,
        daeKind, s2002, s2003, s2011, s2025, sNotFound, s2000, s2021, s2022, s2024, s2028, s2034,
        s2010, s2039, s1000, s1001, s1003, s1017, sPanic, sValid5, sValid4, sUnknown,
        stackFrame, escapedStackFrame, codeFrameMethod,
    ]
}
