import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// `/v1/events`, `/v1/consumptions` and `/v1/consumptions/statistics` over one known history; at `/v1/X` and at
/// `/X`, on every test database.
///
/// History (cloud times after t0, processed at t0 + 3000 s): proj-a has vm-1 (m1.small, 0.001/s) from 0, resized
/// to m1.large (0.01/s) at 1000 and deleted at 2000, and vol-1 (5 GB, 0.0001/s) from 0, still open; proj-b has
/// vm-b (m1.small) from 0 to 500.
@Suite("Events and consumptions API")
struct EventsAndConsumptionsTests {
    static func seedHistory(_ context: APITestContext) async throws {
        let engine = context.engine
        try await APITestHarness.seedPricing(engine)
        try await APITestHarness.fund(engine, "proj-a", "100")
        try await APITestHarness.fund(engine, "proj-b", "50")
        context.clock.set(APITestHarness.t0.adding(seconds: 3000))
        _ = try await engine.apply([APITestHarness.server("a1", .create, "vm-1", user: "proj-a", at: 0)])
        _ = try await engine.apply([APITestHarness.volume("a2", .create, "vol-1", user: "proj-a", size: 5, at: 0)])
        _ = try await engine.apply([
            APITestHarness.server("a3", .update, "vm-1", user: "proj-a", flavor: "m1.large", at: 1000)
        ])
        _ = try await engine.apply([APITestHarness.server("a4", .delete, "vm-1", user: "proj-a", flavor: nil, at: 2000)]
        )
        _ = try await engine.apply([APITestHarness.server("b1", .create, "vm-b", user: "proj-b", at: 0)])
        _ = try await engine.apply([APITestHarness.server("b2", .delete, "vm-b", user: "proj-b", flavor: nil, at: 500)])
    }

    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func eventsInAWindow(_ database: TestDatabase, _ prefix: String) async throws {
        try await APITestHarness.withAPI(database) { context in
            try await Self.seedHistory(context)
            let api = context.api
            let servers = try await api.list(
                "\(prefix)/events?user_id=proj-a&resource_type=os.nova.server",
                "events"
            )
            #expect(servers.map { $0.text("action") } == ["create", "update", "delete"])
            #expect(servers.map { $0.text("timestamp") } == [0, 1000, 2000].map { APITestHarness.time($0) })
            #expect(servers.allSatisfy { $0.text("obj_id") == "vm-1" && $0.text("user_id") == "proj-a" })
            #expect(servers.allSatisfy { $0.text("obj_type") == "os.nova.server" && $0.text("id") != nil })

            // [start_time, end_time): the cloud times of the resize and the deletion only.
            let window = try await api.list(
                "\(prefix)/events?user_id=proj-a&start_time=\(APITestHarness.time(500))"
                    + "&end_time=\(APITestHarness.time(2500))",
                "events"
            )
            #expect(window.map { $0.text("action") } == ["update", "delete"])
            let upToDeletion = try await api.list(
                "\(prefix)/events?user_id=proj-a&start_time=\(APITestHarness.time(500))"
                    + "&end_time=\(APITestHarness.time(2000))",
                "events"
            )
            #expect(upToDeletion.map { $0.text("action") } == ["update"])
            let recharges = try await api.list("\(prefix)/events?action=recharge&sort_keys=timestamp", "events")
            #expect(Set(recharges.compactMap { $0.text("user_id") }) == ["proj-a", "proj-b"])
            // Another user's events are not mixed in.
            let userB = try await api.list("\(prefix)/events?user_id=proj-b", "events")
            #expect(!userB.isEmpty)
            #expect(userB.allSatisfy { $0.text("user_id") == "proj-b" })
        }
    }

    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func consumptionsAreTheClosedIntervals(_ database: TestDatabase, _ prefix: String) async throws {
        try await APITestHarness.withAPI(database) { context in
            try await Self.seedHistory(context)
            let api = context.api
            let consumptions = try await api.list("\(prefix)/consumptions?user_id=proj-a", "consumptions")
            #expect(consumptions.map { $0.text("resource_id") } == ["vm-1", "vm-1"])
            #expect(consumptions.map { $0.text("cost") } == ["1", "10"])
            #expect(consumptions.map { $0.text("rate") } == ["0.001", "0.01"])
            #expect(consumptions.map { $0.text("start_time") } == [APITestHarness.time(0), APITestHarness.time(1000)])
            #expect(consumptions.map { $0.text("end_time") } == [APITestHarness.time(1000), APITestHarness.time(2000)])
            #expect(consumptions.map { $0["metadata"]?.text("cause") } == ["update", "deletion"])
            #expect(consumptions.allSatisfy { $0.text("user_id") == "proj-a" })
            #expect(consumptions.allSatisfy { $0.text("resource_type") == "os.nova.server" })

            #expect(try await api.list("\(prefix)/consumptions", "consumptions").count == 3)
            let late = try await api.list(
                "\(prefix)/consumptions?user_id=proj-a&start_time=\(APITestHarness.time(1500))",
                "consumptions"
            )
            #expect(late.map { $0.text("cost") } == ["10"])
            let early = try await api.list(
                "\(prefix)/consumptions?end_time=\(APITestHarness.time(900))&sort_keys=resource_id",
                "consumptions"
            )
            #expect(early.map { $0.text("resource_id") } == ["vm-1", "vm-b"])
            #expect(try await api.list("\(prefix)/consumptions?resource_type=os.cinder.volume", "consumptions").isEmpty)
            // The balance is the recharge minus the closed costs minus the open volume (3000 s at 0.0001/s).
            #expect(try await api.object("\(prefix)/users/proj-a", "user").text("balance") == "88.7")
        }
    }

    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func statisticsPerResourceAndPerType(_ database: TestDatabase, _ prefix: String) async throws {
        try await APITestHarness.withAPI(database) { context in
            try await Self.seedHistory(context)
            let api = context.api
            func rows(_ query: String) async throws -> [[String?]] {
                try await api.list("\(prefix)/consumptions/statistics?\(query)", "statistics").map { row in
                    [row.text("resource_id"), row.text("resource_type"), row.text("user_id"), row.text("cost")]
                }
            }
            // Per resource, the open volume up to now included.
            #expect(
                try await rows("user_id=proj-a") == [
                    ["vol-1", "os.cinder.volume", "proj-a", "0.3"],
                    ["vm-1", "os.nova.server", "proj-a", "11"],
                ]
            )
            #expect(
                try await rows("user_id=proj-a&summary=true") == [
                    [nil, "os.cinder.volume", "proj-a", "0.3"],
                    [nil, "os.nova.server", "proj-a", "11"],
                ]
            )
            // Clipped to [500, 1500): vm-1 0.5 + 5, vol-1 1000 s of 0.0001.
            let window = "start_time=\(APITestHarness.time(500))&end_time=\(APITestHarness.time(1500))"
            #expect(
                try await rows("user_id=proj-a&\(window)") == [
                    ["vol-1", "os.cinder.volume", "proj-a", "0.1"],
                    ["vm-1", "os.nova.server", "proj-a", "5.5"],
                ]
            )
            #expect(
                try await rows("user_id=proj-a&summary=True&\(window)") == [
                    [nil, "os.cinder.volume", "proj-a", "0.1"],
                    [nil, "os.nova.server", "proj-a", "5.5"],
                ]
            )
            // Every user: per type, summed over users.
            #expect(
                try await rows("summary=true") == [
                    [nil, "os.cinder.volume", nil, "0.3"],
                    [nil, "os.nova.server", nil, "11.5"],
                ]
            )
            #expect(try await rows("summary=false").count == 3)
        }
    }

    @Test(arguments: ["limit=10", "marker=vm-1", "sort_keys=cost", "sort_dir=desc", "show_deleted=true"])
    func statisticsAreNotPagedSoPagingParametersAreRefused(_ parameter: String) async throws {
        try await APITestHarness.withAPI(.sqlite) { context in
            let response = try await context.api.get("/v1/consumptions/statistics?user_id=proj-a&\(parameter)")
            let error = expectOpenStackError(response, .badRequest, type: "InvalidInput")
            let name = String(parameter.prefix { $0 != "=" })
            #expect(error.message.contains("'\(name)'"), "\(error.message)")
        }
    }
}
