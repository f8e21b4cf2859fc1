/// A shell-style pattern over event types, as Python's `fnmatch.fnmatchcase` reads it.
///
/// `*` matches any run of characters (dots included), `?` one character, `[abc]` one of the listed characters,
/// `[a-z]` one in the range, `[!abc]` one not listed; any other character matches itself, case-sensitively. A
/// `]` right after `[` or `[!` is a member of the set. Unlike `fnmatch`, an unclosed `[` is an error rather than a
/// literal, so that a typo in the definitions file is caught at start.
package struct Glob: Sendable, Hashable, CustomStringConvertible {
    /// Why a pattern is not a glob.
    package struct SyntaxError: Error, Sendable, Hashable {
        /// What is wrong.
        package var problem: String
    }

    private enum Token: Sendable, Hashable {
        case literal(Unicode.Scalar)
        case anyCharacter
        case anyRun
        case set(ranges: [ClosedRange<Unicode.Scalar>], negated: Bool)

        func matches(_ scalar: Unicode.Scalar) -> Bool {
            switch self {
            case .literal(let expected): return scalar == expected
            case .anyCharacter: return true
            case .anyRun: return true
            case .set(let ranges, let negated): return ranges.contains { $0.contains(scalar) } != negated
            }
        }
    }

    /// The pattern as written.
    package let pattern: String
    private let tokens: [Token]
    /// Whether the pattern has no wildcard, so that matching is comparing.
    private let isLiteral: Bool

    /// Compiles a pattern.
    /// - Parameter pattern: The pattern, e.g. `compute.instance.*.end`.
    /// - Throws: ``SyntaxError`` for an empty pattern, an unclosed `[`, an empty set or a reversed range.
    package init(_ pattern: String) throws(SyntaxError) {
        guard !pattern.isEmpty else { throw SyntaxError(problem: "the pattern is empty") }
        let scalars = Array(pattern.unicodeScalars)
        var tokens: [Token] = []
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            switch scalar {
            case "*":
                if tokens.last != .anyRun { tokens.append(.anyRun) }
                index += 1
            case "?":
                tokens.append(.anyCharacter)
                index += 1
            case "[":
                let (token, next) = try Self.readSet(scalars, from: index)
                tokens.append(token)
                index = next
            default:
                tokens.append(.literal(scalar))
                index += 1
            }
        }
        self.pattern = pattern
        self.tokens = tokens
        self.isLiteral = tokens.allSatisfy {
            if case .literal = $0 { return true }
            return false
        }
    }

    /// Reads `[...]` starting at the `[`; returns the set and the index after the `]`.
    private static func readSet(
        _ scalars: [Unicode.Scalar],
        from start: Int
    ) throws(SyntaxError) -> (Token, Int) {
        var index = start + 1
        var negated = false
        if index < scalars.count, scalars[index] == "!" {
            negated = true
            index += 1
        }
        var ranges: [ClosedRange<Unicode.Scalar>] = []
        var first = true
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "]" && !first {
                return (.set(ranges: ranges, negated: negated), index + 1)
            }
            first = false
            if index + 2 < scalars.count, scalars[index + 1] == "-", scalars[index + 2] != "]" {
                let upper = scalars[index + 2]
                guard scalar <= upper else {
                    throw SyntaxError(problem: "the range '\(scalar)-\(upper)' is reversed")
                }
                ranges.append(scalar...upper)
                index += 3
            } else {
                ranges.append(scalar...scalar)
                index += 1
            }
        }
        throw SyntaxError(problem: "'[' at position \(start + 1) is not closed by ']'")
    }

    /// Whether the whole text matches the pattern.
    /// - Parameter text: An event type.
    /// - Returns: `true` when the pattern matches all of `text`.
    package func matches(_ text: String) -> Bool {
        if self.isLiteral { return text.unicodeScalars.elementsEqual(self.pattern.unicodeScalars) }
        let scalars = Array(text.unicodeScalars)
        var textIndex = 0
        var tokenIndex = 0
        // Where to resume after the last `*`: the token after it, and the text position it has swallowed up to.
        var starToken: Int?
        var starText = 0
        while textIndex < scalars.count {
            if tokenIndex < self.tokens.count, self.tokens[tokenIndex] == .anyRun {
                starToken = tokenIndex + 1
                starText = textIndex
                tokenIndex += 1
            } else if tokenIndex < self.tokens.count, self.tokens[tokenIndex].matches(scalars[textIndex]) {
                tokenIndex += 1
                textIndex += 1
            } else if let resume = starToken {
                // Let the last `*` swallow one more character and try again from there.
                starText += 1
                textIndex = starText
                tokenIndex = resume
            } else {
                return false
            }
        }
        while tokenIndex < self.tokens.count, self.tokens[tokenIndex] == .anyRun { tokenIndex += 1 }
        return tokenIndex == self.tokens.count
    }

    /// The pattern as written.
    package var description: String { self.pattern }
}
