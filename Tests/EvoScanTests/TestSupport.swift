import XCTest
@testable import EvoScan

/// Runs the whole library pipeline on text and returns the failure events.
func scanEvents(_ text: String, name: String = "test.log", logZone: LogTimeZone? = nil, configure: (inout ScanSession.Options) -> Void = { _ in }) -> (events: [FailureEvent], session: ScanSession) {
    scanEvents(bytes: Array(text.utf8), name: name, logZone: logZone, configure: configure)
}

func scanEvents(bytes: [UInt8], name: String = "test.log", logZone: LogTimeZone? = nil, configure: (inout ScanSession.Options) -> Void = { _ in }) -> (events: [FailureEvent], session: ScanSession) {
    var options = ScanSession.Options(logZone: logZone)
    configure(&options)
    let session = ScanSession(options: options)
    var events: [FailureEvent] = []
    session.aggregate.onEvent = { events.append($0) }
    session.scan(bytes: bytes, name: name)
    session.finish()
    return (events, session)
}

/// Extracts facts from a single block of text.
func facts(_ text: String) -> [PrismaFacts] {
    let extractor = PrismaErrorExtractor()
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBytes { extractor.extract(UnsafeRawBufferPointer($0)) }
}

let ESC = "\u{1B}"

/// The colour-layout header exactly as the logger writes it (evolution-logs.md §2.1).
func colourHeader(level: String = "ERROR", fg: Int = 1, bg: Int = 1, instance: String? = nil, version: String = "2.2.3",
                  pid: Int = 211, date: String = "Tue Jun 10 2025 14:07:31", context: String, type: String = "object", value: String = "") -> String {
    let c = "\(ESC)[1m\(ESC)[3\(fg)m"
    let inst = instance.map { "[\($0)]" } ?? ""
    return "\(c)[Evolution API]\(ESC)[0m \(c) \(inst) \(c) v\(version) \(c) \(pid) \(ESC)[0m \(c) - \(ESC)[1m\(ESC)[37m \(date)   \(ESC)[0m \(ESC)[3\(fg)m\(ESC)[4\(bg)m\(ESC)[1m \(level) \(ESC)[0m \(ESC)[33m\(ESC)[1m [\(context)]\(ESC)[0m \(ESC)[3\(fg)m\(ESC)[1m [\(type)]\(ESC)[0m \(ESC)[3\(fg)m \(value) \(ESC)[0m"
}

enum Samples {
    /// 2.2.3 pair (colour layout, stripped), evolution-logs.md §5.2.
    static let pair223 = """
    [Evolution API]    v2.2.3  211   -  Tue Jun 10 2025 14:07:31     ERROR   [unhandledRejection]  [object]  \("")
    {
      origin: Promise {
        <rejected> PrismaClientKnownRequestError: \("")
        Invalid `this.prismaRepository.proxy.upsert()` invocation in
        /evolution/dist/main.js:2:183447
       \("")
          1 <minified code>
        → 2 <minified call line>(
        Unique constraint failed on the fields: (`instanceId`)
            at Kn.handleRequestError (/evolution/node_modules/@prisma/client/runtime/library.js:124:5131)
            at Kn.handleAndLogRequestError (/evolution/node_modules/@prisma/client/runtime/library.js:124:4489)
            at Kn.request (/evolution/node_modules/@prisma/client/runtime/library.js:124:4173)
            at async l (/evolution/node_modules/@prisma/client/runtime/library.js:133:9640)
            at async Wr.setProxy (/evolution/dist/main.js:2:183502) {
          code: 'P2002',
          clientVersion: '6.3.1',
          meta: [Object]
        }
      },
      stderr: 2
    }\(" ")

    [Evolution API]    v2.2.3  211   -  Tue Jun 10 2025 14:07:31     ERROR   [unhandledRejection]  [object]  \("")
    PrismaClientKnownRequestError: \("")
    Invalid `this.prismaRepository.proxy.upsert()` invocation in
    /evolution/dist/main.js:2:183447

      1 <minified code>
    → 2 <minified call line>(
    Unique constraint failed on the fields: (`instanceId`)
        at Kn.handleRequestError (/evolution/node_modules/@prisma/client/runtime/library.js:124:5131)
        at Kn.handleAndLogRequestError (/evolution/node_modules/@prisma/client/runtime/library.js:124:4489)
        at Kn.request (/evolution/node_modules/@prisma/client/runtime/library.js:124:4173)
        at async l (/evolution/node_modules/@prisma/client/runtime/library.js:133:9640)
        at async Wr.setProxy (/evolution/dist/main.js:2:183502) {
      code: 'P2002',
      clientVersion: '6.3.1',
      meta: { modelName: 'Proxy', target: [ 'instanceId' ] }
    }\(" ")


    """

    /// 2.0.x single record (tsc build), evolution-logs.md §5.1.
    static let triple204 = """
    [Evolution API]    v2.0.4-rc  211   -  Tue Jun 10 2025 14:07:31     ERROR   [unhandledRejection]  [object]  \("")
    {
      origin: Promise {
        <rejected> PrismaClientKnownRequestError: \("")
        Invalid `this.prismaRepository.proxy.create()` invocation in
        /evolution/dist/src/api/services/channel.service.js:612:47
       \("")
          610 setProxy(data) {
          611     return __awaiter(this, void 0, void 0, function* () {
        → 612         yield this.prismaRepository.proxy.create(
        Unique constraint failed on the fields: (`instanceId`)
            at Kn.handleRequestError (/evolution/node_modules/@prisma/client/runtime/library.js:124:5131)
            at Kn.handleAndLogRequestError (/evolution/node_modules/@prisma/client/runtime/library.js:124:4489)
            at Kn.request (/evolution/node_modules/@prisma/client/runtime/library.js:124:4173)
            at async l (/evolution/node_modules/@prisma/client/runtime/library.js:133:9640) {
          code: 'P2002',
          clientVersion: '5.17.0',
          meta: [Object]
        }
      },
      stderr: 2,
      error: PrismaClientKnownRequestError: \("")
      Invalid `this.prismaRepository.proxy.create()` invocation in
      /evolution/dist/src/api/services/channel.service.js:612:47
     \("")
        610 setProxy(data) {
        611     return __awaiter(this, void 0, void 0, function* () {
      → 612         yield this.prismaRepository.proxy.create(
      Unique constraint failed on the fields: (`instanceId`)
          at Kn.handleRequestError (/evolution/node_modules/@prisma/client/runtime/library.js:124:5131)
          at Kn.handleAndLogRequestError (/evolution/node_modules/@prisma/client/runtime/library.js:124:4489)
          at Kn.request (/evolution/node_modules/@prisma/client/runtime/library.js:124:4173)
          at async l (/evolution/node_modules/@prisma/client/runtime/library.js:133:9640) {
        code: 'P2002',
        clientVersion: '5.17.0',
        meta: { modelName: 'Proxy', target: [Array] }
      }
    }\(" ")


    """
}
