import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// Bad request bodies: each is a 4xx with the OpenStack error JSON and a request id, and changes nothing.
@Suite("Request bodies")
struct RequestBodyTests {
    /// A bad body and a text its error message must contain (the field it names), if any.
    struct BadBody: Sendable, CustomTestStringConvertible {
        var body: String
        var names: String?

        init(_ body: String, names: String? = nil) {
            self.body = body
            self.names = names
        }

        var testDescription: String { self.body.count > 80 ? String(self.body.prefix(80)) + "…" : self.body }
    }

    static let badRecharges: [BadBody] = [
        BadBody(#"{"recharge": {"value": 1"#, names: "JSON"),
        BadBody(#"{"recharge": {"value": 1}} trailing"#, names: "JSON"),
        BadBody(#"{"recharge": {"value": 1, "value": 1000}}"#, names: "duplicate key 'value'"),
        BadBody(#"{"recharge": {"value": 1}, "recharge": {"value": 2}}"#, names: "duplicate key 'recharge'"),
        BadBody(#"[{"recharge": {"value": 1}}]"#, names: "array"),
        BadBody(#""recharge""#, names: "string"),
        BadBody("null"),
        BadBody("", names: "body"),
        BadBody(#"{"recharge": {"value": true}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {"value": {}}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {"value": [1]}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {"value": null}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {"value": 0}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {"value": 0.0}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {"value": -5}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {"value": "-0.000000000001"}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {"value": 100000000.000000000001}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {"value": "100000000.000000000001"}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {"value": 100000001}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {"value": 1e400}}"#),
        BadBody(#"{"recharge": {"value": "1e400"}}"#),
        BadBody(#"{"recharge": {"value": "abc"}}"#, names: "recharge.value"),
        BadBody(#"{"recharge": {"value": ""}}"#),
        BadBody(#"{"recharge": {"value": "NaN"}}"#),
        BadBody(#"{"recharge": {"value": " 1"}}"#),
        BadBody(#"{"recharge": {"value": "0x10"}}"#),
        BadBody(#"{"recharge": {"value": 1, "type": "Gift"}}"#, names: "recharge.type"),
        BadBody(#"{"recharge": {"value": 1, "type": 1}}"#, names: "recharge.type"),
        BadBody(#"{"recharge": {"value": 1, "metadata": "x"}}"#, names: "recharge.metadata"),
        BadBody(#"{"recharge": {"value": 1, "currency": "EUR"}}"#, names: "recharge.currency"),
        BadBody(#"{"recharge": 5}"#, names: "recharge"),
        BadBody(#"{"recharge": null}"#, names: "recharge"),
        BadBody(#"{"recharge": {"value": 1}, "attach_policy": {"policy": "p"}}"#, names: "attach_policy"),
        BadBody(#"{"freeze": {"value": 1}}"#, names: "freeze"),
        BadBody("{}", names: "action"),
        BadBody(#"{"attach_policy": {"policy": 5}}"#, names: "attach_policy.policy"),
        BadBody(#"{"attach_policy": {}}"#, names: "attach_policy.policy"),
        BadBody(#"{"attach_policy": {"policy": ""}}"#, names: "attach_policy.policy"),
    ]

    @Test(arguments: badRecharges)
    func aBadUserActionChangesNothing(_ bad: BadBody) async throws {
        try await APITestHarness.withAPI { context in
            let policy = try await APITestHarness.seedPricing(context.engine).policy
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            let error = expectOpenStackError(
                try await context.api.post("/v1/users/proj-a/action", bad.body),
                .badRequest,
                type: "InvalidInput"
            )
            if let names = bad.names {
                #expect(error.message.contains(names), "message: \(error.message)")
            }
            let user = try await context.engine.user("proj-a")
            #expect(user.balance.description == "10")
            #expect(user.policyID == nil)
            let recharges = try await context.engine.listEvents(ListQuery(filters: ["action": ["recharge"]]))
            #expect(recharges.count == 1)
            #expect(try await context.engine.policy(policy.id).isDefault)
        }
    }

    static let badRules: [BadBody] = [
        BadBody(#"{"rule": {"name": 5, "spec": \#(novaSpec)}}"#, names: "rule.name"),
        BadBody(#"{"rule": {"name": "", "spec": \#(novaSpec)}}"#, names: "rule.name"),
        BadBody(#"{"rule": {"spec": \#(novaSpec)}}"#, names: "rule.name"),
        BadBody(#"{"rule": {"name": "x"}}"#, names: "rule.spec"),
        BadBody(#"{"rule": {"name": "x", "spec": null}}"#, names: "rule.spec"),
        BadBody(#"{"rule": {"name": "x", "spec": "type: os.nova.server"}}"#, names: "spec"),
        BadBody(#"{"rule": {"name": "x", "spec": \#(novaSpec), "metadata": "m"}}"#, names: "rule.metadata"),
        BadBody(#"{"rule": {"name": "x", "spec": \#(novaSpec), "colour": "red"}}"#, names: "rule.colour"),
        BadBody(#"{"rule": {"name": "x", "spec": \#(novaSpec)}, "policy": {}}"#, names: "policy"),
        BadBody(#"{"rules": {"name": "x", "spec": \#(novaSpec)}}"#, names: "rules"),
        BadBody(#"{"rule": "x"}"#, names: "rule"),
        BadBody(#"[]"#, names: "array"),
        BadBody(
            #"{"rule": {"name": "x", "spec": {"type": "os.nova.server", "version": 1.0, "properties": "#
                + #"{"price_mapping": [{"flavor": "a", "price": -1}]}}}}"#,
            names: "price"
        ),
        BadBody(
            #"{"rule": {"name": "x", "spec": {"type": "os.nova.server", "version": 1.0, "properties": "#
                + #"{"price_mapping": [{"flavor": "a", "price": "cheap"}]}}}}"#,
            names: "price"
        ),
        BadBody(
            #"{"rule": {"name": "x", "spec": {"type": "os.unknown", "version": 1.0, "properties": {}}}}"#,
            names: "os.unknown"
        ),
        BadBody(#"{"rule": {"name": "x", "spec": {"type": "os.nova.server", "properties": {}}}}"#, names: "version"),
    ]

    static let novaSpec = #"{"type": "os.nova.server", "version": 1.0, "properties": {"price_mapping": []}}"#

    @Test(arguments: badRules)
    func aBadRuleIsNotCreated(_ bad: BadBody) async throws {
        try await APITestHarness.withAPI { context in
            let error = expectOpenStackError(
                try await context.api.post("/v1/rules", bad.body),
                .badRequest,
                type: "InvalidInput"
            )
            if let names = bad.names {
                #expect(error.message.contains(names), "message: \(error.message)")
            }
            #expect(try await context.engine.listRules(ListQuery(showDeleted: true)).isEmpty)
        }
    }

    @Test func aBadRuleUpdateChangesNothing() async throws {
        try await APITestHarness.withAPI { context in
            let rule = try await context.engine.createRule(
                name: "nova",
                spec: APITestHarness.novaSpec,
                metadata: .object([:])
            )
            let bodies: [BadBody] = [
                BadBody(#"{"rule": {}}"#, names: "rule"),
                BadBody(#"{"rule": {"name": null}}"#, names: "rule"),
                BadBody(#"{"rule": {"name": 5}}"#, names: "rule.name"),
                BadBody(#"{"rule": {"name": "n", "type": "os.cinder.volume-1.0"}}"#, names: "rule.type"),
                BadBody(
                    #"{"rule": {"spec": {"type": "os.cinder.volume", "version": "1.0", "properties": "#
                        + #"{"price_mapping": [{"start": 0, "price": 1}]}}}}"#,
                    names: "os.cinder.volume"
                ),
                BadBody(#"{"rule": {"metadata": []}}"#, names: "rule.metadata"),
            ]
            for bad in bodies {
                let error = expectOpenStackError(
                    try await context.api.put("/v1/rules/\(rule.id)", bad.body),
                    .badRequest,
                    type: "InvalidInput"
                )
                if let names = bad.names {
                    #expect(error.message.contains(names), "\(bad.body): \(error.message)")
                }
            }
            #expect(try await context.engine.rule(rule.id) == rule)
        }
    }

    @Test func badPoliciesAndPolicyActionsChangeNothing() async throws {
        try await APITestHarness.withAPI { context in
            let (policy, nova, cinder) = try await APITestHarness.seedPricing(context.engine)
            let other = try await context.engine.createRule(
                name: "nova-2",
                spec: APITestHarness.novaSpec,
                metadata: .object([:])
            )
            let api = context.api
            let creates: [BadBody] = [
                BadBody(#"{"policy": {"name": "p", "rules": "x"}}"#, names: "policy.rules"),
                BadBody(#"{"policy": {"name": "p", "rules": {"id": "x"}}}"#, names: "policy.rules"),
                BadBody(#"{"policy": {"name": "p", "rules": [5]}}"#, names: "policy.rules[0]"),
                BadBody(#"{"policy": {"name": "p", "rules": ["no-such-rule"]}}"#, names: "no-such-rule"),
                BadBody(#"{"policy": {"name": "p", "rules": ["\#(nova.id)", "\#(other.id)"]}}"#, names: other.id),
                BadBody(#"{"policy": {"rules": []}}"#, names: "policy.name"),
                BadBody(#"{"policy": {"name": "p", "is_default": true}}"#, names: "policy.is_default"),
                BadBody(#"{"policy": {"name": "p", "metadata": 1}}"#, names: "policy.metadata"),
            ]
            for bad in creates {
                let error = expectOpenStackError(try await api.post("/v1/policies", bad.body), .badRequest)
                if let names = bad.names {
                    #expect(error.message.contains(names), "\(bad.body): \(error.message)")
                }
            }
            let updates: [BadBody] = [
                BadBody(#"{"policy": {"is_default": "yes"}}"#, names: "policy.is_default"),
                BadBody(#"{"policy": {"is_default": 1}}"#, names: "policy.is_default"),
                BadBody(#"{"policy": {}}"#, names: "policy"),
                BadBody(#"{"policy": {"name": ""}}"#, names: "policy.name"),
                BadBody(#"{"policy": {"rules": []}}"#, names: "policy.rules"),
            ]
            for bad in updates {
                let error = expectOpenStackError(try await api.put("/v1/policies/\(policy.id)", bad.body), .badRequest)
                if let names = bad.names {
                    #expect(error.message.contains(names), "\(bad.body): \(error.message)")
                }
            }
            let actions: [BadBody] = [
                BadBody(#"{"add_rules": {"rules": null}}"#, names: "add_rules.rules"),
                BadBody(#"{"add_rules": {"rules": []}}"#, names: "add_rules.rules"),
                BadBody(#"{"add_rules": {}}"#, names: "add_rules.rules"),
                BadBody(#"{"add_rules": {"rules": "x"}}"#, names: "add_rules.rules"),
                BadBody(#"{"add_rules": {"rules": ["\#(other.id)"]}}"#, names: other.id),
                BadBody(#"{"add_rules": {"rules": ["missing-rule"]}}"#, names: "missing-rule"),
                BadBody(#"{"remove_rules": {"rules": ["\#(other.id)"]}}"#, names: other.id),
                BadBody(#"{"add_rules": {"rules": ["\#(other.id)"]}, "remove_rules": {"rules": ["x"]}}"#),
                BadBody(#"{"rename": {"name": "x"}}"#, names: "rename"),
                BadBody("{}"),
                BadBody(#"{"add_rules": {"rules": ["\#(other.id)"], "force": true}}"#, names: "add_rules.force"),
            ]
            for bad in actions {
                let error = expectOpenStackError(
                    try await api.post("/v1/policies/\(policy.id)/action", bad.body),
                    .badRequest
                )
                if let names = bad.names {
                    #expect(error.message.contains(names), "\(bad.body): \(error.message)")
                }
            }
            // Nothing changed.
            #expect(try await context.engine.listPolicies(ListQuery(showDeleted: true)).map(\.id) == [policy.id])
            let unchanged = try await context.engine.policy(policy.id)
            #expect(Set(unchanged.rules.map(\.id)) == [nova.id, cinder.id])
            #expect(unchanged.name == "standard")
            #expect(unchanged.isDefault)
        }
    }

    @Test func badValidationRequests() async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.seedPricing(context.engine)
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            let small = #"{"resource_type": "os.nova.server", "properties": {"flavor": "m1.small"}}"#
            let bodies: [BadBody] = [
                BadBody(#"{"user_id": "proj-a"}"#, names: "resources"),
                BadBody(#"{"user_id": "proj-a", "resources": []}"#, names: "resources"),
                BadBody(#"{"user_id": "proj-a", "resources": "x"}"#, names: "resources"),
                BadBody(
                    #"{"user_id": "proj-a", "resources": [{"properties": {}}]}"#,
                    names: "resources[0].resource_type"
                ),
                BadBody(#"{"user_id": "proj-a", "resources": [5]}"#, names: "resources[0]"),
                BadBody(#"{"user_id": "proj-a", "resources": [\#(small)], "count": 0}"#, names: "count"),
                BadBody(#"{"user_id": "proj-a", "resources": [\#(small)], "count": "abc"}"#, names: "count"),
                BadBody(#"{"user_id": "proj-a", "resources": [\#(small)], "count": 1.5}"#, names: "count"),
                BadBody(#"{"user_id": "proj-a", "resources": [\#(small)], "count": 1001}"#, names: "count"),
                BadBody(#"{"user_id": "proj-a", "resources": [\#(small)], "count": 100001}"#, names: "count"),
                BadBody(#"{"user_id": 5, "resources": [\#(small)]}"#, names: "user_id"),
                BadBody(#"{"user_id": "proj-a", "resources": [\#(small)], "dry_run": true}"#, names: "dry_run"),
                BadBody(#"{"resources": [\#(small)]}"#, names: "user_id"),
            ]
            for bad in bodies {
                let error = expectOpenStackError(
                    try await context.api.post("/v1/resources/validate_creation", bad.body),
                    .badRequest,
                    type: "InvalidInput"
                )
                if let names = bad.names {
                    #expect(error.message.contains(names), "\(bad.body): \(error.message)")
                }
            }
            #expect(try await context.engine.user("proj-a").balance.description == "10")
        }
    }

    @Test func aDeeplyNestedBodyIsABadRequestNotACrash() async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            let depth = 100_000
            let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let body = #"{"recharge": {"value": 1, "metadata": {"deep": \#(nested)}}}"#
            expectOpenStackError(try await context.api.post("/v1/users/proj-a/action", body), .badRequest)
            #expect(try await context.engine.user("proj-a").balance.description == "10")
        }
    }

    @Test func aPostMustBeJSONButBodilessGetsAndDeletesIgnoreTheContentType() async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            let rule = try await context.engine.createRule(
                name: "nova",
                spec: APITestHarness.novaSpec,
                metadata: .object([:])
            )
            let api = context.api
            let recharge = #"{"recharge": {"value": 1}}"#
            for contentType in ["text/plain", "application/x-www-form-urlencoded", "application/octet-stream"] {
                let error = expectOpenStackError(
                    try await api.send(.post, "/v1/users/proj-a/action", body: recharge, contentType: contentType),
                    .unsupportedMediaType,
                    type: "UnsupportedMediaType"
                )
                #expect(error.message.contains(contentType))
            }
            expectOpenStackError(
                try await api.send(.post, "/v1/users/proj-a/action", body: recharge, contentType: nil),
                .unsupportedMediaType
            )
            expectOpenStackError(
                try await api.send(.post, "/v1/rules", body: APITestHarness.novaRuleBody, contentType: "text/plain"),
                .unsupportedMediaType
            )
            #expect(try await context.engine.user("proj-a").balance.description == "10")
            #expect(try await context.engine.listRules(ListQuery()).count == 1)

            // Parameters and case do not matter.
            for contentType in ["application/json; charset=utf-8", "Application/JSON"] {
                let response = try await api.send(
                    .post,
                    "/v1/users/proj-a/action",
                    body: recharge,
                    contentType: contentType
                )
                try expectSuccess(response)
            }
            #expect(try await context.engine.user("proj-a").balance.description == "12")

            // The old client's GET and DELETE: application/octet-stream, no body.
            let octet: HTTPFields = [.contentType: "application/octet-stream", .accept: "*/*"]
            try expectSuccess(try await api.get("/v1/users", headers: octet))
            try expectSuccess(try await api.get("/users/proj-a", headers: octet))
            try expectSuccess(try await api.get("/v1/rules/\(rule.id)", headers: octet))
            expectNoContent(try await api.delete("/rules/\(rule.id)", headers: octet))
            #expect(try await context.engine.listRules(ListQuery()).isEmpty)
        }
    }

    @Test func aBodyOverTheDefaultMebibyteIsTooLarge() async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            let padding = String(repeating: "x", count: APIConfiguration.defaultMaximumBodySize)
            let huge = #"{"recharge": {"value": 1, "metadata": {"pad": "\#(padding)"}}}"#
            expectOpenStackError(
                try await context.api.post("/v1/users/proj-a/action", huge),
                .contentTooLarge,
                type: "RequestEntityTooLarge"
            )
            let hugeRule = #"{"rule": {"name": "\#(padding)", "spec": \#(Self.novaSpec)}}"#
            expectOpenStackError(try await context.api.post("/v1/rules", hugeRule), .contentTooLarge)
            #expect(try await context.engine.user("proj-a").balance.description == "10")
            #expect(try await context.engine.listRules(ListQuery()).isEmpty)
        }
    }

    @Test func theConfiguredBodyLimitApplies() async throws {
        var configuration = APIConfiguration()
        configuration.maximumBodySize = 2048
        try await APITestHarness.withAPI(configuration: configuration) { context in
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            func body(padding: Int) -> String {
                #"{"recharge": {"value": 1, "metadata": {"pad": "\#(String(repeating: "x", count: padding))"}}}"#
            }
            let small = body(padding: 1900)
            #expect(small.utf8.count <= 2048)
            try expectSuccess(try await context.api.post("/v1/users/proj-a/action", small))
            let large = body(padding: 2100)
            expectOpenStackError(
                try await context.api.post("/v1/users/proj-a/action", large),
                .contentTooLarge,
                type: "RequestEntityTooLarge"
            )
            #expect(try await context.engine.user("proj-a").balance.description == "11")
        }
    }
}
