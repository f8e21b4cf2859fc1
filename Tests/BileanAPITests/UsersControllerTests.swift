import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// `/v1/users`: list, show, recharge, attach_policy; at `/v1/X` and at `/X`, on every test database.
@Suite("Users API")
struct UsersControllerTests {
    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func rechargeAddsTheExactDecimalTextOfNumbersAndStrings(_ database: TestDatabase, _ prefix: String) async throws {
        try await APITestHarness.withAPI(database) { context in
            let api = context.api
            // A project never seen before is created by its first recharge: FREE, balance = the value.
            var response = try await api.post("\(prefix)/users/proj-a/action", #"{"recharge": {"value": 1.1}}"#)
            var user = try #require(try expectSuccess(response)["user"])
            #expect(user.text("id") == "proj-a")
            #expect(user.text("balance") == "1.1")
            #expect(user.text("status") == "FREE")
            #expect(user.text("credit") == "0")
            #expect(user.text("rate") == "0")
            // A string amount, and the optional type (a second apart, so that the events sort by time).
            context.clock.advance(seconds: 1)
            response = try await api.post("\(prefix)/users/proj-a/action", #"{"recharge": {"value": "2.5"}}"#)
            user = try #require(try expectSuccess(response)["user"])
            #expect(user.text("balance") == "3.6")
            context.clock.advance(seconds: 1)
            response = try await api.post(
                "\(prefix)/users/proj-a/action",
                #"{"recharge": {"value": 10, "type": "System bonus", "metadata": {"order": "42"}}}"#
            )
            user = try #require(try expectSuccess(response)["user"])
            #expect(user.text("balance") == "13.6")
            // The largest single recharge is accepted.
            context.clock.advance(seconds: 1)
            response = try await api.post(
                "\(prefix)/users/proj-a/action",
                #"{"recharge": {"value": 100000000}}"#
            )
            #expect(try expectSuccess(response)["user"]?.text("balance") == "100000013.6")
            #expect(try await context.engine.user("proj-a").balance.description == "100000013.6")
            // Each recharge is recorded with its type.
            let events = try await api.list("\(prefix)/events?user_id=proj-a&action=recharge", "events")
            #expect(
                events.map { $0["metadata"]?.text("type") } == ["Recharge", "Recharge", "System bonus", "Recharge"]
            )
            #expect(events.map { $0["metadata"]?.text("value") } == ["1.1", "2.5", "10", "100000000"])
        }
    }

    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func showAndListGiveTheRealTimeBalance(_ database: TestDatabase, _ prefix: String) async throws {
        try await APITestHarness.withAPI(database) { context in
            try await APITestHarness.seedPricing(context.engine)
            _ = try await context.engine.createUser(id: "proj-a", name: "Project A", messageID: nil)
            try await APITestHarness.fund(context.engine, "proj-a", "100")
            try await APITestHarness.fund(context.engine, "proj-b", "5")
            // m1.small at 3.6/h is 0.001/s; billed from the cloud's time, t0.
            _ = try await context.engine.apply([APITestHarness.server("m1", .create, "vm-1", user: "proj-a", at: 0)])
            context.clock.advance(seconds: 1000)

            let user = try await context.api.object("\(prefix)/users/proj-a", "user")
            #expect(user.text("id") == "proj-a")
            #expect(user.text("name") == "Project A")
            #expect(user.text("balance") == "99")
            #expect(user.text("rate") == "0.001")
            #expect(user.text("status") == "ACTIVE")
            #expect(user["policy_id"] == .null)
            #expect(user["status_reason"].map { $0 == .null || $0.stringValue != nil } == true)
            #expect(user.text("created_at") == APITestHarness.time(0))

            context.clock.advance(seconds: 500)
            let users = try await context.api.list("\(prefix)/users?sort_keys=id", "users")
            #expect(users.map { $0.text("id") } == ["proj-a", "proj-b"])
            #expect(users.map { $0.text("balance") } == ["98.5", "5"])
            #expect(users.map { $0.text("status") } == ["ACTIVE", "FREE"])
            // Every column the old client's table reads is there, credit always as a string.
            for listed in users {
                for key in ["id", "balance", "credit", "rate", "status"] {
                    #expect(listed[key]?.stringValue != nil, "\(key) of \(listed)")
                }
                #expect(listed["name"] != nil)
            }
        }
    }

    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func attachPolicyRepricesFromNow(_ database: TestDatabase, _ prefix: String) async throws {
        try await APITestHarness.withAPI(database) { context in
            let (standard, _, _) = try await APITestHarness.seedPricing(context.engine)
            let cheap = try await context.engine.createRule(
                name: "cheap",
                spec: Specs.nova([("m1.small", "0.36")]),
                metadata: .object([:])
            )
            let discount = try await context.engine.createPolicy(
                name: "discount",
                ruleIDs: [cheap.id],
                metadata: .object([:])
            )
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            _ = try await context.engine.apply([APITestHarness.server("m1", .create, "vm-1", user: "proj-a", at: 0)])
            context.clock.advance(seconds: 1000)

            let response = try await context.api.post(
                "\(prefix)/users/proj-a/action",
                #"{"attach_policy": {"policy": "\#(discount.id)"}}"#
            )
            let user = try #require(try expectSuccess(response)["user"])
            #expect(user.text("policy_id") == discount.id)
            #expect(user.text("balance") == "9")  // 1000 s at 0.001/s under the default policy
            #expect(user.text("rate") == "0.0001")  // 0.36/h from now on
            context.clock.advance(seconds: 1000)
            #expect(try await context.api.object("\(prefix)/users/proj-a", "user").text("balance") == "8.9")
            #expect(standard.isDefault)
        }
    }
}
