package import BileanCore

/// The client's JSON parser: Core's ``ExactJSONReader``, which keeps every number as its exact text.
///
/// `JSONValue(jsonText:)` reads numbers through `Decimal`, which normalises them (`1.0` becomes `1`); the
/// client shows the server's answers as they were sent, so it reads them with this parser instead. Numbers
/// follow the JSON grammar exactly (no `NaN`, no leading `+` or zeros); a repeated key keeps its last value.
package enum JSONReader {
    /// The deepest nesting of arrays and objects accepted.
    package static let maximumDepth = 512

    /// Parses one JSON value, with optional whitespace around it.
    /// - Parameter text: The JSON text.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) naming the byte offset and the
    ///   problem.
    package static func parse(_ text: String) throws(BileanClientError) -> JSONValue {
        do throws(ExactJSONReader.Failure) {
            return try ExactJSONReader.parse(Array(text.utf8), maximumDepth: Self.maximumDepth)
        } catch {
            throw BileanClientError(.invalidInput, "invalid JSON at byte \(error.offset): \(error.problem)")
        }
    }
}
