import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// Who may do what (`AccessPolicy.swift`), with `noauth`'s `X-Project-Id` and `X-Roles`: admin may do everything;
/// a project sees only its own user, resources, events and consumptions.
@Suite("Authorization")
struct AccessPolicyTests {
    /// Two funded projects, each with a live server and a deleted one, seen at t0 + 1000 s.
    ///
    /// proj-a: 100 − 0.1 (vm-a2, 100 s) − 1 (vm-a, 1000 s) = 98.9; proj-b: 50 − 0.2 − 1 = 48.8.
    static func seedTwoProjects(_ context: APITestContext) async throws -> (policy: Policy, nova: Rule) {
        let (policy, nova, _) = try await APITestHarness.seedPricing(context.engine)
        try await APITestHarness.fund(context.engine, "proj-a", "100")
        try await APITestHarness.fund(context.engine, "proj-b", "50")
        context.clock.set(APITestHarness.t0.adding(seconds: 1000))
        _ = try await context.engine.apply([
            APITestHarness.server("a1", .create, "vm-a", user: "proj-a", at: 0),
            APITestHarness.server("a2", .create, "vm-a2", user: "proj-a", at: 0),
            APITestHarness.server("a3", .delete, "vm-a2", user: "proj-a", flavor: nil, at: 100),
            APITestHarness.server("b1", .create, "vm-b", user: "proj-b", at: 0),
            APITestHarness.server("b2", .create, "vm-b2", user: "proj-b", at: 0),
            APITestHarness.server("b3", .delete, "vm-b2", user: "proj-b", flavor: nil, at: 200),
        ])
        return (policy, nova)
    }

    /// The callers that are not admin but belong to proj-a.
    static let projectACallers: [Caller] = [
        .member("proj-a"),
        .reader("proj-a"),
        .headers(project: "proj-a", roles: nil),
        .headers(project: "proj-a", roles: "Member, _member_"),
    ]

    @Test(arguments: projectACallers)
    func aProjectReadsItsOwnObjects(_ caller: Caller) async throws {
        try await APITestHarness.withAPI { context in
            _ = try await Self.seedTwoProjects(context)
            let api = context.api
            let user = try await api.object("/v1/users/proj-a", "user", as: caller)
            #expect(user.text("balance") == "98.9")
            #expect(try await api.object("/users/proj-a", "user", as: caller).text("id") == "proj-a")

            // Resources: scoped to the caller's project when no user_id is given.
            #expect(try await api.ids("/v1/resources", "resources", as: caller) == ["vm-a"])
            #expect(try await api.ids("/resources?user_id=proj-a", "resources", as: caller) == ["vm-a"])
            #expect(
                try await api.ids("/v1/resources?show_deleted=True&sort_keys=id", "resources", as: caller)
                    == ["vm-a", "vm-a2"]
            )
            let resource = try await api.object("/v1/resources/vm-a", "resource", as: caller)
            #expect(resource.text("user_id") == "proj-a")

            // Events: only the project's own, all of them.
            let events = try await api.list("/v1/events?limit=1000", "events", as: caller)
            let adminView = try await api.list("/v1/events?user_id=proj-a&limit=1000", "events")
            #expect(!events.isEmpty)
            #expect(events.allSatisfy { $0.text("user_id") == "proj-a" })
            #expect(events.map { $0.text("id") } == adminView.map { $0.text("id") })
            #expect(try await api.list("/v1/events?user_id=proj-a", "events", as: caller).count == events.count)

            // Consumptions and statistics.
            let consumptions = try await api.list("/v1/consumptions", "consumptions", as: caller)
            #expect(consumptions.map { $0.text("resource_id") } == ["vm-a2"])
            #expect(consumptions.map { $0.text("cost") } == ["0.1"])
            let statistics = try await api.list("/v1/consumptions/statistics", "statistics", as: caller)
            #expect(statistics.map { $0.text("resource_id") } == ["vm-a", "vm-a2"])
            #expect(statistics.map { $0.text("cost") } == ["1", "0.1"])
            #expect(statistics.allSatisfy { $0.text("user_id") == "proj-a" })
            let summary = try await api.list(
                "/consumptions/statistics?user_id=proj-a&summary=true",
                "statistics",
                as: caller
            )
            #expect(summary.map { $0.text("cost") } == ["1.1"])
        }
    }

    @Test(arguments: projectACallers)
    func aProjectIsForbiddenEverythingElseAndChangesNothing(_ caller: Caller) async throws {
        try await APITestHarness.withAPI { context in
            let (policy, nova) = try await Self.seedTwoProjects(context)
            let api = context.api
            let requests: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/v1/users", nil),
                (.get, "/users", nil),
                (.get, "/v1/users/proj-b", nil),
                (.get, "/v1/users/no-such-project", nil),
                (.get, "/v1/resources?user_id=proj-b", nil),
                (.get, "/resources?user_id=proj-b", nil),
                (.get, "/v1/events?user_id=proj-b", nil),
                (.get, "/v1/consumptions?user_id=proj-b", nil),
                (.get, "/v1/consumptions/statistics?user_id=proj-b", nil),
                (.get, "/v1/consumptions/statistics?user_id=proj-b&summary=true", nil),
                (.get, "/v1/rules", nil),
                (.get, "/rules", nil),
                (.get, "/v1/rules/\(nova.id)", nil),
                (.post, "/v1/rules", APITestHarness.novaRuleBody),
                (.put, "/v1/rules/\(nova.id)", #"{"rule": {"name": "mine"}}"#),
                (.delete, "/v1/rules/\(nova.id)", nil),
                (.get, "/v1/policies", nil),
                (.get, "/v1/policies/\(policy.id)", nil),
                (.post, "/v1/policies", #"{"policy": {"name": "mine", "rules": null, "metadata": {}}}"#),
                (.put, "/v1/policies/\(policy.id)", #"{"policy": {"is_default": false}}"#),
                (.delete, "/v1/policies/\(policy.id)", nil),
                (.post, "/v1/policies/\(policy.id)/action", #"{"remove_rules": {"rules": ["\#(nova.id)"]}}"#),
                (.post, "/v1/users/proj-a/action", #"{"recharge": {"value": 1000}}"#),
                (.post, "/users/proj-a/action", #"{"recharge": {"value": 1000}}"#),
                (.post, "/v1/users/proj-a/action", #"{"attach_policy": {"policy": "\#(policy.id)"}}"#),
                (.post, "/v1/users/proj-b/action", #"{"recharge": {"value": 1000}}"#),
                (.post, "/v1/users/proj-new/action", #"{"recharge": {"value": 1000}}"#),
                (
                    .post, "/v1/resources/validate_creation",
                    #"{"user_id": "proj-a", "resources": [{"resource_type": "os.nova.server"}]}"#
                ),
                (.post, "/v1/resources/validate_creation", #"{"resources": [{"resource_type": "os.nova.server"}]}"#),
            ]
            for (method, path, body) in requests {
                let response = try await api.send(method, path, as: caller, body: body)
                let error = expectOpenStackError(response, .forbidden, type: "Forbidden")
                #expect(response.status == .forbidden, "\(method) \(path) as \(caller)")
                #expect(!error.message.contains("proj-b"), "\(error.message)")
            }

            // Nothing changed.
            #expect(try await context.engine.user("proj-a").balance.description == "98.9")
            #expect(try await context.engine.user("proj-a").policyID == nil)
            #expect(try await context.engine.user("proj-b").balance.description == "48.8")
            #expect(try await context.engine.listUsers(ListQuery()).map(\.id).sorted() == ["proj-a", "proj-b"])
            let rules = try await context.engine.listRules(ListQuery(sortKeys: ["name"]))
            #expect(rules.map(\.name) == ["cinder", "nova"])
            let policies = try await context.engine.listPolicies(ListQuery())
            #expect(policies.map(\.id) == [policy.id])
            #expect(policies.first?.rules.count == 2)
            #expect(policies.first?.isDefault == true)
        }
    }

    @Test(arguments: projectACallers)
    func anotherProjectsResourceLooksMissing(_ caller: Caller) async throws {
        try await APITestHarness.withAPI { context in
            _ = try await Self.seedTwoProjects(context)
            let hidden = expectOpenStackError(
                try await context.api.get("/v1/resources/vm-b", as: caller),
                .notFound,
                type: "NotFound"
            )
            #expect(hidden.message == "Resource not found: vm-b")
            let missing = expectOpenStackError(
                try await context.api.get("/v1/resources/vm-zz", as: caller),
                .notFound,
                type: "NotFound"
            )
            #expect(missing.message == "Resource not found: vm-zz")
            #expect(hidden.code == missing.code)
            #expect(hidden.title == missing.title)
            #expect(hidden.explanation == missing.explanation)
            // The admin sees it.
            #expect(try await context.api.object("/v1/resources/vm-b", "resource").text("user_id") == "proj-b")
        }
    }

    static let adminCallers: [Caller] = [
        .admin,
        .projectAdmin("admin-project"),
        .headers(project: nil, roles: "admin"),
        .headers(project: "proj-a", roles: "member, Admin"),
    ]

    @Test(arguments: adminCallers)
    func adminMayDoEverything(_ caller: Caller) async throws {
        try await APITestHarness.withAPI { context in
            let (policy, nova) = try await Self.seedTwoProjects(context)
            let api = context.api
            #expect(try await api.ids("/v1/users?sort_keys=id", "users", as: caller) == ["proj-a", "proj-b"])
            #expect(try await api.object("/v1/users/proj-b", "user", as: caller).text("balance") == "48.8")
            #expect(try await api.ids("/v1/resources?sort_keys=id", "resources", as: caller) == ["vm-a", "vm-b"])
            #expect(try await api.ids("/v1/resources?user_id=proj-b", "resources", as: caller) == ["vm-b"])
            #expect(try await api.object("/v1/resources/vm-b", "resource", as: caller).text("id") == "vm-b")
            #expect(try await api.list("/v1/consumptions", "consumptions", as: caller).count == 2)
            #expect(try await api.list("/v1/consumptions?user_id=proj-b", "consumptions", as: caller).count == 1)
            #expect(try await api.ids("/v1/rules", "rules", as: caller).count == 2)
            #expect(try await api.object("/v1/policies/\(policy.id)", "policy", as: caller).text("id") == policy.id)
            try expectSuccess(try await api.get("/v1/rules/\(nova.id)", as: caller))
            try expectSuccess(try await api.get("/v1/events?user_id=proj-b", as: caller))
            try expectSuccess(try await api.get("/v1/consumptions/statistics?user_id=proj-b", as: caller))
            let response = try await api.send(
                .post,
                "/v1/users/proj-b/action",
                as: caller,
                body: #"{"recharge": {"value": 1.2}}"#
            )
            #expect(try expectSuccess(response)["user"]?.text("balance") == "50")
            let validation = try await api.send(
                .post,
                "/v1/resources/validate_creation",
                as: caller,
                body: #"{"user_id": "proj-b", "resources": [{"resource_type": "os.nova.server", "properties": {}}]}"#
            )
            #expect(try expectSuccess(validation)["validation"] == .bool(true))
        }
    }

    @Test func aCallerWithoutAProjectOrAdminRoleSeesNothing() async throws {
        try await APITestHarness.withAPI { context in
            _ = try await Self.seedTwoProjects(context)
            let caller = Caller.headers(project: nil, roles: "member")
            for path in ["/v1/users/proj-a", "/v1/resources", "/v1/events", "/v1/consumptions", "/v1/resources/vm-a"] {
                expectOpenStackError(try await context.api.get(path, as: caller), .forbidden, type: "Forbidden")
            }
        }
    }
}

extension Caller: CustomTestStringConvertible {
    var testDescription: String { self.description }
}
