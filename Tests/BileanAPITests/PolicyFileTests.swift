import BileanCore
import Foundation
import Testing

@testable import BileanAPI

/// The policy file: overrides over the defaults, and the errors that stop the start (file, line, rule).
@Suite("Policy file")
struct PolicyFileTests {
    static func policy(_ text: String) throws -> AccessPolicy {
        try AccessPolicy(file: try PolicyFile.parse(text, path: "policy.yaml"))
    }

    static func error(_ text: String) -> PolicyFileError? {
        do {
            _ = try Self.policy(text)
            return nil
        } catch let error as PolicyFileError {
            return error
        } catch {
            return nil
        }
    }

    static let member = Credentials(projectID: "p1", roles: ["member"])
    static let reader = Credentials(projectID: "p1", roles: ["reader"])
    static let admin = Credentials(projectID: "admin-project", roles: ["admin"])

    @Test func theDefaultsMatchTheContract() {
        let policy = AccessPolicy.defaults
        for action in AccessPolicy.Action.allCases {
            #expect(policy.enforce(action, Self.admin, target: ["project_id": "p2"]), "\(action)")
            #expect(policy.enforce(action, Self.admin, target: [:]), "\(action)")
            #expect(policy.enforce(action, Self.member, target: ["project_id": "p1"]) == action.allowsOwner)
            #expect(!policy.enforce(action, Self.member, target: ["project_id": "p2"]), "\(action)")
            #expect(!policy.enforce(action, Self.member, target: [:]), "\(action)")
        }
    }

    @Test func aFileOverridesSomeRulesAndKeepsTheOthers() throws {
        let policy = try Self.policy(
            """
            # readers may not see consumptions; a custom alias is fine when it is used
            "consumptions:index": "rule:admin_or_owner and not role:reader"
            "billing_auditor": "role:auditor"
            users:index: "rule:context_is_admin or rule:billing_auditor"
            """
        )
        #expect(policy.enforce(.consumptionsIndex, Self.member, target: ["project_id": "p1"]))
        #expect(!policy.enforce(.consumptionsIndex, Self.reader, target: ["project_id": "p1"]))
        #expect(policy.enforce(.eventsIndex, Self.reader, target: ["project_id": "p1"]))
        #expect(policy.enforce(.usersIndex, Credentials(projectID: "x", roles: ["auditor"]), target: [:]))
        #expect(!policy.enforce(.usersIndex, Self.member, target: [:]))
    }

    @Test func anEmptyFileIsTheDefaults() throws {
        let policy = try Self.policy("")
        #expect(policy == AccessPolicy.defaults)
        #expect(try Self.policy("{}") == AccessPolicy.defaults)
    }

    @Test func errorsNameTheLineAndTheRule() throws {
        let syntax = try #require(Self.error("users:get: \"rule:admin_or_owner\"\nusers:index: \"role:admin or\"\n"))
        #expect(syntax.line == 2)
        #expect(syntax.rule == "users:index")
        #expect(syntax.description.hasPrefix("policy.yaml:2: rule 'users:index': "))

        let unknownReference = try #require(Self.error("\n\nusers:get: \"rule:no_such_rule\"\n"))
        #expect(unknownReference.line == 3)
        #expect(unknownReference.rule == "users:get")
        #expect(unknownReference.message.contains("no_such_rule"))

        let unknownName = try #require(Self.error("users:gett: \"role:admin\"\n"))
        #expect(unknownName.line == 1)
        #expect(unknownName.rule == "users:gett")

        let cycle = try #require(Self.error("a: \"rule:b\"\nb: \"rule:a\"\nusers:get: \"rule:a\"\n"))
        #expect(cycle.message.contains("cycle"))
        #expect(cycle.rule == "a" || cycle.rule == "b")
        #expect(cycle.line == 1 || cycle.line == 2)

        let selfCycle = try #require(Self.error("context_is_admin: \"rule:context_is_admin\"\n"))
        #expect(selfCycle.message.contains("cycle"))

        let notString = try #require(Self.error("users:get:\n  - role:admin\n"))
        #expect(notString.line == 1)

        // A rule defined twice (Yams refuses duplicate keys itself).
        #expect(Self.error("users:get: \"@\"\nusers:get: \"!\"\n") != nil)

        let notYAML = try #require(Self.error("users:get: \"unterminated\n"))
        #expect(notYAML.rule == nil)

        let notMapping = try #require(Self.error("- a\n- b\n"))
        #expect(notMapping.line == 1)
    }

    @Test func aMissingFileIsAnErrorOnlyWhenConfigured() throws {
        #expect(throws: PolicyFileError.self) {
            try AccessPolicy.load(path: "/nonexistent/policy.yaml", required: true) { _ in false }
        }
        let defaults = try AccessPolicy.load(path: "/nonexistent/policy.yaml", required: false) { _ in false }
        #expect(defaults == AccessPolicy.defaults)
    }

    @Test func theSampleIsTheDefaultsCommentedOut() throws {
        let sample = AccessPolicy.sampleFile()
        // Commented out, the sample changes nothing.
        #expect(try Self.policy(sample) == AccessPolicy.defaults)
        // Uncommented, it parses and is the defaults again.
        let uncommented = sample.split(separator: "\n").filter { $0.hasPrefix("#\"") }.map { $0.dropFirst() }
            .joined(separator: "\n")
        #expect(try Self.policy(uncommented) == AccessPolicy.defaults)
        for action in AccessPolicy.Action.allCases {
            #expect(sample.contains("#\"\(action.rawValue)\": "))
        }
        for name in [
            "recharges:index", "users:projection", "reconciliation:index", "rerating:preview", "rerating:apply",
        ] {
            #expect(AccessPolicy.Action(rawValue: name) != nil)
        }
    }
}
