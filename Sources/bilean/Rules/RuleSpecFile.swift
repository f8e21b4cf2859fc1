import BileanClient
import BileanCore

/// Reads a rule spec file (`--spec-file`).
enum RuleSpecFile {
    /// The spec in a YAML or JSON file, which must be a mapping.
    /// - Parameter path: The file's path.
    /// - Throws: ``BileanClientError`` when the file cannot be read, is not YAML, or is not a mapping.
    static func load(_ path: String) throws(BileanClientError) -> JSONValue {
        let spec = try YAMLReader.load(path: path)
        let found: String
        switch spec {
        case .object: return spec
        case .array: found = "a list"
        case .string: found = "a string"
        case .number: found = "a number"
        case .bool: found = "a boolean"
        case .null: found = "null"
        }
        throw BileanClientError(
            .invalidInput,
            "the spec file \(path) must be a mapping with type, version and properties, not \(found)"
        )
    }
}
