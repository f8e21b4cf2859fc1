import BileanCore
import BileanEngine
import BileanTestSupport
import HTTPTypes
import Hummingbird
import NIOCore
import Testing

@testable import BileanAPI

/// The list parameters every list accepts (`Request+ListQuery.swift`): limit, marker, sort_keys, sort_dir,
/// show_deleted and filters, as the old client sends them.
@Suite("List parameters")
struct ListParametersTests {
    /// Creates users `user-0` … `user-(count-1)`, named `n<count-1-index>` so that name order is the reverse of id
    /// order, one second apart.
    static func seedUsers(_ context: APITestContext, count: Int) async throws {
        for index in 0..<count {
            let name = "n" + String(count - 1 - index).leftPadded(3)
            _ = try await context.engine.createUser(
                id: "user-" + String(index).leftPadded(3),
                name: name,
                messageID: nil
            )
            context.clock.advance(seconds: 1)
        }
    }

    @Test func limitDefaultsTo100AndIsAtMost1000() async throws {
        try await APITestHarness.withAPI { context in
            try await Self.seedUsers(context, count: 101)
            let api = context.api
            #expect(try await api.list("/v1/users", "users").count == 100)
            #expect(try await api.list("/v1/users?limit=1000", "users").count == 101)
            #expect(try await api.list("/v1/users?limit=7", "users").count == 7)
            // Above the maximum is a page of the maximum, as OpenStack services answer (the old client asks so).
            #expect(try await api.list("/v1/users?limit=1001", "users").count == 101)
            #expect(try await api.list("/v1/users?limit=50000", "users").count == 101)
            for bad in ["0", "-1", "abc", "", "1.5", "99999999999999999999"] {
                let error = expectOpenStackError(try await api.get("/v1/users?limit=\(bad)"), .badRequest)
                #expect(error.message.contains("limit"), "limit=\(bad): \(error.message)")
            }
        }
    }

    @Test(arguments: [
        "", "&sort_keys=name", "&sort_keys=name&sort_dir=desc", "&sort_keys=balance", "&sort_keys=status,created_at",
    ])
    func markerPagingSeesEveryUserOnce(_ sort: String) async throws {
        try await APITestHarness.withAPI { context in
            try await Self.seedUsers(context, count: 7)
            let api = context.api
            let all = try await api.ids("/v1/users?limit=1000\(sort)", "users")
            #expect(all.count == 7)
            // As the old client pages: limit 2, marker = the last id seen, until a page is short.
            var seen: [String] = []
            var marker: String?
            for _ in 0..<10 {
                let page = try await api.ids(
                    "/v1/users?limit=2\(sort)" + (marker.map { "&marker=\($0)" } ?? ""),
                    "users"
                )
                seen += page
                guard page.count == 2, let last = page.last else { break }
                marker = last
            }
            #expect(seen == all)
            #expect(Set(seen).count == 7)
        }
    }

    @Test(arguments: ["rules", "policies", "resources", "events", "consumptions", "users"])
    func markerPagingWorksOnEveryList(_ list: String) async throws {
        try await APITestHarness.withAPI { context in
            try await EventsAndConsumptionsTests.seedHistory(context)
            _ = try await context.engine.createPolicy(name: "second", ruleIDs: [], metadata: .object([:]))
            let all = try await context.api.ids("/v1/\(list)?limit=1000&show_deleted=true", list)
            #expect(all.count >= 2)
            var seen: [String] = []
            var marker: String?
            for _ in 0...all.count {
                let page = try await context.api.ids(
                    "/\(list)?limit=1&show_deleted=true" + (marker.map { "&marker=\($0)" } ?? ""),
                    list
                )
                seen += page
                guard let last = page.last else { break }
                marker = last
            }
            #expect(seen == all)
        }
    }

    @Test func aMembersPagesStayInItsProject() async throws {
        try await APITestHarness.withAPI { context in
            try await APITestHarness.seedPricing(context.engine)
            var events: [ResourceEvent] = []
            for index in 0..<5 {
                events.append(APITestHarness.server("a\(index)", .create, "vm-a\(index)", user: "proj-a", at: 0))
                events.append(APITestHarness.server("b\(index)", .create, "vm-b\(index)", user: "proj-b", at: 0))
            }
            _ = try await context.engine.apply(events)
            var seen: [String] = []
            var marker: String?
            for _ in 0..<10 {
                let page = try await context.api.ids(
                    "/v1/resources?limit=2&sort_keys=id" + (marker.map { "&marker=\($0)" } ?? ""),
                    "resources",
                    as: .member("proj-a")
                )
                seen += page
                guard page.count == 2, let last = page.last else { break }
                marker = last
            }
            #expect(seen == (0..<5).map { "vm-a\($0)" })
        }
    }

    @Test func anUnknownMarkerIsRejected() async throws {
        try await APITestHarness.withAPI { context in
            try await Self.seedUsers(context, count: 3)
            let error = expectOpenStackError(
                try await context.api.get("/v1/users?marker=no-such-user"),
                .badRequest,
                type: "InvalidInput"
            )
            #expect(error.message.contains("no-such-user"))
            // A rule id is not a marker of the user list either.
            let rule = try await context.engine.createRule(
                name: "r",
                spec: APITestHarness.novaSpec,
                metadata: .object([:])
            )
            expectOpenStackError(try await context.api.get("/v1/users?marker=\(rule.id)"), .badRequest)
        }
    }

    @Test func sortKeysRepeatedOrCommaSeparatedAndDirection() async throws {
        try await APITestHarness.withAPI { context in
            try await Self.seedUsers(context, count: 4)
            // user-000 and user-002 are funded (FREE); the others stay INIT.
            try await APITestHarness.fund(context.engine, "user-000", "9.5")
            try await APITestHarness.fund(context.engine, "user-002", "10")
            try await APITestHarness.fund(context.engine, "user-003", "100")
            let api = context.api
            let byName = try await api.ids("/v1/users?sort_keys=name", "users")
            #expect(byName == ["user-003", "user-002", "user-001", "user-000"])
            #expect(try await api.ids("/v1/users?sort_keys=name&sort_dir=desc", "users") == byName.reversed())
            #expect(try await api.ids("/v1/users?sort_keys=name&sort_dir=DESC", "users") == byName.reversed())
            #expect(try await api.ids("/v1/users?sort_key=name", "users") == byName)
            #expect(try await api.ids("/v1/users?sort_keys=name&sort_keys=created_at", "users") == byName)
            // status first (FREE < INIT), then name.
            let expected = ["user-003", "user-002", "user-000", "user-001"]
            #expect(try await api.ids("/v1/users?sort_keys=status&sort_keys=name", "users") == expected)
            #expect(try await api.ids("/v1/users?sort_keys=status,name", "users") == expected)
            #expect(try await api.ids("/v1/users?sort_keys=status%2Cname", "users") == expected)
            // Balances order as numbers, not as text: 0, 0, 9.5, 10, 100.
            let byBalance = try await api.list("/v1/users?sort_keys=balance&sort_keys=id", "users")
            #expect(byBalance.map { $0.text("balance") } == ["0", "9.5", "10", "100"])
            let descending = try await api.list("/v1/users?sort_keys=balance&sort_dir=desc", "users")
            #expect(descending.map { $0.text("balance") } == ["100", "10", "9.5", "0"])
            // Every sort key the old client lets through is valid on its list.
            let clientKeys = [
                "users": ["name", "balance", "status", "created_at", "updated_at"],
                "rules": ["name", "type", "created_at"],
                "policies": ["name", "created_at"],
                "resources": ["user_id", "resource_type", "created_at", "updated_at"],
            ]
            for (list, keys) in clientKeys {
                for key in keys {
                    try expectSuccess(try await api.get("/v1/\(list)?sort_keys=\(key)&sort_dir=desc"))
                }
                try expectSuccess(
                    try await api.get("/\(list)?" + keys.map { "sort_keys=\($0)" }.joined(separator: "&"))
                )
            }
        }
    }

    @Test func badSortKeysAndDirectionsAreRejected() async throws {
        try await APITestHarness.withAPI { context in
            try await Self.seedUsers(context, count: 2)
            let api = context.api
            for (uri, named) in [
                ("/v1/users?sort_dir=sideways", "sort_dir"),
                ("/v1/users?sort_keys=password", "password"),
                ("/v1/users?sort_keys=name&sort_keys=password", "password"),
                ("/v1/rules?sort_keys=balance", "balance"),
                ("/v1/events?sort_keys=id%20DESC", "id DESC"),
            ] {
                let error = expectOpenStackError(try await api.get(uri), .badRequest, type: "InvalidInput")
                #expect(error.message.contains(named), "\(uri): \(error.message)")
            }
        }
    }

    @Test func showDeletedTrueListsDeletedUsers() async throws {
        try await APITestHarness.withAPI { context in
            try await Self.seedUsers(context, count: 3)
            try await context.engine.deleteUser(id: "user-001", messageID: nil)
            let api = context.api
            #expect(try await api.ids("/v1/users?sort_keys=id", "users") == ["user-000", "user-002"])
            for flag in ["True", "true", "1"] {
                let all = try await api.list("/v1/users?show_deleted=\(flag)&sort_keys=id", "users")
                #expect(all.map { $0.text("id") } == ["user-000", "user-001", "user-002"])
                #expect(all[1].text("deleted_at") == APITestHarness.time(3))
            }
            #expect(
                try await api.ids("/v1/users?show_deleted=False&sort_keys=id", "users") == ["user-000", "user-002"]
            )
            let error = expectOpenStackError(try await api.get("/v1/users?show_deleted=maybe"), .badRequest)
            #expect(error.message.contains("show_deleted"))
        }
    }

    @Test func filtersSelectAndUnknownFiltersAreRejected() async throws {
        try await APITestHarness.withAPI { context in
            try await Self.seedUsers(context, count: 3)
            try await APITestHarness.fund(context.engine, "user-001", "1")
            let api = context.api
            #expect(try await api.ids("/v1/users?status=FREE", "users") == ["user-001"])
            #expect(try await api.ids("/v1/users?name=n000", "users") == ["user-002"])
            #expect(
                try await api.ids("/v1/users?name=n000&name=n002&sort_keys=id", "users") == ["user-000", "user-002"]
            )
            for (uri, named) in [
                ("/v1/users?colour=red", "colour"),
                ("/v1/rules?resource_type=os.nova.server", "resource_type"),
                ("/v1/resources?name=x", "name"),
                ("/v1/users?1%3D1=1", "1=1"),
            ] {
                let error = expectOpenStackError(try await api.get(uri), .badRequest, type: "InvalidInput")
                #expect(error.message.contains(named), "\(uri): \(error.message)")
            }
        }
    }

    @Test func injectionLookingFiltersMatchNothingAndSortKeysAreRejected() async throws {
        try await APITestHarness.withAPI { context in
            try await Self.seedUsers(context, count: 3)
            try await APITestHarness.seedPricing(context.engine)
            let api = context.api
            let injection = "' OR 1=1 --".queryEncoded
            #expect(try await api.list("/v1/users?name=\(injection)", "users").isEmpty)
            #expect(try await api.list("/v1/rules?name=\(injection)", "rules").isEmpty)
            #expect(try await api.list("/v1/rules?type=\(injection)", "rules").isEmpty)
            #expect(try await api.list("/v1/resources?resource_type=\(injection)", "resources").isEmpty)
            #expect(try await api.list("/v1/events?user_id=\(injection)", "events").isEmpty)
            for uri in [
                "/v1/users?sort_keys=\("name;DROP TABLE users".queryEncoded)",
                "/v1/users?sort_keys=name;DROP%20TABLE%20users",
                "/v1/rules?sort_keys=\("name) --".queryEncoded)",
                "/v1/users?sort_dir=\("asc; DROP TABLE users".queryEncoded)",
                "/v1/users?marker=\(injection)",
            ] {
                expectOpenStackError(try await api.get(uri), .badRequest, type: "InvalidInput")
            }
            let notFound = expectOpenStackError(try await api.get("/v1/users/\(injection)"), .notFound)
            #expect(notFound.message == "User not found: ' OR 1=1 --")
            // The tables are intact.
            #expect(try await api.list("/v1/users", "users").count == 3)
            #expect(try await api.list("/v1/rules", "rules").count == 2)
            #expect(try await context.engine.listUsers(ListQuery()).count == 3)
        }
    }

    @Test func formEncodedSpacesInFiltersAreSpaces() async throws {
        // The old client builds its query with urllib's urlencode, which sends a space as `+`.
        try await APITestHarness.withAPI { context in
            let rule = try await context.engine.createRule(
                name: "nova rule",
                spec: APITestHarness.novaSpec,
                metadata: .object([:])
            )
            #expect(try await context.api.ids("/v1/rules?name=nova%20rule", "rules") == [rule.id])
            #expect(try await context.api.ids("/v1/rules?name=nova+rule", "rules") == [rule.id])
        }
    }

    @Test func aTooLongUserIDIsRejected() async throws {
        try await APITestHarness.withAPI { context in
            let long = String(repeating: "x", count: 256)
            for list in ["resources", "events", "consumptions", "consumptions/statistics"] {
                let error = expectOpenStackError(
                    try await context.api.get("/v1/\(list)?user_id=\(long)"),
                    .badRequest,
                    type: "InvalidInput"
                )
                #expect(error.message.contains("user_id"))
            }
        }
    }

    @Test func badTimesAreRejected() async throws {
        try await APITestHarness.withAPI { context in
            for (query, named) in [
                ("start_time=yesterday", "start_time"),
                ("end_time=2023-13-01T00:00:00Z", "end_time"),
                ("start_time=\(APITestHarness.time(10))&end_time=\(APITestHarness.time(0))", "end_time"),
            ] {
                for list in ["events", "consumptions", "consumptions/statistics"] {
                    let error = expectOpenStackError(
                        try await context.api.get("/v1/\(list)?\(query)"),
                        .badRequest,
                        type: "InvalidInput"
                    )
                    #expect(error.message.contains(named), "\(list)?\(query): \(error.message)")
                }
            }
            let summary = expectOpenStackError(
                try await context.api.get("/v1/consumptions/statistics?summary=perhaps"),
                .badRequest
            )
            #expect(summary.message.contains("summary"))
        }
    }
}

extension String {
    /// The text left-padded with zeros to `width` characters.
    func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - self.count)) + self
    }

    @Test(arguments: ["1001", "50000"])
    func aLimitAboveTheMaximumIsCappedAtTheMaximum(_ limit: String) throws {
        let request = Request(
            head: HTTPRequest(method: .get, scheme: "http", authority: "bilean", path: "/v1/users?limit=\(limit)"),
            body: RequestBody(buffer: ByteBuffer())
        )
        #expect(try request.listParameters(.users).query.limit == ListQuery.maximumLimit)
    }
}
