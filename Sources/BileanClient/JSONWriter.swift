package import BileanCore

/// Writes ``JSONValue``s as JSON text for the client: Core's ``ExactJSONWriter`` with numbers as written, object
/// keys sorted.
///
/// Used for request bodies and for output, instead of `JSONEncoder`, so that a number such as `1.0` or
/// `0.30000000000000004` goes out exactly as it was read or typed (the server stores its canonical form). For
/// text shown on a terminal, U+007F and the line and paragraph separators U+2028 and U+2029 are escaped too.
package enum JSONWriter {
    /// The spaces per nesting level of ``pretty(_:)``.
    package static let indentation = 2

    /// Compact JSON, no whitespace, keys sorted: `{"a":[1,"x"],"b":null}`.
    /// - Parameter value: The value.
    /// - Returns: The JSON text.
    package static func compact(_ value: JSONValue) -> String {
        self.write(value, indentation: nil)
    }

    /// Pretty-printed JSON, two spaces per level, keys sorted, `": "` after keys, no trailing newline. Empty
    /// arrays and objects print as `[]` and `{}`.
    /// - Parameter value: The value.
    /// - Returns: The JSON text.
    package static func pretty(_ value: JSONValue) -> String {
        self.write(value, indentation: Self.indentation)
    }

    /// A JSON string literal, quotes included, escaping `"`, `\`, every control character, U+007F, U+2028 and
    /// U+2029.
    /// - Parameter text: The string.
    /// - Returns: The literal.
    package static func quoted(_ text: String) -> String {
        self.write(.string(text), indentation: nil)
    }

    private static func write(_ value: JSONValue, indentation: Int?) -> String {
        let options = ExactJSONWriter.Options(
            numbers: .asWritten,
            indentation: indentation,
            escapesDeleteAndSeparators: true
        )
        do throws(ExactJSONWriter.Failure) {
            return try ExactJSONWriter.text(value, options: options)
        } catch {
            // Only a canonical number can fail; numbers as written are copied unchecked.
            preconditionFailure("ExactJSONWriter failed with numbers as written: \(error)")
        }
    }
}
