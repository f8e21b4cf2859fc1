import Foundation

/// One rule of an oslo.policy file, parsed: `role:admin or project_id:%(project_id)s`.
package indirect enum PolicyRule: Sendable, Hashable, CustomStringConvertible {
    /// `@` or an empty rule: always allowed.
    case always
    /// `!`: never allowed.
    case never
    /// `role:NAME`: the caller has the role (case-insensitive). The name may be a `%(key)s` template of the target.
    case role(String)
    /// `rule:NAME`: the named rule allows it.
    case rule(String)
    /// `KEY:VALUE`: the caller's attribute `KEY` (`project_id`, `user_id`, `is_admin`, …) equals `VALUE`, a
    /// literal or a `%(key)s` template of the target. A quoted `'literal':VALUE` compares the literal instead.
    case generic(kind: String, match: String)
    /// `A and B and …`.
    case and([PolicyRule])
    /// `A or B or …`.
    case or([PolicyRule])
    /// `not A`.
    case not(PolicyRule)

    /// The rule names this rule refers to with `rule:NAME`.
    package var references: [String] {
        switch self {
        case .always, .never, .role, .generic: return []
        case .rule(let name): return [name]
        case .and(let rules), .or(let rules): return rules.flatMap(\.references)
        case .not(let rule): return rule.references
        }
    }

    /// The rule in oslo.policy syntax.
    package var description: String {
        switch self {
        case .always: return "@"
        case .never: return "!"
        case .role(let name): return "role:\(name)"
        case .rule(let name): return "rule:\(name)"
        case .generic(let kind, let match): return "\(kind):\(match)"
        case .and(let rules): return rules.map { Self.grouped($0, inside: "and") }.joined(separator: " and ")
        case .or(let rules): return rules.map { Self.grouped($0, inside: "or") }.joined(separator: " or ")
        case .not(let rule): return "not " + Self.grouped(rule, inside: "not")
        }
    }

    private static func grouped(_ rule: PolicyRule, inside: String) -> String {
        switch rule {
        case .and where inside == "not", .or where inside != "or":
            return "(\(rule.description))"
        case .always, .never, .role, .rule, .generic, .and, .or, .not:
            return rule.description
        }
    }
}

extension PolicyRule {
    /// What a rule is checked against: the caller's attributes and the target's.
    package struct Subject: Sendable {
        /// The caller's attributes by oslo's names (`project_id`, `user_id`, `is_admin`, …).
        package var credentials: [String: String]
        /// The caller's roles, lowercased.
        package var roles: Set<String>
        /// The target's attributes (`project_id` of the object touched).
        package var target: [String: String]

        /// Creates a subject.
        package init(credentials: [String: String], roles: Set<String>, target: [String: String]) {
            self.credentials = credentials
            self.roles = roles
            self.target = target
        }
    }

    /// Whether the rule allows the subject.
    /// - Parameters:
    ///   - subject: The caller and the target.
    ///   - lookup: The named rules (`rule:NAME`); an unknown name denies.
    /// - Returns: `true` when allowed.
    package func allows(_ subject: Subject, lookup: (String) -> PolicyRule?) -> Bool {
        switch self {
        case .always:
            return true
        case .never:
            return false
        case .role(let name):
            guard let role = Self.substitute(name, subject.target) else { return false }
            return subject.roles.contains(role.lowercased())
        case .rule(let name):
            return lookup(name)?.allows(subject, lookup: lookup) ?? false
        case .generic(let kind, let match):
            guard let expected = Self.substitute(Self.unquoted(match) ?? match, subject.target) else { return false }
            if let literal = Self.unquoted(kind) { return literal == expected }
            if kind == "roles" { return subject.roles.contains(expected.lowercased()) }
            guard let actual = subject.credentials[kind] else { return false }
            return actual == expected
        case .and(let rules):
            return rules.allSatisfy { $0.allows(subject, lookup: lookup) }
        case .or(let rules):
            return rules.contains { $0.allows(subject, lookup: lookup) }
        case .not(let rule):
            return !rule.allows(subject, lookup: lookup)
        }
    }

    /// The text with each `%(key)s` replaced by the target's value, or `nil` when the target lacks a key (oslo's
    /// `KeyError`: the check fails).
    static func substitute(_ text: String, _ target: [String: String]) -> String? {
        // Over the UTF-8 bytes (`%(` and `)s` are ASCII, so every cut falls between characters): Foundation's
        // `range(of:)` went through NSString on each authorization.
        let bytes = Array(text.utf8)
        var result: [UInt8] = []
        var copied = 0
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "%"), bytes[index + 1] == UInt8(ascii: "(") else {
                index += 1
                continue
            }
            var close = index + 2
            while close + 1 < bytes.count, bytes[close] != UInt8(ascii: ")") || bytes[close + 1] != UInt8(ascii: "s") {
                close += 1
            }
            guard close + 1 < bytes.count else { return nil }
            guard let value = target[String(decoding: bytes[(index + 2)..<close], as: UTF8.self)] else { return nil }
            result += bytes[copied..<index]
            result += value.utf8
            index = close + 2
            copied = index
        }
        guard copied > 0 else { return text }
        result += bytes[copied...]
        return String(decoding: result, as: UTF8.self)
    }

    /// The text inside matching single or double quotes, or `nil` when it is not quoted.
    static func unquoted(_ text: String) -> String? {
        guard text.count >= 2, let first = text.first, first == "'" || first == "\"", text.last == first else {
            return nil
        }
        return String(text.dropFirst().dropLast())
    }
}
