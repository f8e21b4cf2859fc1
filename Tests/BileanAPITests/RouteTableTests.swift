import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// Paths and methods: unknown paths, wrong methods, bad and missing ids — all OpenStack error JSON.
@Suite("Routes")
struct RouteTableTests {
    @Test(arguments: ["/v1/nothing", "/nothing/at/all", "/v2/users", "/v1/users/a/b/c", "/v1/rules/x/action"])
    func anUnknownPathIsAJSON404(_ path: String) async throws {
        try await APITestHarness.withAPI { context in
            expectOpenStackError(try await context.api.get(path), .notFound, type: "NotFound")
            expectOpenStackError(
                try await context.api.post(path, #"{"recharge": {"value": 1}}"#),
                .notFound,
                type: "NotFound"
            )
        }
    }

    @Test(arguments: [
        (HTTPRequest.Method.delete, "/v1/users", ["GET"]),
        (.post, "/users", ["GET"]),
        (.put, "/v1/users/proj-a", ["GET"]),
        (.get, "/v1/users/proj-a/action", ["POST"]),
        (.put, "/users/proj-a/action", ["POST"]),
        (.patch, "/v1/rules", ["GET", "POST"]),
        (.post, "/v1/rules/r", ["GET", "PUT", "DELETE"]),
        (.delete, "/v1/policies/p/action", ["POST"]),
        (.put, "/v1/resources", ["GET"]),
        (.get, "/v1/resources/validate_creation", ["POST"]),
        (.delete, "/v1/resources/r", ["GET"]),
        (.post, "/v1/events", ["GET"]),
        (.delete, "/v1/consumptions/statistics", ["GET"]),
        (.post, "/", ["GET"]),
        (.delete, "/v1", ["GET"]),
    ])
    func aWrongMethodIs405WithAllow(_ method: HTTPRequest.Method, _ path: String, _ allowed: [String]) async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            let response = try await context.api.send(method, path, body: method == .get ? nil : "{}")
            let error = expectOpenStackError(response, .methodNotAllowed, type: "MethodNotAllowed")
            #expect(error.message.contains(method.rawValue))
            let allow = (response.headers[.allow] ?? "").split(separator: ",").map { $0.filter { $0 != " " } }
            #expect(Set(allow) == Set(allowed), "Allow: \(response.headers[.allow] ?? "none")")
            #expect(try await context.engine.user("proj-a").balance.description == "10")
        }
    }

    @Test func anIDLongerThan255CharactersIsABadRequest() async throws {
        try await APITestHarness.withAPI { context in
            let long = String(repeating: "x", count: 256)
            let api = context.api
            for path in ["/v1/users/\(long)", "/v1/rules/\(long)", "/v1/policies/\(long)", "/v1/resources/\(long)"] {
                let error = expectOpenStackError(try await api.get(path), .badRequest, type: "InvalidInput")
                #expect(error.message.contains("255"))
            }
            expectOpenStackError(
                try await api.post("/v1/users/\(long)/action", #"{"recharge": {"value": 1}}"#),
                .badRequest
            )
            expectOpenStackError(try await api.delete("/v1/rules/\(long)"), .badRequest)
            expectOpenStackError(try await api.put("/v1/policies/\(long)", #"{"policy": {"name": "x"}}"#), .badRequest)
            // No user was created by the refused recharge; 255 characters is a valid (unknown) id.
            #expect(try await context.engine.listUsers(ListQuery(showDeleted: true)).isEmpty)
            let longest = String(repeating: "y", count: 255)
            let error = expectOpenStackError(try await api.get("/v1/users/\(longest)"), .notFound)
            #expect(error.message == "User not found: \(longest)")
        }
    }

    @Test func missingObjectsAreNotFoundByKindAndID() async throws {
        try await APITestHarness.withAPI { context in
            let (policy, _, _) = try await APITestHarness.seedPricing(context.engine)
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            let api = context.api
            for (response, message) in [
                (try await api.get("/v1/users/ghost"), "User not found: ghost"),
                (try await api.get("/users/ghost"), "User not found: ghost"),
                (try await api.get("/v1/rules/ghost"), "Rule not found: ghost"),
                (try await api.put("/v1/rules/ghost", #"{"rule": {"name": "x"}}"#), "Rule not found: ghost"),
                (try await api.delete("/v1/rules/ghost"), "Rule not found: ghost"),
                (try await api.get("/v1/policies/ghost"), "Policy not found: ghost"),
                (try await api.put("/v1/policies/ghost", #"{"policy": {"name": "x"}}"#), "Policy not found: ghost"),
                (try await api.delete("/v1/policies/ghost"), "Policy not found: ghost"),
                (
                    try await api.post("/v1/policies/ghost/action", #"{"add_rules": {"rules": ["r"]}}"#),
                    "Policy not found: ghost"
                ),
                (try await api.get("/v1/resources/ghost"), "Resource not found: ghost"),
                (try await api.get("/resources/ghost"), "Resource not found: ghost"),
                (
                    try await api.post("/v1/users/proj-a/action", #"{"attach_policy": {"policy": "ghost"}}"#),
                    "Policy not found: ghost"
                ),
                (
                    try await api.post("/v1/users/ghost/action", #"{"attach_policy": {"policy": "\#(policy.id)"}}"#),
                    "User not found: ghost"
                ),
            ] {
                let error = expectOpenStackError(response, .notFound, type: "NotFound")
                #expect(error.message == message)
            }
            #expect(try await context.engine.user("proj-a").policyID == nil)
            #expect(try await context.engine.listUsers(ListQuery(showDeleted: true)).map(\.id) == ["proj-a"])
        }
    }

    @Test func aPercentEncodedIDIsDecoded() async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.fund(context.engine, "proj a:1", "10")
            let user = try await context.api.object("/v1/users/proj%20a%3A1", "user")
            #expect(user.text("id") == "proj a:1")
            #expect(user.text("balance") == "10")
        }
    }

    @Test func aDeletedUserIsNotFoundAndTakesNoMoney() async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            try await context.engine.deleteUser(id: "proj-a", messageID: nil)
            let api = context.api
            let shown = expectOpenStackError(try await api.get("/v1/users/proj-a"), .notFound)
            #expect(shown.message == "User not found: proj-a")
            let recharged = expectOpenStackError(
                try await api.post("/v1/users/proj-a/action", #"{"recharge": {"value": 5}}"#),
                .notFound,
                type: "NotFound"
            )
            #expect(recharged.message == "User not found: proj-a")
            let listed = try await api.list("/v1/users?show_deleted=True", "users")
            #expect(listed.map { $0.text("balance") } == ["10"])
            #expect(try await api.list("/v1/users", "users").isEmpty)
        }
    }

    @Test func aTooLongProjectHeaderIsABadRequest() async throws {
        try await APITestHarness.withAPI { context in
            let caller = Caller.headers(project: String(repeating: "p", count: 256), roles: "member")
            expectOpenStackError(try await context.api.get("/v1/resources", as: caller), .badRequest)
            expectOpenStackError(
                try await context.api.get("/v1/resources", as: .headers(project: "", roles: "member")),
                .badRequest
            )
        }
    }
}
