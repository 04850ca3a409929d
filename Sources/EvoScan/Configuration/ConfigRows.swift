import TOMLKit

/// The rows of each config table, checked key by key and laid over what is known: a row
/// with the key of an earlier one replaces it (or, with `versions = "none"`, removes it).
struct ConfigRows {
    let reader: ConfigReader

    /// One table's keys: each read once, the rest reported as unknown.
    private struct Entry {
        let table: TOMLTable
        let place: TOMLLineIndex.Table
        let reader: ConfigReader

        func check(known: [String]) throws(ConfigError) {
            for key in table.keys.sorted() where !known.contains(key) {
                throw reader.error(place, key, "unknown key (known: \(known.joined(separator: ", ")))")
            }
        }

        func string(_ key: String, required: Bool = false) throws(ConfigError) -> String? {
            guard let value = table[key] else {
                if required { throw reader.error(place, nil, "needs the key '\(key)'") }
                return nil
            }
            guard let s = value.string else { throw reader.error(place, key, "must be a string, not \(ConfigReader.typeName(value))") }
            if s.isEmpty { throw reader.error(place, key, "must not be empty") }
            try printable(s, key)
            return s
        }

        /// Hints, names and endpoints reach the terminal: an escape written as `\u001b` in
        /// a TOML string must not (the file itself has no control characters). Tabs and
        /// line ends (a multi-line hint) are kept.
        func printable(_ s: String, _ key: String) throws(ConfigError) {
            if s.utf8.contains(where: { TOMLPreflight.isControl($0) && $0 != 0x0A }) {
                throw reader.error(place, key, "must not contain control characters")
            }
        }

        func int(_ key: String) throws(ConfigError) -> Int? {
            guard let value = table[key] else { return nil }
            guard let n = value.int else { throw reader.error(place, key, "must be an integer, not \(ConfigReader.typeName(value))") }
            return n
        }

        func strings(_ key: String) throws(ConfigError) -> [String]? {
            guard let value = table[key] else { return nil }
            guard let array = value.array else { throw reader.error(place, key, "must be an array of strings, not \(ConfigReader.typeName(value))") }
            var out: [String] = []
            for element in array {
                guard let s = element.string, !s.isEmpty else { throw reader.error(place, key, "must hold non-empty strings only") }
                try printable(s, key)
                out.append(s)
            }
            return out
        }

        func versions() throws(ConfigError) -> VersionRange {
            guard let text = try string("versions") else { return .all }
            guard let range = VersionRange(text) else {
                throw reader.error(place, "versions", "'\(text)' is not a version range (all, none, <2.1.0, >=2.3.2, >=2.1.0 <2.3.0)")
            }
            return range
        }

        func regex(_ key: String) throws(ConfigError) -> Regex {
            let pattern = try string(key, required: true)!
            do {
                return try Regex(pattern)
            } catch let error as Regex.CompileError {
                throw reader.error(place, key, "not a PCRE2 pattern: \(error.message) at offset \(error.offset)")
            } catch {
                throw reader.error(place, key, "not a PCRE2 pattern: \(error)")
            }
        }

        func error(_ key: String?, _ message: String) -> ConfigError { reader.error(place, key, message) }
    }

    private func entries(_ tables: [(TOMLTable, TOMLLineIndex.Table)]) -> [Entry] {
        tables.map { Entry(table: $0.0, place: $0.1, reader: reader) }
    }

    // MARK: Tables

    func defaults(_ table: TOMLTable, over base: Knowledge.Defaults) throws(ConfigError) -> Knowledge.Defaults {
        let e = Entry(table: table, place: .init(name: "defaults", index: 0), reader: reader)
        try e.check(known: ["log-tz", "window", "format"])
        var d = base
        if let zone = try e.string("log-tz") {
            guard LogTimeZone(zone) != nil else { throw e.error("log-tz", "unknown zone '\(zone)' (an IANA name such as America/Sao_Paulo, or an offset such as -03:00)") }
            d.logTZ = zone
        }
        if let window = try e.int("window") {
            guard (0...3600).contains(window) else { throw e.error("window", "must be between 0 and 3600 seconds") }
            d.window = window
        }
        if let format = try e.string("format") {
            guard Knowledge.outputFormats.contains(format) else {
                throw e.error("format", "unknown format '\(format)' (\(Knowledge.outputFormats.joined(separator: ", ")))")
            }
            d.format = format
        }
        return d
    }

    func writeMap(_ tables: [(TOMLTable, TOMLLineIndex.Table)], over base: EvolutionWriteMap) throws(ConfigError) -> EvolutionWriteMap {
        var rows = base.rows
        var seen: [String: Int] = [:]
        for e in entries(tables) {
            try e.check(known: ["endpoint", "model", "index", "method", "versions"])
            let text = try e.string("endpoint", required: true)!
            let template: EndpointTemplate
            do { template = try EndpointTemplate(text) } catch { throw e.error("endpoint", "'\(text)': \(error.description)") }
            let model = try e.string("model", required: true)!
            guard Self.isIdentifier(model) else { throw e.error("model", "'\(model)' is not a Prisma model name (letters, digits, _)") }
            let row = WriteMapRow(template: template, versions: try e.versions(), model: model,
                                  index: try e.string("index") ?? "\(model)_instanceId_key", method: try e.string("method") ?? "set\(model)")
            let key = row.endpoint + " " + model
            if let earlier = seen[key] { throw e.error("endpoint", "\(row.endpoint) and model \(model) are already in [[silent-endpoint]] #\(earlier)") }
            seen[key] = e.place.index
            let same = rows.firstIndex { $0.endpoint == row.endpoint && $0.model == model }
            switch (same, row.versions.isNone) {
            case (let i?, true): rows.remove(at: i)
            case (let i?, false): rows[i] = row
            case (nil, true): continue
            case (nil, false): rows.append(row)
            }
        }
        return EvolutionWriteMap(rows: rows)
    }

    func remediation(_ tables: [(TOMLTable, TOMLLineIndex.Table)], over base: RemediationCatalog) throws(ConfigError) -> RemediationCatalog {
        var added: [RemediationCatalog.Row] = []
        for e in entries(tables) {
            try e.check(known: ["code", "model", "versions", "hint"])
            let code = try e.string("code")
            if let code, PrismaCodeCatalog.entry(code) == nil {
                throw e.error("code", "'\(code)' is not a Prisma error code (P1000–P6010; see evoscan explain)")
            }
            let model = try e.string("model")
            if let model, !Self.isIdentifier(model) { throw e.error("model", "'\(model)' is not a Prisma model name (letters, digits, _)") }
            let row = RemediationCatalog.Row(code: code, model: model, versions: try e.versions(), hint: try e.string("hint", required: true)!)
            if added.contains(where: { $0.code == code && $0.model == model && $0.versions == row.versions }) {
                throw e.error(nil, "a row for the same code, model and versions is already in this file")
            }
            added.append(row)
        }
        let kept = base.rows.filter { old in !added.contains { $0.code == old.code && $0.model == old.model && $0.versions == old.versions } }
        return RemediationCatalog(rows: added.filter { !$0.versions.isNone } + kept)
    }

    func redactions(_ tables: [(TOMLTable, TOMLLineIndex.Table)], over base: [RedactionRule]) throws(ConfigError) -> [RedactionRule] {
        var rules = base
        for e in entries(tables) {
            try e.check(known: ["name", "pattern", "needles"])
            let name = try e.string("name", required: true)!
            let regex = try e.regex("pattern")
            let rule = RedactionRule(name: name, regex: regex, needles: try e.strings("needles") ?? [])
            if let same = rules.first(where: { $0.name == name }) {
                // The same rule again (a copy of the defaults) changes nothing.
                if same.regex.pattern == regex.pattern && same.needles == rule.needles { continue }
                throw e.error("name", "a redaction rule named '\(name)' exists already (built-in rules cannot be replaced)")
            }
            guard rules.count < Redactor.maxRules else { throw e.error(nil, "more than \(Redactor.maxRules) redaction rules") }
            rules.append(rule)
        }
        return rules
    }

    func accessLogFormats(_ tables: [(TOMLTable, TOMLLineIndex.Table)], over base: [PatternAccessLogFormat]) throws(ConfigError) -> [PatternAccessLogFormat] {
        var added: [PatternAccessLogFormat] = []
        for e in entries(tables) {
            try e.check(known: ["name", "pattern", "time", "stamp"])
            let name = try e.string("name", required: true)!
            if (added + base).contains(where: { $0.name == name }) || AccessLogCatalog.builtInFormats.contains(where: { $0.name == name }) {
                throw e.error("name", "a format named '\(name)' exists already")
            }
            let regex = try e.regex("pattern")
            let timeText = try e.string("time") ?? "clf"
            guard let time = PatternAccessLogFormat.TimeSyntax(rawValue: timeText) else {
                throw e.error("time", "'\(timeText)' is not one of clf, rfc3339, epoch")
            }
            let stamp = try e.string("stamp") ?? "end"
            guard stamp == "end" || stamp == "start" else { throw e.error("stamp", "'\(stamp)' is not end or start") }
            guard let format = PatternAccessLogFormat(name: name, regex: regex, time: time, stampIsStart: stamp == "start") else {
                let missing = PatternAccessLogFormat.requiredGroups.filter { regex.groupIfPresent($0) == nil }
                throw e.error("pattern", "needs the named groups \(missing.map { "(?<\($0)>…)" }.joined(separator: ", "))")
            }
            added.append(format)
        }
        return added + base
    }

    static func isIdentifier(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { Bytes.isDigit($0) || $0 == UInt8(ascii: "_") || ($0 | 0x20) &- 0x61 < 26 }
    }
}
