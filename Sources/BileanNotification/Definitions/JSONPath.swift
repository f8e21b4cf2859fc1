package import BileanCore

/// A path to one value in a notification: the subset of JSONPath the definitions use.
///
/// The path starts at the notification object (`payload`, `publisher_id`, `_context_project_id`, …), optionally
/// after `$`. Steps are `.name` (any characters but `.`, `[`, `]`, quotes and whitespace), `['name']` or
/// `["name"]` for a key holding dots or other characters (`payload['nova_object.data']`; `\'`, `\"` and `\\`
/// escape inside the quotes), and `[N]` for the N-th element of an array, from 0:
///
///     payload.instance_id
///     $.payload.volume_attachment[0].server_id
///     payload['nova_object.data'].flavor['nova_object.data'].name
///
/// Wildcards, recursive descent (`..`), slices and filters are not supported: a trait names one value.
package struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    package enum Step: Sendable, Hashable {
        /// The member of an object.
        case key(String)
        /// The element of an array, from 0.
        case index(Int)
    }

    /// Why a text is not a supported path.
    package struct SyntaxError: Error, Sendable, Hashable {
        /// What is wrong.
        package var problem: String
    }

    /// The path as written.
    package let text: String
    /// The steps, from the notification object down.
    package let steps: [Step]

    /// Parses a path.
    /// - Parameter text: The path, e.g. `payload.instance_id`.
    /// - Throws: ``SyntaxError`` naming the character position and the problem.
    package init(_ text: String) throws(SyntaxError) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var steps: [Step] = []

        func fail(_ problem: String) -> SyntaxError {
            SyntaxError(problem: "\(problem) at character \(index + 1) of '\(text)'")
        }
        func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case ".", "[", "]", "'", "\"", "*", "$", "@", "(", ")", "?": return false
            default: return !scalar.properties.isWhitespace && scalar.properties.generalCategory != .control
            }
        }
        func isDigit(_ scalar: Unicode.Scalar) -> Bool {
            scalar.value >= 0x30 && scalar.value <= 0x39
        }
        func readName() throws(SyntaxError) -> String {
            var name = ""
            while index < scalars.count, isNameCharacter(scalars[index]) {
                name.unicodeScalars.append(scalars[index])
                index += 1
            }
            guard !name.isEmpty else {
                if index < scalars.count, scalars[index] == "*" { throw fail("wildcards are not supported") }
                throw fail("expected a key")
            }
            return name
        }

        guard !scalars.isEmpty else { throw SyntaxError(problem: "the path is empty") }
        if scalars[0] == "$" {
            index = 1
            guard index < scalars.count else { throw fail("'$' alone names the whole notification") }
            guard scalars[index] == "." || scalars[index] == "[" else { throw fail("expected '.' or '[' after '$'") }
            if scalars[index] == "." {
                index += 1
                if index < scalars.count, scalars[index] == "." {
                    throw fail("recursive descent '..' is not supported")
                }
                steps.append(.key(try readName()))
            }
        } else {
            steps.append(.key(try readName()))
        }
        while index < scalars.count {
            switch scalars[index] {
            case ".":
                index += 1
                if index < scalars.count, scalars[index] == "." {
                    throw fail("recursive descent '..' is not supported")
                }
                steps.append(.key(try readName()))
            case "[":
                index += 1
                guard index < scalars.count else { throw fail("'[' is not closed") }
                let open = scalars[index]
                if open == "'" || open == "\"" {
                    index += 1
                    var key = ""
                    var closed = false
                    while index < scalars.count {
                        let scalar = scalars[index]
                        if scalar == "\\" {
                            guard index + 1 < scalars.count else { break }
                            key.unicodeScalars.append(scalars[index + 1])
                            index += 2
                        } else if scalar == open {
                            index += 1
                            closed = true
                            break
                        } else {
                            key.unicodeScalars.append(scalar)
                            index += 1
                        }
                    }
                    guard closed else { throw fail("the quoted key is not closed") }
                    guard !key.isEmpty else { throw fail("the quoted key is empty") }
                    steps.append(.key(key))
                } else if isDigit(open) {
                    var number = 0
                    while index < scalars.count, isDigit(scalars[index]) {
                        guard number < 1_000_000 else { throw fail("the index is too large") }
                        number = number * 10 + Int(scalars[index].value - 0x30)
                        index += 1
                    }
                    steps.append(.index(number))
                } else if open == "*" {
                    throw fail("wildcards are not supported")
                } else {
                    throw fail("expected a quoted key or an index from 0 after '['")
                }
                guard index < scalars.count, scalars[index] == "]" else { throw fail("expected ']'") }
                index += 1
            default:
                throw fail("expected '.' or '['")
            }
        }
        self.text = text
        self.steps = steps
    }

    /// The value the path names in a notification document.
    /// - Parameter document: The notification object.
    /// - Returns: The value, or `nil` when a step finds no such key or element (`null` is returned as `.null`).
    package func value(in document: [String: JSONValue]) -> JSONValue? {
        self.value(in: .object(document))
    }

    /// The value the path names under a JSON value.
    /// - Parameter root: The value the path starts at.
    /// - Returns: The value, or `nil` when a step finds no such key or element.
    package func value(in root: JSONValue) -> JSONValue? {
        var current = root
        for step in self.steps {
            switch (step, current) {
            case (.key(let key), .object(let members)):
                guard let next = members[key] else { return nil }
                current = next
            case (.index(let position), .array(let elements)):
                guard position < elements.count else { return nil }
                current = elements[position]
            case (.key, _), (.index, _):
                return nil
            }
        }
        return current
    }

    /// The path as written.
    package var description: String { self.text }
}
