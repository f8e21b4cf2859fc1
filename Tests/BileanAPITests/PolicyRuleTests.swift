import Testing

@testable import BileanAPI

/// oslo.policy's rule language: parsing, precedence and evaluation.
@Suite("Policy rules")
struct PolicyRuleTests {
    static func subject(
        project: String? = "p1",
        roles: Set<String> = ["member"],
        target: [String: String] = ["project_id": "p1"]
    ) -> PolicyRule.Subject {
        var credentials: [String: String] = ["is_admin": roles.contains("admin") ? "True" : "False"]
        credentials["project_id"] = project
        credentials["user_id"] = "u1"
        return PolicyRule.Subject(credentials: credentials, roles: roles, target: target)
    }

    static func allows(_ text: String, _ subject: PolicyRule.Subject, rules: [String: String] = [:]) throws -> Bool {
        let rule = try PolicyParser.parse(text)
        var parsed: [String: PolicyRule] = [:]
        for (name, text) in rules { parsed[name] = try PolicyParser.parse(text) }
        return rule.allows(subject) { parsed[$0] }
    }

    @Test func parsesChecksAndPrecedence() throws {
        #expect(try PolicyParser.parse("") == .always)
        #expect(try PolicyParser.parse("  ") == .always)
        #expect(try PolicyParser.parse("@") == .always)
        #expect(try PolicyParser.parse("!") == .never)
        #expect(try PolicyParser.parse("role:admin") == .role("admin"))
        #expect(try PolicyParser.parse("rule:x") == .rule("x"))
        #expect(
            try PolicyParser.parse("project_id:%(project_id)s") == .generic(kind: "project_id", match: "%(project_id)s")
        )
        // and binds tighter than or; not tighter than and.
        #expect(
            try PolicyParser.parse("role:a or role:b and role:c")
                == .or([.role("a"), .and([.role("b"), .role("c")])])
        )
        #expect(try PolicyParser.parse("not role:a and role:b") == .and([.not(.role("a")), .role("b")]))
        #expect(
            try PolicyParser.parse("(role:a or role:b) and role:c")
                == .and([.or([.role("a"), .role("b")]), .role("c")])
        )
        #expect(try PolicyParser.parse("((role:a))") == .role("a"))
        #expect(try PolicyParser.parse("role:a AND role:b") == .and([.role("a"), .role("b")]))
        #expect(try PolicyParser.parse("'member':%(role)s") == .generic(kind: "'member'", match: "%(role)s"))
    }

    @Test(arguments: [
        "role:a or", "(role:a", "role:a)", "and role:a", "role", "role:", ":x", "not", "role:a role:b",
        "http://example.com", "'unterminated:x",
    ])
    func refusesBadSyntax(_ text: String) {
        #expect(throws: PolicyParser.SyntaxError.self) { try PolicyParser.parse(text) }
    }

    @Test func descriptionParsesBackToTheSameRule() throws {
        for text in [
            "role:a or role:b and not (role:c or role:d)", "not (role:a and role:b)", "@", "!",
            "rule:x or project_id:%(project_id)s",
        ] {
            let rule = try PolicyParser.parse(text)
            #expect(try PolicyParser.parse(rule.description) == rule, "\(text) → \(rule.description)")
        }
    }

    @Test func evaluatesRolesCaseInsensitively() throws {
        #expect(try Self.allows("role:Member", Self.subject()))
        #expect(try !Self.allows("role:admin", Self.subject()))
        #expect(try Self.allows("role:admin", Self.subject(roles: ["admin"])))
    }

    @Test func evaluatesOwnerChecksAgainstTheTarget() throws {
        let owner = "project_id:%(project_id)s"
        #expect(try Self.allows(owner, Self.subject()))
        #expect(try !Self.allows(owner, Self.subject(target: ["project_id": "p2"])))
        // A target without the key fails the check (oslo's KeyError), it never matches everything.
        #expect(try !Self.allows(owner, Self.subject(target: [:])))
        // A caller without a project never matches.
        #expect(try !Self.allows(owner, Self.subject(project: nil)))
        #expect(try Self.allows("user_id:u1", Self.subject()))
        #expect(try Self.allows("is_admin:True", Self.subject(roles: ["admin"])))
        #expect(try !Self.allows("is_admin:True", Self.subject()))
        #expect(try Self.allows("'p1':%(project_id)s", Self.subject()))
        #expect(try !Self.allows("unknown_attribute:x", Self.subject()))
    }

    @Test func evaluatesOperatorsAndNamedRules() throws {
        let rules = ["admin": "role:admin", "owner": "project_id:%(project_id)s", "either": "rule:admin or rule:owner"]
        #expect(try Self.allows("rule:either", Self.subject(), rules: rules))
        #expect(try !Self.allows("rule:either", Self.subject(target: ["project_id": "p2"]), rules: rules))
        #expect(try Self.allows("rule:owner and not role:reader", Self.subject(), rules: rules))
        #expect(try !Self.allows("rule:owner and not role:member", Self.subject(), rules: rules))
        #expect(try !Self.allows("rule:missing", Self.subject(), rules: rules))
        #expect(try Self.allows("@", Self.subject(project: nil, roles: [])))
        #expect(try !Self.allows("!", Self.subject(roles: ["admin"])))
    }

    /// `%(key)s` substitution, as oslo.policy does it: every occurrence, text around kept, a missing key or an
    /// unclosed `%(` fails the check.
    @Test func substitutionReplacesEveryKeyAndFailsOnAMissingOne() {
        let target = ["project_id": "p1", "user_id": "ü2", "empty": ""]
        #expect(PolicyRule.substitute("plain", target) == "plain")
        #expect(PolicyRule.substitute("", target) == "")
        #expect(PolicyRule.substitute("%(project_id)s", target) == "p1")
        #expect(PolicyRule.substitute("a-%(project_id)s-%(user_id)s-é", target) == "a-p1-ü2-é")
        #expect(PolicyRule.substitute("%(empty)s%(project_id)s", target) == "p1")
        #expect(PolicyRule.substitute("100%", target) == "100%")
        #expect(PolicyRule.substitute("%(missing)s", target) == nil)
        #expect(PolicyRule.substitute("x %(project_id", target) == nil)
        #expect(PolicyRule.substitute("%(project_id)", target) == nil)
    }
}
