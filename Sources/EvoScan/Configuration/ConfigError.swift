/// A config file evoscan cannot use: the file, the line (and column, for TOML syntax), the
/// key, and what is wrong, printed as `FILE:LINE: [[table]] #N, key 'k': message`.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?
    /// `[[silent-endpoint]] #2, key 'model'`, `[defaults], key 'window'`, `key 'colour'`.
    public let key: String?
    public let message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, key: String? = nil, message: String) {
        (self.file, self.line, self.column, self.key, self.message) = (file, line, column, key, message)
    }

    public var description: String {
        var place = file
        if let line {
            place += ":\(line)"
            if let column { place += ":\(column)" }
        }
        return place + ": " + (key.map { $0 + ": " } ?? "") + message
    }
}
