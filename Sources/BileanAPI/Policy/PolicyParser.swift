/// Parses oslo.policy's rule language: checks (`role:X`, `rule:X`, `KEY:VALUE`, `@`, `!`), `and`, `or`, `not` and
/// parentheses, with oslo's precedence (`not` binds tightest, then `and`, then `or`).
///
/// Unlike oslo.policy, which turns a rule it cannot parse into "never" and logs it, a syntax error is thrown:
/// Bilean refuses to start on a policy file it cannot read.
package struct PolicyParser {
    /// Why a rule cannot be parsed.
    package struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        /// What is wrong.
        package var message: String
        package var description: String { self.message }
    }

    private enum Token: Equatable {
        case open
        case close
        case and
        case or
        case not
        case check(String)
    }

    private var tokens: [Token]
    private var position = 0

    private init(tokens: [Token]) {
        self.tokens = tokens
    }

    /// Parses one rule.
    /// - Parameter text: The rule (an empty text is "always").
    /// - Returns: The rule.
    /// - Throws: ``SyntaxError``.
    package static func parse(_ text: String) throws(SyntaxError) -> PolicyRule {
        let tokens = try Self.tokenize(text)
        if tokens.isEmpty { return .always }
        var parser = PolicyParser(tokens: tokens)
        let rule = try parser.parseOr()
        if parser.position < parser.tokens.count {
            throw SyntaxError(message: "unexpected \(parser.describe(parser.tokens[parser.position])) in '\(text)'")
        }
        return rule
    }

    /// oslo.policy's tokenizer: words split on whitespace (quotes keep theirs), then each word's leading `(` and
    /// trailing `)` become tokens of their own (so `%(project_id)s` stays whole).
    private static func tokenize(_ text: String) throws(SyntaxError) -> [Token] {
        var words: [String] = []
        var word = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                word.append(character)
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                word.append(character)
            case " ", "\t", "\n", "\r":
                if !word.isEmpty { words.append(word) }
                word = ""
            default:
                word.append(character)
            }
        }
        if quote != nil { throw SyntaxError(message: "unterminated quote in '\(text)'") }
        if !word.isEmpty { words.append(word) }

        var tokens: [Token] = []
        for word in words {
            var rest = Substring(word)
            while rest.first == "(" {
                tokens.append(.open)
                rest = rest.dropFirst()
            }
            var closes = 0
            while rest.last == ")" {
                closes += 1
                rest = rest.dropLast()
            }
            if !rest.isEmpty {
                switch rest.lowercased() {
                case "and": tokens.append(.and)
                case "or": tokens.append(.or)
                case "not": tokens.append(.not)
                default: tokens.append(.check(String(rest)))
                }
            }
            tokens += Array(repeating: .close, count: closes)
        }
        return tokens
    }

    private mutating func parseOr() throws(SyntaxError) -> PolicyRule {
        var rules = [try self.parseAnd()]
        while self.peek() == .or {
            self.position += 1
            rules.append(try self.parseAnd())
        }
        return rules.count == 1 ? rules[0] : .or(rules)
    }

    private mutating func parseAnd() throws(SyntaxError) -> PolicyRule {
        var rules = [try self.parseUnary()]
        while self.peek() == .and {
            self.position += 1
            rules.append(try self.parseUnary())
        }
        return rules.count == 1 ? rules[0] : .and(rules)
    }

    private mutating func parseUnary() throws(SyntaxError) -> PolicyRule {
        guard let token = self.peek() else { throw SyntaxError(message: "the rule ends where a check is expected") }
        self.position += 1
        switch token {
        case .not:
            return .not(try self.parseUnary())
        case .open:
            let inner = try self.parseOr()
            guard self.peek() == .close else { throw SyntaxError(message: "a '(' is not closed") }
            self.position += 1
            return inner
        case .check(let text):
            return try Self.check(text)
        case .close, .and, .or:
            throw SyntaxError(message: "unexpected \(self.describe(token)) where a check is expected")
        }
    }

    private static func check(_ text: String) throws(SyntaxError) -> PolicyRule {
        if text == "@" { return .always }
        if text == "!" { return .never }
        guard let colon = text.firstIndex(of: ":") else {
            throw SyntaxError(message: "'\(text)' is not a check (KIND:VALUE, @ or !)")
        }
        let kind = String(text[..<colon])
        let match = String(text[text.index(after: colon)...])
        guard !kind.isEmpty, !match.isEmpty else {
            throw SyntaxError(message: "'\(text)' is not a check (KIND:VALUE, @ or !)")
        }
        switch kind {
        case "role": return .role(match)
        case "rule": return .rule(match)
        case "http", "https":
            throw SyntaxError(message: "'\(text)': http checks are not supported by Bilean")
        default: return .generic(kind: kind, match: match)
        }
    }

    private func peek() -> Token? {
        self.position < self.tokens.count ? self.tokens[self.position] : nil
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .open: return "'('"
        case .close: return "')'"
        case .and: return "'and'"
        case .or: return "'or'"
        case .not: return "'not'"
        case .check(let text): return "'\(text)'"
        }
    }
}
