import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Testing

@testable import BileanAPI

/// `GET /v1/recharges`, and the ledger identity checked through the API alone.
@Suite("Recharges")
struct RechargesTests {
    static let t0 = APITestHarness.t0

    /// proj-a: 10 + a 2.5 bonus, a server billed for 1000 s at 0.001/s then deleted, so 12.5 − 1 = 11.5;
    /// proj-b: 5.
    static func seed(_ context: APITestContext) async throws {
        try await APITestHarness.seedPricing(context.engine)
        try await APITestHarness.fund(context.engine, "proj-a", "10")
        context.clock.set(Self.t0.adding(seconds: 10))
        let bonus = try await context.api.post(
            "/v1/users/proj-a/action",
            #"{"recharge": {"value": "2.5", "type": "System bonus"}}"#
        )
        _ = try expectSuccess(bonus, .ok)
        try await APITestHarness.fund(context.engine, "proj-b", "5")
        _ = try await context.engine.apply([
            APITestHarness.server("s1", .create, "vm-1", user: "proj-a", at: 0),
            APITestHarness.server("s2", .delete, "vm-1", user: "proj-a", flavor: nil, at: 1000),
        ])
        context.clock.set(Self.t0.adding(seconds: 2000))
    }

    @Test func theLedgerAddsUpFromTheAPIAlone() async throws {
        try await APITestHarness.withAPI { context in
            try await Self.seed(context)
            let recharges = try await context.api.list("/v1/recharges?user_id=proj-a", "recharges")
            let consumptions = try await context.api.list("/v1/consumptions?user_id=proj-a", "consumptions")
            let balance = try #require(try await context.api.object("/v1/users/proj-a", "user").text("balance"))
            var total = Money.zero
            for recharge in recharges { total += try Money(parsing: try #require(recharge.text("value"))) }
            for consumption in consumptions { total -= try Money(parsing: try #require(consumption.text("cost"))) }
            #expect(recharges.count == 2)
            #expect(total == (try Money(parsing: balance)))
            #expect(balance == "11.5")
            #expect(recharges.map { $0.text("type") } == ["Recharge", "System bonus"])
            #expect(recharges.last?.text("timestamp") == Self.t0.adding(seconds: 10).iso8601)
        }
    }

    @Test func filtersPagingAndWindows() async throws {
        try await APITestHarness.withAPI { context in
            try await Self.seed(context)
            let api = context.api
            #expect(try await api.list("/v1/recharges", "recharges").count == 3)
            #expect(try await api.list("/recharges?type=System%20bonus", "recharges").count == 1)
            let first = try await api.list("/v1/recharges?limit=1", "recharges")
            let firstID = try #require(first.first?.text("id"))
            let next = try await api.list("/v1/recharges?limit=5&marker=\(firstID)", "recharges")
            #expect(next.count == 2)
            #expect(!next.contains { $0.text("id") == firstID })
            let since = Self.t0.adding(seconds: 5).iso8601
            #expect(try await api.list("/v1/recharges?start_time=\(since)", "recharges").count == 2)
            #expect(try await api.list("/v1/recharges?end_time=\(since)", "recharges").count == 1)
            for bad in ["?sort_keys=value", "?colour=red", "?start_time=soon", "?marker=nope"] {
                #expect(try await api.get("/v1/recharges\(bad)").status == .badRequest, "\(bad)")
            }
        }
    }

    @Test func aProjectSeesOnlyItsOwnRecharges() async throws {
        try await APITestHarness.withAPI { context in
            try await Self.seed(context)
            let own = try await context.api.list("/v1/recharges", "recharges", as: .reader("proj-a"))
            #expect(own.count == 2)
            #expect(own.allSatisfy { $0.text("user_id") == "proj-a" })
            #expect(
                try await context.api.get("/v1/recharges?user_id=proj-b", as: .member("proj-a")).status == .forbidden
            )
        }
    }
}
