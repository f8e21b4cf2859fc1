import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Testing

@testable import BileanAPI

/// `GET /v1/consumptions/statistics?interval=day`: costs per UTC day, each day clipped like any window, on every
/// test database.
///
/// History (seconds after t0 = 2023-11-14T22:13:20Z; the first midnight, 2023-11-15T00:00:00Z, is at 6400, the
/// next at 92800; now is 93000): proj-a has vm-1 (m1.small, 0.001/s) from 6000 to 7000, vm-2 (m1.large, 0.01/s)
/// from 92700 and still open, and vol-1 (5 GB, 0.0001/s) from 0 to 90000; proj-b has vm-b (m1.small) from 0 to
/// 1000.
@Suite("Consumption statistics per day")
struct DailyStatisticsTests {
    static let firstMidnight: Int64 = 6400
    static let day: Int64 = 86_400

    static func seedHistory(_ context: APITestContext) async throws {
        let engine = context.engine
        try await APITestHarness.seedPricing(engine)
        try await APITestHarness.fund(engine, "proj-a", "100")
        try await APITestHarness.fund(engine, "proj-b", "50")
        context.clock.set(APITestHarness.t0.adding(seconds: 93000))
        let events: [ResourceEvent] = [
            APITestHarness.volume("d1", .create, "vol-1", user: "proj-a", size: 5, at: 0),
            APITestHarness.server("d2", .create, "vm-1", user: "proj-a", at: 6000),
            APITestHarness.server("d3", .delete, "vm-1", user: "proj-a", flavor: nil, at: 7000),
            APITestHarness.volume("d4", .delete, "vol-1", user: "proj-a", size: 5, at: 90000),
            APITestHarness.server("d5", .create, "vm-2", user: "proj-a", flavor: "m1.large", at: 92700),
            APITestHarness.server("d6", .create, "vm-b", user: "proj-b", at: 0),
            APITestHarness.server("d7", .delete, "vm-b", user: "proj-b", flavor: nil, at: 1000),
        ]
        for event in events {
            _ = try await engine.apply([event])
        }
    }

    /// The rows of a statistics query: day, resource, type, user, cost.
    static func rows(_ api: APIClient, _ query: String, as caller: Caller = .admin) async throws -> [[String?]] {
        try await api.list("/v1/consumptions/statistics?\(query)", "statistics", as: caller).map { row in
            [
                row.text("day"), row.text("resource_id"), row.text("resource_type"), row.text("user_id"),
                row.text("cost"),
            ]
        }
    }

    /// Whole days 2023-11-14 to 2023-11-16.
    static let wholeDays =
        "start_time=\(APITestHarness.time(firstMidnight - day))&end_time=\(APITestHarness.time(firstMidnight + 2 * day))"

    @Test(arguments: TestDatabase.available)
    func perDayAndTypeSplitsAtMidnightInProportion(_ database: TestDatabase) async throws {
        try await APITestHarness.withAPI(database) { context in
            try await Self.seedHistory(context)
            let rows = try await Self.rows(context.api, "user_id=proj-a&summary=true&interval=day&\(Self.wholeDays)")
            // vm-1: 400 s before midnight, 600 s after; vol-1: 6400 s on the 14th, 83600 s on the 15th; vm-2: 100 s
            // on the 15th, then open for 200 s on the 16th.
            #expect(
                rows == [
                    ["2023-11-14", nil, "os.cinder.volume", "proj-a", "0.64"],
                    ["2023-11-14", nil, "os.nova.server", "proj-a", "0.4"],
                    ["2023-11-15", nil, "os.cinder.volume", "proj-a", "8.36"],
                    ["2023-11-15", nil, "os.nova.server", "proj-a", "1.6"],
                    ["2023-11-16", nil, "os.nova.server", "proj-a", "2"],
                ]
            )
            // The days add up to the window's statistics.
            let whole = try await context.api.list(
                "/v1/consumptions/statistics?user_id=proj-a&summary=true&\(Self.wholeDays)",
                "statistics"
            )
            #expect(whole.map { $0.text("cost") } == ["9", "4"])
            #expect(whole.allSatisfy { $0.text("day") == nil })
        }
    }

    @Test(arguments: TestDatabase.available)
    func perDayAndResource(_ database: TestDatabase) async throws {
        try await APITestHarness.withAPI(database) { context in
            try await Self.seedHistory(context)
            #expect(
                try await Self.rows(context.api, "user_id=proj-a&interval=day&\(Self.wholeDays)") == [
                    ["2023-11-14", "vol-1", "os.cinder.volume", "proj-a", "0.64"],
                    ["2023-11-14", "vm-1", "os.nova.server", "proj-a", "0.4"],
                    ["2023-11-15", "vol-1", "os.cinder.volume", "proj-a", "8.36"],
                    ["2023-11-15", "vm-1", "os.nova.server", "proj-a", "0.6"],
                    ["2023-11-15", "vm-2", "os.nova.server", "proj-a", "1"],
                    ["2023-11-16", "vm-2", "os.nova.server", "proj-a", "2"],
                ]
            )
            // Every user, per type: proj-b's server (1000 s on the 14th) is added to the 14th.
            #expect(
                try await Self.rows(context.api, "summary=true&interval=day&\(Self.wholeDays)") == [
                    ["2023-11-14", nil, "os.cinder.volume", nil, "0.64"],
                    ["2023-11-14", nil, "os.nova.server", nil, "1.4"],
                    ["2023-11-15", nil, "os.cinder.volume", nil, "8.36"],
                    ["2023-11-15", nil, "os.nova.server", nil, "1.6"],
                    ["2023-11-16", nil, "os.nova.server", nil, "2"],
                ]
            )
        }
    }

    /// A window that starts and ends inside a day: its first and last days are clipped to it.
    @Test(arguments: TestDatabase.available)
    func partialDaysAreClippedToTheWindow(_ database: TestDatabase) async throws {
        try await APITestHarness.withAPI(database) { context in
            try await Self.seedHistory(context)
            // [23:00 on the 14th, 12:00 on the 15th).
            let window = "start_time=\(APITestHarness.time(2800))&end_time=\(APITestHarness.time(49600))"
            #expect(
                try await Self.rows(context.api, "user_id=proj-a&summary=true&interval=day&\(window)") == [
                    ["2023-11-14", nil, "os.cinder.volume", "proj-a", "0.36"],
                    ["2023-11-14", nil, "os.nova.server", "proj-a", "0.4"],
                    ["2023-11-15", nil, "os.cinder.volume", "proj-a", "4.32"],
                    ["2023-11-15", nil, "os.nova.server", "proj-a", "0.6"],
                ]
            )
            // Each day's figure is the statistics of that day's part of the window.
            let lastPart = "start_time=\(APITestHarness.time(6400))&end_time=\(APITestHarness.time(49600))"
            #expect(
                try await Self.rows(context.api, "user_id=proj-a&summary=true&\(lastPart)").map { $0[4] }
                    == ["4.32", "0.6"]
            )
        }
    }

    @Test func aMemberSeesItsOwnDaysOnly() async throws {
        try await APITestHarness.withAPI(.sqlite) { context in
            try await Self.seedHistory(context)
            let own = try await Self.rows(
                context.api,
                "summary=true&interval=day&\(Self.wholeDays)",
                as: .member("proj-b")
            )
            #expect(own == [["2023-11-14", nil, "os.nova.server", "proj-b", "1"]])
            let other = try await context.api.get(
                "/v1/consumptions/statistics?user_id=proj-a&interval=day&\(Self.wholeDays)",
                as: .member("proj-b")
            )
            #expect(other.status == .forbidden)
        }
    }

    @Test(arguments: [
        ("interval=week&\(wholeDays)", "interval"),
        ("interval=day&end_time=\(APITestHarness.time(0))", "start_time"),
        ("interval=day&start_time=\(APITestHarness.time(0))", "end_time"),
        ("interval=day&start_time=\(APITestHarness.time(10))&end_time=\(APITestHarness.time(0))", "end_time"),
        ("interval=day&start_time=\(APITestHarness.time(0))&end_time=\(APITestHarness.time(367 * day))", "interval"),
    ])
    func badDailyQueriesAreRefused(_ query: String, _ field: String) async throws {
        try await APITestHarness.withAPI(.sqlite) { context in
            let response = try await context.api.get("/v1/consumptions/statistics?\(query)")
            let error = expectOpenStackError(response, .badRequest, type: "InvalidInput")
            #expect(error.message.contains(field), "\(error.message)")
        }
    }

    /// 366 days are accepted; an empty window has no days.
    @Test func aLeapYearOfDaysIsTheLimit() async throws {
        try await APITestHarness.withAPI(.sqlite) { context in
            let midnight = APITestHarness.time(Self.firstMidnight)
            let end = APITestHarness.time(Self.firstMidnight + 366 * Self.day)
            let year = try await context.api.get(
                "/v1/consumptions/statistics?interval=day&start_time=\(midnight)&end_time=\(end)"
            )
            #expect(year.status == .ok)
            #expect(
                try await Self.rows(context.api, "interval=day&start_time=\(midnight)&end_time=\(midnight)").isEmpty
            )
        }
    }
}
