/// A JSON value that keeps numbers as their exact decimal text.
///
/// Rule specs, resource properties and metadata are free-form JSON. Numbers are never passed through `Double` or
/// `Decimal`: they are kept as text, of any length. ``ExactJSONReader`` reads and ``ExactJSONWriter`` writes
/// them: Bilean's one JSON codec.
package enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as its exact decimal text.
    case number(String)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])
}

extension JSONValue {
    /// The members of an object, or `nil` for any other value.
    package var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements of an array, or `nil` for any other value.
    package var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The text of a string, or `nil` for any other value.
    package var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The text of a number or of a string, for values that may arrive either way (amounts, sizes).
    package var scalarText: String? {
        switch self {
        case .number(let text), .string(let text): return text
        case .null, .bool, .array, .object: return nil
        }
    }

    /// The member `key` of an object, or `nil`.
    package subscript(key: String) -> JSONValue? {
        self.objectValue?[key]
    }

    /// A short name of the value's JSON type, for error messages.
    package var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue {
    /// The deepest nesting ``init(jsonText:)`` accepts, as Foundation's `JSONDecoder` did.
    package static let maximumDepth = 512

    /// Serialises the value as compact JSON with sorted keys and canonical numbers (for storage, the API and
    /// messages): ``ExactJSONWriter`` with its default options, the bytes Foundation's `JSONEncoder` wrote.
    /// - Throws: ``ExactJSONWriter/Failure`` for a number whose text is not a JSON number.
    package func jsonText() throws(ExactJSONWriter.Failure) -> String {
        try ExactJSONWriter.text(self)
    }

    /// Parses JSON text (from storage or a request), numbers in canonical form (`1.0` becomes `1`), as `jsonText()`
    /// writes them.
    /// - Parameter text: The JSON text.
    /// - Throws: ``ExactJSONReader/Failure`` for text that is not JSON, or an object that repeats a key.
    package init(jsonText text: String) throws(ExactJSONReader.Failure) {
        self = try ExactJSONReader.parse(utf8: text, maximumDepth: Self.maximumDepth, numbers: .canonical)
    }
}
