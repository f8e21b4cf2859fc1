/// Why a definitions file cannot be used: it stops the start of the notification listener.
///
/// The ``description`` reads `resource_definitions.yaml:12:9: unknown key 'trait' (expected fields, type)`: the
/// source, the line and column (from 1) of the offending node, and the reason.
package struct DefinitionsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is. A struct over a private enum so that new codes can be added.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidYAML = "invalid_yaml"
            case empty
            case unknownKey = "unknown_key"
            case missingKey = "missing_key"
            case duplicateKey = "duplicate_key"
            case invalidValue = "invalid_value"
            case invalidGlob = "invalid_glob"
            case invalidPath = "invalid_path"
            case emptyFields = "empty_fields"
            case unknownType = "unknown_type"
            case unknownAction = "unknown_action"
            case unreadable
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The text is not YAML (a syntax error), or uses a YAML feature the file may not (aliases, tags).
        package static let invalidYAML = Code(.invalidYAML)
        /// The file holds no definition.
        package static let empty = Code(.empty)
        /// A mapping has a key the format does not know.
        package static let unknownKey = Code(.unknownKey)
        /// A required key is missing (`event_type`, `resource_type`, `fields`, the trait `resource_ref`, …).
        package static let missingKey = Code(.missingKey)
        /// A key appears twice in one mapping.
        package static let duplicateKey = Code(.duplicateKey)
        /// A value has the wrong shape (a list where a string is expected, an empty resource type, …).
        package static let invalidValue = Code(.invalidValue)
        /// An event type glob is malformed (empty, an unclosed `[`, only `!` exclusions).
        package static let invalidGlob = Code(.invalidGlob)
        /// A JSONPath is malformed or uses an unsupported feature (wildcards, `..`).
        package static let invalidPath = Code(.invalidPath)
        /// A trait's or time's `fields` is an empty list.
        package static let emptyFields = Code(.emptyFields)
        /// A trait's `type` is not `string`, `int`, `float` or `datetime`.
        package static let unknownType = Code(.unknownType)
        /// An `action` is not `create`, `update` or `delete` (`create` or `delete` for users).
        package static let unknownAction = Code(.unknownAction)
        /// The file cannot be read (missing, no permission, not UTF-8).
        package static let unreadable = Code(.unreadable)

        /// The code as written in logs, e.g. `unknown_key`.
        package var description: String { self.base.rawValue }
    }

    /// The kind of problem.
    package var code: Code
    /// The reason, e.g. `unknown key 'trait' (expected fields, type)`.
    package var message: String
    /// What was read: a file path, or `shipped definitions`.
    package var source: String
    /// The line of the problem, from 1, when known.
    package var line: Int?
    /// The column of the problem, from 1, when known.
    package var column: Int?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of problem.
    ///   - message: The reason.
    ///   - source: What was read.
    ///   - line: The line, from 1.
    ///   - column: The column, from 1.
    package init(_ code: Code, _ message: String, source: String, line: Int? = nil, column: Int? = nil) {
        self.code = code
        self.message = message
        self.source = source
        self.line = line
        self.column = column
    }

    /// `source:line:column: message`.
    package var description: String {
        switch (self.line, self.column) {
        case (.some(let line), .some(let column)): return "\(self.source):\(line):\(column): \(self.message)"
        case (.some(let line), .none): return "\(self.source):\(line): \(self.message)"
        case (.none, _): return "\(self.source): \(self.message)"
        }
    }
}
