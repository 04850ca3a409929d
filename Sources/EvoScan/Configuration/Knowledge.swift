/// What evoscan knows that changes with Evolution releases, forks and sites: the endpoint →
/// write map, the remediation hints, the redaction rules, extra access-log formats and the
/// defaults of a few options. Built in (`BuiltInConfig`), and extended by a config file
/// (`ConfigReader`); a scan takes it through `SilentFailureCorrelator.Options.knowledge`.
public struct Knowledge: Sendable {
    public internal(set) var writeMap: EvolutionWriteMap
    public internal(set) var remediation: RemediationCatalog
    public internal(set) var redactions: [RedactionRule]
    /// The config's formats; the built-in parsers follow them in `accessLogs`.
    public internal(set) var accessLogFormats: [PatternAccessLogFormat]
    public internal(set) var defaults: Defaults
    /// The config files read on top of the built-in knowledge, in order.
    public internal(set) var files: [String] = []
    /// The formats to try and the endpoints to recognise, as the access-log parser reads
    /// them: made once per change, not per parser.
    public internal(set) var accessLogs: AccessLogCatalog

    public struct Defaults: Sendable, Equatable {
        /// `--log-tz`; nil: inferred.
        public var logTZ: String?
        /// `--window`, in seconds.
        public var window: Int
        /// `--format` of `scan`.
        public var format: String
    }

    /// The output formats a config may name (`scan --format`).
    public static let outputFormats = ["table", "ndjson", "json", "csv", "markdown", "html", "prometheus"]

    /// Read from `BuiltInConfig.text` once; a test keeps that text valid.
    public static let builtIn: Knowledge = {
        do {
            return try ConfigReader(text: BuiltInConfig.text, file: "built-in").read(over: empty)
        } catch {
            fatalError("the built-in config is invalid: \(error)")
        }
    }()

    static let empty = Knowledge(writeMap: EvolutionWriteMap(rows: []), remediation: RemediationCatalog(rows: []), redactions: [],
                                 accessLogFormats: [], defaults: Defaults(logTZ: nil, window: 2, format: "table"),
                                 accessLogs: AccessLogCatalog(configured: [], writeMap: EvolutionWriteMap(rows: [])))

    /// This knowledge with the config file at `path` read on top.
    public func reading(file path: String) throws(ConfigError) -> Knowledge {
        let text = try ConfigReader.contents(of: path)
        return try ConfigReader(text: text, file: path).read(over: self)
    }

    /// This knowledge with the config `text` read on top (`file` names it in errors).
    public func reading(text: String, file: String) throws(ConfigError) -> Knowledge {
        try ConfigReader(text: text, file: file).read(over: self)
    }
}

/// The access-log formats to try, the config's first, and the endpoints of the write map
/// the built-in classification does not know.
public struct AccessLogCatalog: Sendable {
    let formats: [any AccessLogFormat]
    let endpoints: [EndpointTemplate]

    static let builtInFormats: [any AccessLogFormat] = [
        TraefikCLFFormat(), CombinedLogFormat(), NginxProxyManagerFormat(), TraefikJSONFormat(), CaddyJSONFormat(),
    ]

    init(configured: [PatternAccessLogFormat], writeMap: EvolutionWriteMap) {
        formats = configured + Self.builtInFormats
        var endpoints: [EndpointTemplate] = []
        for row in writeMap.rows where !endpoints.contains(row.template) && !Self.isBuiltIn(row.template) {
            endpoints.append(row.template)
        }
        self.endpoints = endpoints
    }

    public var formatNames: [String] { formats.map(\.name) }

    /// For each of `endpoints`, its last literal segment between slashes (`/sync/` for
    /// `POST /crm/sync/{instance}`, `/sync` without the instance): the record assembler
    /// reads the access lines that hold one (`EvidencePath`), which it would otherwise
    /// only count.
    public var evidenceNeedles: [[UInt8]] {
        var out: [[UInt8]] = []
        for t in endpoints {
            let needle = Array(("/" + t.segments.last! + (t.hasInstance ? "/" : "")).utf8)
            if !out.contains(needle) { out.append(needle) }
        }
        return out
    }

    /// Whether the built-in classification already names `template`'s paths: checked on a
    /// path made from it, so that only a fork's routes cost a try per request.
    static func isBuiltIn(_ template: EndpointTemplate) -> Bool {
        var path = "/" + template.segments.joined(separator: "/") + (template.hasInstance ? "/an-instance" : "")
        return path.withUTF8 { utf8 in
            let b = UnsafeRawBufferPointer(utf8)
            guard let at = EvolutionEndpoints.locateBuiltIn(b, 0, b.count) else { return false }
            let name = Bytes.string(b, at.name) + at.suffix.description
            return name == template.segments.joined(separator: "/") && (at.instance != nil) == template.hasInstance
        }
    }
}
