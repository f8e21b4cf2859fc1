import BileanCore
import BileanEngine
import BileanTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// `os.generic` rules over `/v1/rules` and `/v1/policies`: the rule type in the body, the stored spec given back
/// exactly, and the 400s.
@Suite("Generic rules API")
struct GenericRulesAPITests {
    static let spec = """
        {"type": "os.generic", "version": 1.0, "properties": {"resource_type": "os.octavia.loadbalancer",
          "unit": "per_hour", "price_mapping": {"property": "flavor_id",
          "prices": [{"value": "small", "price": 0.02}, {"value": "large", "price": "0.10"}]}}}
        """

    static func body(_ name: String, _ spec: String) -> String {
        #"{"rule": {"name": "\#(name)", "spec": \#(spec)}}"#
    }

    @Test(arguments: TestDatabase.available)
    func createShowFilterAndRefuse(_ database: TestDatabase) async throws {
        try await APITestHarness.withAPI(database) { context in
            let api = context.api
            var response = try await api.post("/v1/rules", Self.body("lb", Self.spec))
            let created = try #require(try expectSuccess(response, .created)["rule"])
            #expect(created.text("type") == "os.octavia.loadbalancer-1.0")
            // The spec comes back as sent, numbers and strings as written, its version as text.
            let sent = try ExactJSONReader.parse(Array(Self.spec.utf8), maximumDepth: 20)
            var expected = try #require(sent.objectValue)
            expected["version"] = .string("1.0")
            #expect(created["spec"] == .object(expected))
            let id = try #require(created.text("id"))
            #expect(try await api.object("/v1/rules/\(id)", "rule") == created)
            #expect(try await api.ids("/v1/rules?type=os.octavia.loadbalancer-1.0", "rules") == [id])
            #expect(try await api.ids("/v1/rules?type=os.generic-1.0", "rules").isEmpty)

            // A type with its own plugin cannot use os.generic.
            let nova = Self.spec.replacingOccurrences(of: "os.octavia.loadbalancer", with: "os.nova.server")
            response = try await api.post("/v1/rules", Self.body("bad", nova))
            let refused = expectOpenStackError(response, .badRequest)
            #expect(refused.message.contains("spec.properties.resource_type"))
            // Neither shape.
            let bare = #"{"type": "os.generic", "version": "1.0", "properties": {"resource_type": "os.x"}}"#
            expectOpenStackError(try await api.post("/v1/rules", Self.body("bare", bare)), .badRequest)

            // A second rule for load balancers cannot join the same policy.
            response = try await api.post("/v1/rules", Self.body("lb2", Self.spec))
            let second = try #require(try expectSuccess(response, .created)["rule"]?.text("id"))
            response = try await api.post("/v1/policies", #"{"policy": {"name": "p", "rules": ["\#(id)"]}}"#)
            let policy = try #require(try expectSuccess(response, .created)["policy"])
            #expect(
                policy["rules"]
                    == .array([.object(["id": .string(id), "type": .string("os.octavia.loadbalancer-1.0")])])
            )
            let policyID = try #require(policy.text("id"))
            response = try await api.post(
                "/v1/policies/\(policyID)/action",
                #"{"add_rules": {"rules": ["\#(second)"]}}"#
            )
            expectOpenStackError(response, .badRequest)
            response = try await api.post(
                "/v1/policies",
                #"{"policy": {"name": "q", "rules": ["\#(id)", "\#(second)"]}}"#
            )
            expectOpenStackError(response, .badRequest)
        }
    }
}
