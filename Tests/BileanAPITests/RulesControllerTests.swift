import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// `/v1/rules`: create, list, show, update, delete; at `/v1/X` and at `/X`, on every test database.
@Suite("Rules API")
struct RulesControllerTests {
    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func createListShowUpdateDelete(_ database: TestDatabase, _ prefix: String) async throws {
        try await APITestHarness.withAPI(database) { context in
            let api = context.api
            // The old client's body: `version` is the JSON number 1.0, prices integers and decimals.
            var response = try await api.post("\(prefix)/rules", APITestHarness.novaRuleBody)
            let created = try #require(try expectSuccess(response, .created)["rule"])
            let id = try #require(created.text("id"))
            #expect(!id.isEmpty)
            #expect(created.text("name") == "nova")
            #expect(created.text("type") == "os.nova.server-1.0")
            #expect(created["metadata"] == .object(["k": .string("v")]))
            let spec = try #require(created["spec"])
            #expect(spec.text("type") == "os.nova.server")
            let prices = spec["properties"]?["price_mapping"]?.arrayValue ?? []
            #expect(prices.map { $0["price"]?.scalarText } == ["3.6", "36"])
            #expect(prices.map { $0.text("flavor") } == ["m1.small", "m1.large"])
            #expect(created.text("created_at") == APITestHarness.time(0))
            #expect(created["deleted_at"] == .null)

            response = try await api.post("\(prefix)/rules", APITestHarness.cinderRuleBody)
            let cinder = try #require(try expectSuccess(response, .created)["rule"])
            #expect(cinder.text("type") == "os.cinder.volume-1.0")
            let tiers = cinder["spec"]?["properties"]?["price_mapping"]?.arrayValue ?? []
            #expect(tiers.map { $0["price"]?.scalarText } == ["0.36", "36"])

            // Show gives back exactly what create answered; the list has both.
            #expect(try await api.object("\(prefix)/rules/\(id)", "rule") == created)
            let listed = try await api.list("\(prefix)/rules?sort_keys=name", "rules")
            #expect(listed.map { $0.text("name") } == ["cinder", "nova"])
            #expect(listed.map { $0.text("type") } == ["os.cinder.volume-1.0", "os.nova.server-1.0"])

            // Update: a new name, then a new price list for the same resource type.
            context.clock.advance(seconds: 10)
            response = try await api.put("\(prefix)/rules/\(id)", #"{"rule": {"name": "nova-2017"}}"#)
            let renamed = try #require(try expectSuccess(response)["rule"])
            #expect(renamed.text("name") == "nova-2017")
            #expect(renamed.text("type") == "os.nova.server-1.0")
            #expect(renamed.text("updated_at") == APITestHarness.time(10))
            response = try await api.put(
                "\(prefix)/rules/\(id)",
                """
                {"rule": {"spec": {"type": "os.nova.server", "version": 1.0,
                  "properties": {"price_mapping": [{"flavor": "m1.tiny", "price": 0.5}]}}, "metadata": {"a": "b"}}}
                """
            )
            let repriced = try #require(try expectSuccess(response)["rule"])
            #expect(repriced.text("name") == "nova-2017")
            #expect(repriced["metadata"] == .object(["a": .string("b")]))
            #expect(
                repriced["spec"]?["properties"]?["price_mapping"]?.arrayValue?.first?["price"]?.scalarText == "0.5"
            )
            #expect(try await api.object("\(prefix)/rules/\(id)", "rule") == repriced)

            // Delete: 204 without a body; then it is gone.
            expectNoContent(try await api.delete("\(prefix)/rules/\(id)"))
            let missing = expectOpenStackError(try await api.get("\(prefix)/rules/\(id)"), .notFound)
            #expect(missing.message == "Rule not found: \(id)")
            #expect(try await api.ids("\(prefix)/rules", "rules") == [cinder.text("id") ?? "-"])
            #expect(try await context.engine.listRules(ListQuery()).count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func filtersByTypeAndName(_ database: TestDatabase) async throws {
        try await APITestHarness.withAPI(database) { context in
            let (_, nova, cinder) = try await APITestHarness.seedPricing(context.engine)
            let api = context.api
            #expect(try await api.ids("/v1/rules?type=os.nova.server-1.0", "rules") == [nova.id])
            #expect(try await api.ids("/v1/rules?name=cinder", "rules") == [cinder.id])
            #expect(try await api.ids("/v1/rules?name=cinder&type=os.nova.server-1.0", "rules") == [])
            #expect(
                try await api.ids("/v1/rules?name=cinder&name=nova&sort_keys=name", "rules") == [cinder.id, nova.id]
            )
        }
    }

    @Test func namesAndMetadataRoundTripExactly() async throws {
        try await APITestHarness.withAPI { context in
            let name = #"prix "spécial" 💶 </script> \ / ' OR 1=1"#
            let body = """
                {"rule": {"name": "prix \\"spécial\\" 💶 </script> \\\\ / ' OR 1=1",
                  "metadata": {"k": "v", "n": 0.000000000001, "nested": {"list": [1, "2", null, true]}},
                  "spec": {"type": "os.nova.server", "version": 1.0,
                    "properties": {"price_mapping": [{"flavor": "m1.small", "price": 1}]}}}}
                """
            let created = try #require(
                try expectSuccess(try await context.api.post("/v1/rules", body), .created)["rule"]
            )
            #expect(created.text("name") == name)
            #expect(
                created["metadata"]
                    == .object([
                        "k": .string("v"), "n": .number("0.000000000001"),
                        "nested": .object(["list": .array([.number("1"), .string("2"), .null, .bool(true)])]),
                    ])
            )
            let id = try #require(created.text("id"))
            #expect(try await context.api.object("/v1/rules/\(id)", "rule") == created)
            #expect(try await context.engine.rule(id).name == name)
        }
    }

    @Test func aRuleUsedByAPolicyCannotBeDeleted() async throws {
        try await APITestHarness.withAPI { context in
            let (policy, nova, _) = try await APITestHarness.seedPricing(context.engine)
            let error = expectOpenStackError(
                try await context.api.delete("/v1/rules/\(nova.id)"),
                .conflict,
                type: "Conflict"
            )
            #expect(error.message.contains(nova.id))
            // Nothing changed: the rule is there, still in its policy.
            #expect(try await context.api.object("/v1/rules/\(nova.id)", "rule").text("id") == nova.id)
            let rules = try await context.engine.policy(policy.id).rules.map(\.id)
            #expect(rules.contains(nova.id))
            // Once removed from the policy it can go.
            let response = try await context.api.post(
                "/v1/policies/\(policy.id)/action",
                #"{"remove_rules": {"rules": ["\#(nova.id)"]}}"#
            )
            try expectSuccess(response)
            expectNoContent(try await context.api.delete("/v1/rules/\(nova.id)"))
        }
    }
}
