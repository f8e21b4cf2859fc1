import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Testing

@testable import BileanAPI

/// `set_credit`, and the run-out and freeze instants of the user body.
@Suite("Credit and run-out instants")
struct CreditTests {
    static let t0 = APITestHarness.t0

    @Test func theInstantsAreExactAndSetCreditMovesTheFreeze() async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.seedPricing(context.engine)
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            try await APITestHarness.fund(context.engine, "proj-idle", "10")
            _ = try await context.engine.apply([APITestHarness.server("s1", .create, "vm-1", user: "proj-a", at: 0)])
            // 10 at 3.6 per hour (0.001 per second): 0 after 10,000 s, and the freeze too with no credit.
            let before = try await context.api.object("/v1/users/proj-a", "user")
            #expect(before.text("run_out_at") == Self.t0.adding(seconds: 10_000).iso8601)
            #expect(before.text("freeze_at") == Self.t0.adding(seconds: 10_000).iso8601)
            // Nothing billed: no instants.
            let idle = try await context.api.object("/v1/users/proj-idle", "user")
            #expect(idle["run_out_at"] == .null)
            #expect(idle["freeze_at"] == .null)

            let response = try await context.api.post("/v1/users/proj-a/action", #"{"set_credit": {"value": "5"}}"#)
            let user = try #require(try expectSuccess(response, .ok)["user"])
            #expect(user.text("credit") == "5")
            #expect(user.text("run_out_at") == Self.t0.adding(seconds: 10_000).iso8601)
            #expect(user.text("freeze_at") == Self.t0.adding(seconds: 15_000).iso8601)
            // The freeze job moved with it.
            let jobs = try await context.engine.claimJobs(
                owner: "test",
                dueBy: Self.t0.adding(seconds: 100_000),
                leaseUntil: Self.t0.adding(seconds: 30),
                limit: 10
            )
            let freeze = try #require(jobs.first { $0.kind == .freeze })
            #expect(freeze.runAt == Self.t0.adding(seconds: 15_000))
            let events = try await context.api.list("/v1/events?user_id=proj-a&action=set_credit", "events")
            #expect(events.count == 1)
        }
    }

    @Test func raisingTheCreditThawsAFrozenUser() async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.seedPricing(context.engine)
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            _ = try await context.engine.apply([APITestHarness.server("s1", .create, "vm-1", user: "proj-a", at: 0)])
            context.clock.set(Self.t0.adding(seconds: 10_010))
            let jobs = try await context.engine.claimJobs(
                owner: "test",
                dueBy: Self.t0.adding(seconds: 10_010),
                leaseUntil: Self.t0.adding(seconds: 10_040),
                limit: 10
            )
            _ = try await context.engine.runJobs(jobs, owner: "test")
            let frozen = try await context.api.object("/v1/users/proj-a", "user")
            #expect(frozen.text("status") == "FREEZE")
            #expect(frozen.text("balance") == "0")
            // A frozen project may create nothing, even a free resource.
            let validation = try await context.api.post(
                "/v1/resources/validate_creation",
                #"{"user_id": "proj-a", "resources": [{"resource_type": "os.nova.server", "properties": {"flavor": "m1.unpriced"}}]}"#
            )
            #expect(try expectSuccess(validation, .ok)["validation"] == .bool(false))

            // Credit 5 covers the overdraft of 0: thawed, billed again from now, frozen again 5,000 s later.
            let response = try await context.api.post("/v1/users/proj-a/action", #"{"set_credit": {"value": "5"}}"#)
            let user = try #require(try expectSuccess(response, .ok)["user"])
            #expect(user.text("status") != "FREEZE")
            #expect(user.text("freeze_at") == Self.t0.adding(seconds: 15_010).iso8601)
            let thawed = try await context.api.post(
                "/v1/resources/validate_creation",
                #"{"user_id": "proj-a", "resources": [{"resource_type": "os.nova.server", "properties": {"flavor": "m1.unpriced"}}]}"#
            )
            #expect(try expectSuccess(thawed, .ok)["validation"] == .bool(true))
            // Lowering it again brings the freeze forward, never into the past.
            let lowered = try await context.api.post("/v1/users/proj-a/action", #"{"set_credit": {"value": "0"}}"#)
            #expect(
                try expectSuccess(lowered, .ok)["user"]?.text("freeze_at") == Self.t0.adding(seconds: 10_010).iso8601
            )
        }
    }

    @Test(arguments: [
        #"{"set_credit": {"value": "-1"}}"#, #"{"set_credit": {"value": "100000000.000000000001"}}"#,
        #"{"set_credit": {"value": "1.0000000000001"}}"#, #"{"set_credit": {}}"#,
        #"{"set_credit": {"value": null}}"#, #"{"set_credit": {"value": "5", "currency": "EUR"}}"#,
        #"{"set_credit": {"value": "abc"}}"#,
    ])
    func badCreditsAre400(_ body: String) async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            let response = try await context.api.post("/v1/users/proj-a/action", body)
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(try await context.api.object("/v1/users/proj-a", "user").text("credit") == "0")
        }
    }

    @Test func onlyTheAdminSetsCredit() async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            let response = try await context.api.send(
                .post,
                "/v1/users/proj-a/action",
                as: .member("proj-a"),
                body: #"{"set_credit": {"value": "1000"}}"#
            )
            #expect(response.status == .forbidden)
            #expect(
                try await context.api.send(
                    .post,
                    "/v1/users/nobody/action",
                    body: #"{"set_credit": {"value": "1"}}"#
                ).status == .notFound
            )
        }
    }

    @Test func theProjectionIsExactAndStopsAtTheFreeze() async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.seedPricing(context.engine)
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            try await APITestHarness.fund(context.engine, "proj-idle", "3")
            _ = try await context.engine.apply([APITestHarness.server("s1", .create, "vm-1", user: "proj-a", at: 0)])
            func projection(_ user: String, _ seconds: Int64, as caller: Caller = .admin) async throws -> JSONValue {
                let at = Self.t0.adding(seconds: seconds).iso8601
                let response = try await context.api.get("/v1/users/\(user)/projection?at=\(at)", as: caller)
                return try #require(try expectSuccess(response, .ok)["projection"])
            }
            // 0.001 per second; 3 h of warning at 3.6 per hour is 10.8, so the user is already warned.
            let now = try await projection("proj-a", 0)
            #expect(now.text("balance") == "10")
            #expect(now.text("status") == "WARNING")
            let half = try await projection("proj-a", 5000, as: .member("proj-a"))
            #expect(half.text("balance") == "5")
            #expect(half.text("user_id") == "proj-a")
            #expect(half.text("at") == Self.t0.adding(seconds: 5000).iso8601)
            let micro = try await projection("proj-a", 1)
            #expect(micro.text("balance") == "9.999")
            // Billing stops at the freeze (10,000 s): the balance stays at 0 after it.
            let later = try await projection("proj-a", 20_000)
            #expect(later.text("balance") == "0")
            #expect(later.text("status") == "FREEZE")
            let idle = try await projection("proj-idle", 1_000_000)
            #expect(idle.text("balance") == "3")
            #expect(idle.text("status") == "FREE")

            context.clock.set(Self.t0.adding(seconds: 100))
            for query in [
                "", "?at=\(Self.t0.iso8601)", "?at=tomorrow", "?at=\(Self.t0.adding(seconds: 200).iso8601)&x=1",
            ] {
                let response = try await context.api.get("/v1/users/proj-a/projection\(query)")
                #expect(response.status == .badRequest, "\(query): \(response.text)")
            }
            let other = try await context.api.get(
                "/v1/users/proj-a/projection?at=\(Self.t0.adding(seconds: 200).iso8601)",
                as: .member("proj-b")
            )
            #expect(other.status == .forbidden)
            let missing = try await context.api.get(
                "/v1/users/nobody/projection?at=\(Self.t0.adding(seconds: 200).iso8601)"
            )
            #expect(missing.status == .notFound)
        }
    }
}
