import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// `/v1/resources`: list, show and validate_creation; at `/v1/X` and at `/X`, on every test database.
@Suite("Resources API")
struct ResourcesControllerTests {
    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func listAndShow(_ database: TestDatabase, _ prefix: String) async throws {
        try await APITestHarness.withAPI(database) { context in
            let (_, nova, cinder) = try await APITestHarness.seedPricing(context.engine)
            try await APITestHarness.fund(context.engine, "proj-a", "100")
            try await APITestHarness.fund(context.engine, "proj-b", "100")
            _ = try await context.engine.apply([
                APITestHarness.server("m1", .create, "vm-a", user: "proj-a", at: 0),
                APITestHarness.volume("m2", .create, "vol-a", user: "proj-a", size: 5, at: 10),
                APITestHarness.server("m3", .create, "vm-b", user: "proj-b", flavor: "m1.large", at: 20),
            ])
            context.clock.advance(seconds: 100)
            let api = context.api

            let resource = try await api.object("\(prefix)/resources/vm-a", "resource")
            #expect(resource.text("id") == "vm-a")
            #expect(resource.text("user_id") == "proj-a")
            #expect(resource.text("resource_type") == "os.nova.server")
            #expect(resource.text("rule_id") == nova.id)
            #expect(resource.text("rate") == "0.001")
            #expect(resource["properties"] == .object(["flavor": .string("m1.small")]))
            #expect(resource.text("last_bill") == APITestHarness.time(0))
            #expect(resource["deleted_at"] == .null)
            let volume = try await api.object("\(prefix)/resources/vol-a", "resource")
            #expect(volume.text("rule_id") == cinder.id)
            #expect(volume.text("rate") == "0.0001")

            #expect(try await api.ids("\(prefix)/resources?sort_keys=id", "resources") == ["vm-a", "vm-b", "vol-a"])
            #expect(
                try await api.ids("\(prefix)/resources?user_id=proj-a&sort_keys=id", "resources") == ["vm-a", "vol-a"]
            )
            #expect(
                try await api.ids("\(prefix)/resources?resource_type=os.cinder.volume", "resources") == ["vol-a"]
            )
            #expect(
                try await api.ids("\(prefix)/resources?rule_id=\(nova.id)&sort_keys=id", "resources") == [
                    "vm-a", "vm-b",
                ]
            )
            #expect(
                try await api.ids("\(prefix)/resources?sort_keys=user_id&sort_keys=resource_type", "resources")
                    == ["vol-a", "vm-a", "vm-b"]
            )
            // Every column the old client's table reads.
            for listed in try await api.list("\(prefix)/resources", "resources") {
                for key in ["id", "user_id", "resource_type", "rule_id"] {
                    #expect(listed[key]?.stringValue != nil, "\(key) of \(listed)")
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available, APITestHarness.prefixes)
    func validateCreationAnswersWhetherTheNextHourIsAffordable(
        _ database: TestDatabase,
        _ prefix: String
    ) async throws {
        try await APITestHarness.withAPI(database) { context in
            try await APITestHarness.seedPricing(context.engine)
            // Exactly one hour of m1.small (3.6/h).
            try await APITestHarness.fund(context.engine, "proj-a", "3.6")
            let path = "\(prefix)/resources/validate_creation"
            func validation(_ body: String) async throws -> JSONValue? {
                try expectSuccess(try await context.api.post(path, body))["validation"]
            }
            let small = #"{"resource_type": "os.nova.server", "properties": {"flavor": "m1.small"}}"#
            let large = #"{"resource_type": "os.nova.server", "properties": {"flavor": "m1.large"}}"#
            #expect(try await validation(#"{"user_id": "proj-a", "resources": [\#(small)]}"#) == .bool(true))
            #expect(
                try await validation(#"{"user_id": "proj-a", "resources": [\#(small)], "count": 1}"#) == .bool(true)
            )
            #expect(
                try await validation(#"{"user_id": "proj-a", "resources": [\#(small)], "count": 2}"#) == .bool(false)
            )
            #expect(try await validation(#"{"user_id": "proj-a", "resources": [\#(large)]}"#) == .bool(false))
            #expect(
                try await validation(#"{"user_id": "proj-a", "resources": [\#(small), \#(small)]}"#) == .bool(false)
            )
            #expect(
                try await validation(#"{"user_id": "proj-a", "resources": [\#(small)], "count": 1000}"#) == .bool(false)
            )
            // Asking changes nothing.
            #expect(try await context.engine.user("proj-a").balance.description == "3.6")
            #expect(try await context.engine.listResources(ListQuery()).isEmpty)
            // An unknown user is not found.
            let missing = expectOpenStackError(
                try await context.api.post(path, #"{"user_id": "nobody", "resources": [\#(small)]}"#),
                .notFound
            )
            #expect(missing.message == "User not found: nobody")
        }
    }
}
