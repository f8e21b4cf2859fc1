import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// `/v1/policies`: create, list, show, update, delete, add_rules, remove_rules; at `/v1/X` and at `/X`, on every
/// test database.
@Suite("Policies API")
struct PoliciesControllerTests {
    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func createListShowUpdateActionsDelete(_ database: TestDatabase, _ prefix: String) async throws {
        try await APITestHarness.withAPI(database) { context in
            let api = context.api
            let nova = try await context.engine.createRule(
                name: "nova",
                spec: APITestHarness.novaSpec,
                metadata: .object([:])
            )
            let cinder = try await context.engine.createRule(
                name: "cinder",
                spec: APITestHarness.cinderSpec,
                metadata: .object([:])
            )

            // The old client sends `"rules": null` without --rule: a policy without rules. The first policy is the
            // default.
            var response = try await api.post(
                "\(prefix)/policies",
                #"{"policy": {"name": "empty", "rules": null, "metadata": {}}}"#
            )
            let empty = try #require(try expectSuccess(response, .created)["policy"])
            let emptyID = try #require(empty.text("id"))
            #expect(empty.text("name") == "empty")
            #expect(empty["rules"] == .array([]))
            #expect(empty["is_default"] == .bool(true))
            #expect(empty["metadata"] == .object([:]))

            context.clock.advance(seconds: 1)
            response = try await api.post(
                "\(prefix)/policies",
                #"{"policy": {"name": "gold", "rules": ["\#(nova.id)"], "metadata": {"tier": "1"}}}"#
            )
            let gold = try #require(try expectSuccess(response, .created)["policy"])
            let goldID = try #require(gold.text("id"))
            #expect(
                gold["rules"] == .array([.object(["id": .string(nova.id), "type": .string("os.nova.server-1.0")])])
            )
            #expect(gold["is_default"] == .bool(false))
            #expect(gold["metadata"] == .object(["tier": .string("1")]))

            #expect(try await api.object("\(prefix)/policies/\(goldID)", "policy") == gold)
            #expect(try await api.ids("\(prefix)/policies?sort_keys=name", "policies") == [emptyID, goldID])
            #expect(try await api.ids("\(prefix)/policies?name=gold", "policies") == [goldID])

            // Update: gold becomes the default, which the other one stops being.
            response = try await api.put("\(prefix)/policies/\(goldID)", #"{"policy": {"is_default": true}}"#)
            #expect(try expectSuccess(response)["policy"]?["is_default"] == .bool(true))
            #expect(try await api.object("\(prefix)/policies/\(emptyID)", "policy")["is_default"] == .bool(false))
            #expect(try await api.ids("\(prefix)/policies?is_default=true", "policies") == [goldID])
            response = try await api.put(
                "\(prefix)/policies/\(goldID)",
                #"{"policy": {"name": "platinum", "metadata": {"tier": "0"}}}"#
            )
            let renamed = try #require(try expectSuccess(response)["policy"])
            #expect(renamed.text("name") == "platinum")
            #expect(renamed["metadata"] == .object(["tier": .string("0")]))
            #expect(renamed["is_default"] == .bool(true))

            // add_rules, then remove_rules.
            response = try await api.post(
                "\(prefix)/policies/\(goldID)/action",
                #"{"add_rules": {"rules": ["\#(cinder.id)"]}}"#
            )
            let added = try #require(try expectSuccess(response)["policy"])
            #expect(Set(added["rules"]?.arrayValue?.compactMap { $0.text("id") } ?? []) == [nova.id, cinder.id])
            #expect(
                Set(added["rules"]?.arrayValue?.compactMap { $0.text("type") } ?? [])
                    == ["os.nova.server-1.0", "os.cinder.volume-1.0"]
            )
            response = try await api.post(
                "\(prefix)/policies/\(goldID)/action",
                #"{"remove_rules": {"rules": ["\#(nova.id)"]}}"#
            )
            let removed = try #require(try expectSuccess(response)["policy"])
            #expect(removed["rules"]?.arrayValue?.compactMap { $0.text("id") } == [cinder.id])
            #expect(try await context.engine.policy(goldID).rules.map(\.id) == [cinder.id])

            // Delete the one that is no longer the default.
            expectNoContent(try await api.delete("\(prefix)/policies/\(emptyID)"))
            let missing = expectOpenStackError(try await api.get("\(prefix)/policies/\(emptyID)"), .notFound)
            #expect(missing.message == "Policy not found: \(emptyID)")
            #expect(try await api.ids("\(prefix)/policies", "policies") == [goldID])
        }
    }

    @Test func aPolicyUsersRelyOnCannotBeDeletedOrUnsetAsDefault() async throws {
        try await APITestHarness.withAPI { context in
            let (policy, _, _) = try await APITestHarness.seedPricing(context.engine)
            try await APITestHarness.fund(context.engine, "proj-a", "1")
            expectOpenStackError(
                try await context.api.delete("/v1/policies/\(policy.id)"),
                .conflict,
                type: "Conflict"
            )
            expectOpenStackError(
                try await context.api.put("/v1/policies/\(policy.id)", #"{"policy": {"is_default": false}}"#),
                .conflict,
                type: "Conflict"
            )
            let unchanged = try await context.engine.policy(policy.id)
            #expect(unchanged.isDefault)
            #expect(unchanged.deletedAt == nil)
        }
    }
}
