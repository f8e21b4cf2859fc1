package import BileanCore

/// The client's JSON parser: Core's ``ExactJSONReader``, keeping every number as its exact text as written.
///
/// `JSONValue(jsonText:)` gives numbers their canonical form (`1.0` becomes `1`); the client shows the server's
/// answers as they were sent, so it keeps numbers as written instead. Numbers follow the JSON grammar exactly (no
/// `NaN`, no leading `+` or zeros); an object that repeats a key is refused.
package enum JSONReader {
    /// The deepest nesting of arrays and objects accepted.
    package static let maximumDepth = 512

    /// Parses one JSON value, with optional whitespace around it.
    /// - Parameter text: The JSON text.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) naming the byte offset and the
    ///   problem.
    package static func parse(_ text: String) throws(BileanClientError) -> JSONValue {
        do throws(ExactJSONReader.Failure) {
            return try ExactJSONReader.parse(utf8: text, maximumDepth: Self.maximumDepth)
        } catch {
            throw BileanClientError(.invalidInput, "invalid JSON at byte \(error.offset): \(error.problem)")
        }
    }
}
