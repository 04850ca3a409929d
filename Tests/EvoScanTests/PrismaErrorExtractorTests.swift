import XCTest
@testable import EvoScan

final class PrismaErrorExtractorTests: XCTestCase {
    func testBareErrorOfThe223PairHasFullMeta() {
        let all = facts(Samples.pair223.components(separatedBy: "\n\n[Evolution API]")[1])
        XCTAssertEqual(all.count, 1)
        let f = all[0]
        XCTAssertEqual(f.errorClass, "PrismaClientKnownRequestError")
        XCTAssertEqual(f.code, "P2002")
        XCTAssertEqual(f.model, "Proxy")
        XCTAssertEqual(f.fields, ["instanceId"])
        XCTAssertEqual(f.operation, "upsert")
        XCTAssertEqual(f.method, "setProxy")
        XCTAssertEqual(f.clientVersion, "6.3.1")
        XCTAssertEqual(f.sourceFile, "/evolution/dist/main.js")
        XCTAssertEqual(f.sourceLine, 2)
        XCTAssertTrue(f.minified)
        XCTAssertEqual(f.message, "Unique constraint failed on the fields: (`instanceId`)")
    }

    func testTripleRecordOf20xIsOneErrorWithModelFromCodeFrameMethod() {
        let all = facts(Samples.triple204)
        XCTAssertEqual(all.count, 1, "origin and error copies are one failure")
        let f = all[0]
        XCTAssertEqual(f.code, "P2002")
        XCTAssertEqual(f.model, "Proxy")
        XCTAssertEqual(f.fields, ["instanceId"], "target: [Array] must fall back to the message")
        XCTAssertEqual(f.operation, "create")
        XCTAssertEqual(f.method, "setProxy")
        XCTAssertEqual(f.clientVersion, "5.17.0")
        XCTAssertEqual(f.sourceFile, "/evolution/dist/src/api/services/channel.service.js")
        XCTAssertEqual(f.sourceLine, 612)
        XCTAssertFalse(f.minified)
    }

    func testMinifiedInvocationNeverOverridesModelName() {
        let text = """
        PrismaClientKnownRequestError: \("")
        Invalid `this.prismaRepository.webhook.findFirst()` invocation in
        /evolution/dist/main.js:2:97120

          1 <minified code>
        → 2 <minified call line>(
        Unique constraint failed on the fields: (`instanceId`)
            at async Wr.setProxy (/evolution/dist/main.js:2:183502) {
          code: 'P2002',
          meta: { modelName: 'Proxy', target: [ 'instanceId' ] },
          clientVersion: '6.8.2'
        }
        """
        let f = facts(text)[0]
        XCTAssertEqual(f.model, "Proxy")
        XCTAssertEqual(f.clientVersion, "6.8.2")
        XCTAssertEqual(f.method, "setProxy")
    }

    func testMinifiedInvocationIsNotUsedEvenAsLastResort() {
        let text = """
        PrismaClientKnownRequestError: \("")
        Invalid `this.prismaRepository.webhook.findFirst()` invocation in
        /evolution/dist/main.js:2:97120

        The provided value for the column is too long for the column's type. Column: (not available)
            at Kn.request (/evolution/node_modules/@prisma/client/runtime/library.js:124:4173) {
          code: 'P2000',
          clientVersion: '6.3.1',
          meta: [Object]
        }
        """
        let f = facts(text)[0]
        XCTAssertEqual(f.code, "P2000")
        XCTAssertNil(f.model)
        XCTAssertEqual(f.fields, [])
    }

    func testMySQLTargetIsAnIndexNameDecodedToModelAndFields() {
        let text = """
        PrismaClientKnownRequestError: \("")
        Invalid `prisma.proxy.upsert()` invocation:


        Unique constraint failed on the constraint: `Proxy_instanceId_key`
            at Hn.handleRequestError (/app/node_modules/@prisma/client/runtime/library.js:124:6408) {
          code: 'P2002',
          clientVersion: '5.22.0',
          meta: { target: 'Proxy_instanceId_key' }
        }
        """
        let f = facts(text)[0]
        XCTAssertEqual(f.constraint, "Proxy_instanceId_key")
        XCTAssertEqual(f.model, "Proxy")
        XCTAssertEqual(f.fields, ["instanceId"])
        XCTAssertEqual(f.operation, "upsert")
    }

    func testForeignKeyMessageWithoutCodeInfersP2003() {
        let text = """
        [Evolution API]    v2.2.3  211   -  Tue Jun 10 2025 14:07:31     ERROR   [InstanceController]  [string]  \("")
        Invalid `this.prismaRepository.setting.upsert()` invocation in
        /evolution/dist/main.js:2:97120

          1 <minified code>
        → 2 <minified call line>(
        Foreign key constraint violated: `Setting_instanceId_fkey (index)`\(" ")
        """
        let f = facts(text)[0]
        XCTAssertEqual(f.code, "P2003")
        XCTAssertEqual(f.errorClass, "PrismaClientKnownRequestError")
        XCTAssertEqual(f.constraint, "Setting_instanceId_fkey")
        XCTAssertEqual(f.model, "Setting")
        XCTAssertEqual(f.fields, ["instanceId"])
    }

    func testServerEventMessagePiecesAreOneError() {
        let text = """
        [Evolution API]    v2.3.6  211   -  Tue Jun 10 2025 14:07:31     ERROR   [SERVER]  [object]  \("")
        {
          event: 'error',
          data: {
            error: 'Internal Server Error',
            message: '\\n' +
              'Invalid `this.prismaRepository.webhook.upsert()` invocation in\\n' +
              '/evolution/dist/main.js:2:97120\\n' +
              '\\n' +
              '  1 <minified code>\\n' +
              '→ 2 <minified call line>(\\n' +
              "The provided value for the column is too long for the column's type. Column: (not available)",
            status: 500,
            response: {
              message: '\\n' +
                'Invalid `this.prismaRepository.webhook.upsert()` invocation in\\n' +
                '/evolution/dist/main.js:2:97120\\n' +
                '\\n' +
                "The provided value for the column is too long for the column's type. Column: (not available)"
            }
          },
          date_time: '2025-06-10T14:07:31.123Z',
          api_key: 'B6D711FCDE4D4FD5936544120E713976',
          server_url: 'https://evo.example.com'
        }\(" ")
        """
        let all = facts(text)
        XCTAssertEqual(all.count, 1)
        XCTAssertEqual(all[0].code, "P2000")
        XCTAssertEqual(all[0].operation, "upsert")
        XCTAssertEqual(all[0].sourceFile, "/evolution/dist/main.js")
        XCTAssertNil(all[0].model, "minified invocation names must not give the model")
    }

    func testPrisma7AdapterFieldsAreUnquoted() {
        let text = """
        PrismaClientKnownRequestError: \("")
        Invalid `prisma.workspace.create()` invocation:


        Unique constraint failed on the fields: (`"tenantId"`, `slug`)
            at Object.create (/app/src/workspaces.ts:12:3) {
          code: 'P2002',
          meta: {
            modelName: 'Workspace',
            driverAdapterError: DriverAdapterError: UniqueConstraintViolation
                at PrismaPg.query (/app/node_modules/@prisma/adapter-pg/dist/index.js:1:1) {
              cause: [Object]
            }
          },
          clientVersion: '7.2.0'
        }
        """
        let f = facts(text)[0]
        XCTAssertEqual(f.code, "P2002")
        XCTAssertEqual(f.model, "Workspace")
        XCTAssertEqual(f.fields, ["tenantId", "slug"])
        XCTAssertEqual(f.clientVersion, "7.2.0")
        XCTAssertEqual(f.operation, "create")
        XCTAssertEqual(f.method, "create", "Object.create is the first frame outside node_modules")
    }

    func testJSONStringifiedError() {
        let text = #"{"name":"PrismaClientKnownRequestError","code":"P2003","clientVersion":"5.14.0","meta":{"modelName":"Invoice","field_name":"Invoice_customerId_fkey (index)"}}"#
        let f = facts(text)[0]
        XCTAssertEqual(f.errorClass, "PrismaClientKnownRequestError")
        XCTAssertEqual(f.code, "P2003")
        XCTAssertEqual(f.model, "Invoice")
        XCTAssertEqual(f.constraint, "Invoice_customerId_fkey")
        XCTAssertEqual(f.fields, ["customerId"])
        XCTAssertEqual(f.clientVersion, "5.14.0")
    }

    func testCLIErrorHasCodeButNoClass() {
        let f = facts("Error: P1001: Can't reach database server at `db:5432`\n")[0]
        XCTAssertEqual(f.code, "P1001")
        XCTAssertNil(f.errorClass)
    }

    func testValidationErrorHasNoCodeAndNamesTheArgument() {
        let text = """
        PrismaClientValidationError: \("")
        Invalid `this.prismaRepository.proxy.create()` invocation in
        /evolution/dist/src/api/services/channel.service.js:612:47

        Argument `username` is missing.
            at Cn (/evolution/node_modules/@prisma/client/runtime/library.js:29:1363) {
          clientVersion: '5.17.0'
        }
        """
        let f = facts(text)[0]
        XCTAssertEqual(f.errorClass, "PrismaClientValidationError")
        XCTAssertNil(f.code)
        XCTAssertEqual(f.fields, ["username"])
        XCTAssertEqual(f.model, "Proxy", "tsc builds: the invocation accessor is trustworthy")
    }

    func testPoolTimeoutAndInitializationCodes() {
        let pool = facts("""
        PrismaClientKnownRequestError: \("")
        Invalid `prisma.messageUpdate.create()` invocation:


        Timed out fetching a new connection from the connection pool. More info: http://pris.ly/d/connection-pool (Current connection pool timeout: 10, connection limit: 9)
            at async Kn.updateMessage (/evolution/dist/main.js:2:1) {
          code: 'P2024',
          clientVersion: '6.3.1',
          meta: { modelName: 'MessageUpdate', connection_limit: 9, timeout: 10 }
        }
        """)[0]
        XCTAssertEqual(pool.code, "P2024")
        XCTAssertEqual(pool.model, "MessageUpdate")
        XCTAssertEqual(pool.method, "updateMessage")

        let initial = facts("""
        PrismaClientInitializationError: Can't reach database server at `db:5432`

        Please make sure your database server is running at `db:5432`.
            at t (/evolution/node_modules/@prisma/client/runtime/library.js:112:2488) {
          clientVersion: '6.3.1',
          errorCode: undefined
        }
        """)[0]
        XCTAssertEqual(initial.errorClass, "PrismaClientInitializationError")
        XCTAssertEqual(initial.code, "P1001", "inferred from the message")
    }

    func testCodeFromTemplateCatalogWhenNoDedicatedSignature() {
        let f = facts("""
        PrismaClientKnownRequestError: \("")
        Invalid `prisma.user.create()` invocation:


        The change you are trying to make would violate the required relation 'PostToUser' between the `Post` and `User` models.
        """)[0]
        XCTAssertEqual(f.code, "P2014")
    }

    func testIndexNameDecoding() {
        XCTAssertEqual(EvolutionSchema.decodeIndexName("Contact_remoteJid_instanceId_key")?.model, "Contact")
        XCTAssertEqual(EvolutionSchema.decodeIndexName("Contact_remoteJid_instanceId_key")?.fields, ["remoteJid", "instanceId"])
        XCTAssertEqual(EvolutionSchema.decodeIndexName("TypebotSetting_instanceId_key")?.model, "TypebotSetting")
        XCTAssertEqual(EvolutionSchema.decodeIndexName("Setting_instanceId_fkey (index)")?.fields, ["instanceId"])
        XCTAssertNil(EvolutionSchema.decodeIndexName("instanceId"))
        // A model name that prefixes another ("Setting" / "SettingX") needs the underscore.
        XCTAssertEqual(EvolutionSchema.decodeIndexName("`Settingx_a__b_key`")?.model, "Settingx")
        XCTAssertEqual(EvolutionSchema.decodeIndexName("`Settingx_a__b_key`")?.fields, ["a", "b"])
        XCTAssertEqual(EvolutionSchema.decodeIndexName("Setting_key")?.fields, [])
    }

    func testByteLevelTrimmingAndSplitting() {
        XCTAssertEqual(" `\"ação\"` ".trimming(" `\""), "ação")
        XCTAssertEqual("é".trimming(" "), "é")
        XCTAssertEqual("   ".trimming(" "), "")
        XCTAssertEqual("a,,b, é".pieces(",").map(String.init), ["a", "b", " é"])
        XCTAssertEqual("".pieces("."), [])
    }
}
