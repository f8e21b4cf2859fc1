package import BileanCore

/// Writes ``JSONValue``s as JSON text: numbers exactly as their text, object keys sorted.
///
/// Used for request bodies and for output, instead of `JSONEncoder`, so that a number such as `1.0` or
/// `0.30000000000000004` goes out exactly as it was read or typed.
package enum JSONWriter {
    /// The spaces per nesting level of ``pretty(_:)``.
    package static let indentation = 2

    /// Compact JSON, no whitespace, keys sorted: `{"a":[1,"x"],"b":null}`.
    /// - Parameter value: The value.
    /// - Returns: The JSON text.
    package static func compact(_ value: JSONValue) -> String {
        var output = ""
        self.write(value, into: &output, indent: nil)
        return output
    }

    /// Pretty-printed JSON, two spaces per level, keys sorted, `": "` after keys, no trailing newline. Empty
    /// arrays and objects print as `[]` and `{}`.
    /// - Parameter value: The value.
    /// - Returns: The JSON text.
    package static func pretty(_ value: JSONValue) -> String {
        var output = ""
        self.write(value, into: &output, indent: 0)
        return output
    }

    /// A JSON string literal, quotes included, escaping `"`, `\` and every control character.
    /// - Parameter text: The string.
    /// - Returns: The literal.
    package static func quoted(_ text: String) -> String {
        var output = ""
        self.writeString(text, into: &output)
        return output
    }

    private static func write(_ value: JSONValue, into output: inout String, indent: Int?) {
        switch value {
        case .null: output += "null"
        case .bool(let flag): output += flag ? "true" : "false"
        case .number(let text): output += text
        case .string(let text): self.writeString(text, into: &output)
        case .array(let elements):
            guard !elements.isEmpty else {
                output += "[]"
                return
            }
            output += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { output += "," }
                self.newline(into: &output, indent: indent.map { $0 + 1 })
                self.write(element, into: &output, indent: indent.map { $0 + 1 })
            }
            self.newline(into: &output, indent: indent)
            output += "]"
        case .object(let members):
            guard !members.isEmpty else {
                output += "{}"
                return
            }
            output += "{"
            for (position, key) in members.keys.sorted().enumerated() {
                if position > 0 { output += "," }
                self.newline(into: &output, indent: indent.map { $0 + 1 })
                self.writeString(key, into: &output)
                output += indent == nil ? ":" : ": "
                self.write(members[key] ?? .null, into: &output, indent: indent.map { $0 + 1 })
            }
            self.newline(into: &output, indent: indent)
            output += "}"
        }
    }

    private static func newline(into output: inout String, indent: Int?) {
        guard let indent else { return }
        output += "\n"
        output += String(repeating: " ", count: indent * Self.indentation)
    }

    private static func writeString(_ text: String, into output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{00}"..."\u{1F}", "\u{7F}", "\u{2028}", "\u{2029}":
                let hex = String(scalar.value, radix: 16, uppercase: false)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}
