import BileanCore
import BileanStore
import BileanTestSupport
import Foundation
import Testing

/// The store contract: every test runs on SQLite and on PostgreSQL (skipped locally when
/// `BILEAN_TEST_POSTGRES_URL` is unset; a failure under `CI=true`).
@Suite("Store conformance")
struct StoreConformanceTests {
    static let t0 = BillingTime(seconds: 1_700_000_000)

    static func user(_ id: String, balance: String = "0", at seconds: Int64 = 0, name: String? = nil) throws -> User {
        User(
            id: id,
            name: name ?? "project-\(id)",
            balance: try Money(parsing: balance),
            createdAt: t0.adding(seconds: seconds)
        )
    }

    @Test(arguments: TestDatabase.available)
    func migrationsAreVersionedAndIdempotent(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let again = try await Migrations.run(on: store.driver, logger: TestDatabase.logger)
            #expect(again.isEmpty)
            let versions = try await store.driver.withTransaction { connection in
                try await connection.query("SELECT version FROM schema_migrations ORDER BY version")
            }
            #expect(try versions.map { try $0.integer("version") } == (1...Migrations.latestVersion).map { Int64($0) })
            // A newer release migrated the database: this one refuses to run on it, and says why.
            let newer = Migrations.latestVersion + 1
            _ = try await store.driver.withTransaction { connection in
                try await connection.query(
                    "INSERT INTO schema_migrations (version, name) VALUES (\(newer), 'from_the_future')"
                )
            }
            let refused = await #expect(throws: StoreError.self) {
                try await Migrations.run(on: store.driver, logger: TestDatabase.logger)
            }
            #expect(
                refused?.description.contains("newer than this bilean-server knows") == true,
                "\(String(describing: refused))"
            )
        }
    }

    /// Rows written together (one statement prepared once and stepped per row on SQLite, one JSON document of rows
    /// on PostgreSQL) keep every value exactly: text that JSON or SQL must escape, non-ASCII text, empty and absent
    /// values, money to the last of its 12 decimals (and its sign) and integers past 64 bits; and an upsert of existing rows.
    @Test(arguments: TestDatabase.available)
    func rowsWrittenTogetherKeepEveryValueExactly(_ database: TestDatabase) async throws {
        let texts = [
            "", "plain", #"quote " and backslash \"#, "line\nbreak\ttab\r", "é ü 漢字 🙂 e\u{301}",
            #"{"a": [1, 2.5]}"#, "'; DROP TABLE events; --", #"\u0041 as written"#, "$1 ?1 :name",
        ]
        let metadata = try JSONValue(
            jsonText: #"{"digits": 12345678901234567890.123456789012345678, "list": [null, true]}"#
        )
        var events: [Event] = []
        var consumptions: [Consumption] = []
        for index in 0..<300 {
            let text = texts[index % texts.count]
            events.append(
                Event(
                    id: "event-\(1000 + index)",
                    timestamp: Self.t0.adding(seconds: Int64(index)),
                    objectID: "object-\(text)",
                    objectType: "os.nova.server",
                    objectName: index.isMultiple(of: 3) ? nil : text,
                    action: "create",
                    userID: index.isMultiple(of: 5) ? nil : "user-1",
                    status: index.isMultiple(of: 2) ? text : nil,
                    metadata: .object(["text": .string(text), "more": metadata])
                )
            )
            consumptions.append(
                Consumption(
                    id: "consumption-\(1000 + index)",
                    userID: "user-1",
                    resourceID: "resource-\(index)",
                    resourceType: "os.nova.server",
                    startTime: Self.t0.adding(seconds: Int64(index)),
                    endTime: Self.t0.adding(seconds: Int64(index) + 3_600),
                    rate: Rate(unitsPerHour: Int128(index + 1) * 100_000_000_000_000_000_000),
                    cost: try Money(parsing: "-\(index)2345678901.123456789012"),
                    cause: .deletion,
                    createdAt: Self.t0,
                    reason: index.isMultiple(of: 2) ? text : nil
                )
            )
        }
        try await database.withStore { store in
            try await store.withTransaction { transaction in
                try await transaction.insertEvents(events)
                try await transaction.insertConsumptions(consumptions)
            }
            let (storedEvents, storedConsumptions) = try await store.withTransaction { transaction in
                (
                    try await transaction.events(ListQuery(limit: 1000)),
                    try await transaction.consumptions(userID: "user-1", overlapping: nil, nil)
                )
            }
            #expect(storedEvents == events)
            #expect(storedConsumptions.sorted { $0.id < $1.id } == consumptions)

            // Users written together through the upsert of existing rows take their new values.
            var changed = [try Self.user("a", balance: "1.000000000001"), try Self.user("b")]
            try await store.withTransaction { _ = try await $0.insertUsers(changed) }
            changed[0].balance = try Money(parsing: "-2.5")
            changed[1].name = #"second "name" \ é"#
            try await store.withTransaction { try await $0.updateUsers(changed) }
            let stored = try await store.withTransaction { try await $0.users(ids: ["a", "b"]) }
            #expect(stored.sorted { $0.id < $1.id } == changed)
        }
    }

    /// How far applied re-ratings reach is asked once per batch of notifications: the database answers from the
    /// partial index of migration 9 (a seek), not by reading every kept preview.
    @Test(arguments: TestDatabase.available)
    func theAppliedReratingsEndIsASeekInAnIndex(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let plan = try await store.driver.withTransaction { connection in
                switch connection.dialect {
                case .sqlite:
                    return try await connection.query(
                        """
                        EXPLAIN QUERY PLAN SELECT MAX(end_time) AS until FROM reratings WHERE applied_at IS NOT NULL
                        """
                    ).map { try $0.text("detail") }
                case .postgres:
                    // The planner may still scan a table this small; the index is there for it to use.
                    return try await connection.query(
                        """
                        SELECT indexdef AS detail FROM pg_indexes
                        WHERE schemaname = current_schema() AND indexname = 'reratings_applied_end'
                        """
                    ).map { try $0.text("detail") }
                }
            }
            #expect(plan.contains { $0.contains("reratings_applied_end") }, "\(plan)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func migrationThreeFillsTheOpenIntervalSumsFromTheResources(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            // Users and resources as a database of schema 2 holds them: no sums yet.
            let rate = Rate.perHour(try Money(parsing: "0.37"))
            var resources: [Resource] = []
            for (index, user) in ["u1", "u1", "u1", "u2"].enumerated() {
                var billing = ResourceBilling(startedAt: Self.t0, rate: rate, billedUntil: Self.t0)
                billing = billing.settling(at: Self.t0.adding(microseconds: Int64(index) * 1_234_567)).billing
                resources.append(
                    Resource(
                        id: "r\(index)",
                        userID: user,
                        resourceType: "os.nova.server",
                        billing: billing,
                        createdAt: Self.t0
                    )
                )
            }
            // A deleted one and an idle one contribute nothing.
            resources.append(
                Resource(
                    id: "gone",
                    userID: "u2",
                    resourceType: "os.nova.server",
                    billing: ResourceBilling(startedAt: Self.t0, deletedAt: Self.t0, billedUntil: Self.t0),
                    createdAt: Self.t0
                )
            )
            try await store.withTransaction { transaction in
                try await transaction.insertUsers([try Self.user("u1"), try Self.user("u2"), try Self.user("u3")])
                try await transaction.saveResources(resources)
            }
            try await store.driver.withTransaction { connection in
                try await Migrations.backfillOpenAccruals(connection)
            }
            for user in ["u1", "u2", "u3"] {
                let stored = try #require(try await store.withTransaction { try await $0.user(user, lock: false) })
                let expected = OpenAccrual.summing(resources.filter { $0.userID == user }.map(\.billing))
                #expect(stored.accrual == expected, "\(user)")
            }
            #expect(
                try #require(try await store.withTransaction { try await $0.user("u1", lock: false) }).accrual.count
                    == 3
            )
        }
    }

    @Test(arguments: TestDatabase.available)
    func moneyAndBigIntegersAreStoredExactly(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let amounts = [
                "123456789012.123456789012", "-0.000000000001", "0", "99999999999999.999999999999", "-42.5",
            ]
            let bigRate = Int128(3_600_000_000_000_000_000) * 1_000_000  // 3.6e24 units per hour
            try await store.withTransaction { transaction in
                for (index, amount) in amounts.enumerated() {
                    var user = try Self.user("money-\(index)", balance: amount)
                    user.rate = Rate(unitsPerHour: bigRate + Int128(index))
                    user.credit = try Money(parsing: "0.5")
                    #expect(try await transaction.insertUser(user))
                }
            }
            try await store.withTransaction { transaction in
                for (index, amount) in amounts.enumerated() {
                    let user = try #require(try await transaction.user("money-\(index)", lock: false))
                    #expect(user.balance == (try Money(parsing: amount)))
                    #expect(user.rate.unitsPerHour == bigRate + Int128(index))
                    #expect(user.credit.description == "0.5")
                }
                let accrued = Int128(12_345_678_901_234_567) * 1_000_000_000_000_000_000  // 1.2e37
                let resource = Resource(
                    id: "r-big",
                    userID: "money-0",
                    resourceType: "os.nova.server",
                    billing: ResourceBilling(
                        startedAt: Self.t0,
                        rate: Rate(unitsPerHour: 7),
                        billedUntil: Self.t0,
                        accrued: accrued
                    ),
                    createdAt: Self.t0
                )
                try await transaction.saveResource(resource)
                #expect(try await transaction.resource("r-big")?.billing.accrued == accrued)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func insertUserIsIdempotentAndUpdateRoundTrips(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.withTransaction { transaction in
                let user = try Self.user("u1", balance: "10")
                #expect(try await transaction.insertUser(user))
                #expect(try await !transaction.insertUser(try Self.user("u1", balance: "99")))
                var changed = try #require(try await transaction.user("u1", lock: true))
                #expect(changed.balance.description == "10")
                changed.balance = try Money(parsing: "-3.25")
                changed.status = .warning
                changed.statusReason = "soon"
                changed.policyID = "p1"
                changed.lastBill = Self.t0.adding(microseconds: 123_456)
                changed.deletedAt = Self.t0.adding(seconds: 5)
                try await transaction.updateUser(changed)
                let reread = try await transaction.user("u1", lock: false)
                #expect(reread == changed)
                let nobody = try await transaction.user("nobody", lock: false)
                #expect(nobody == nil)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aThrowingTransactionLeavesNothing(_ database: TestDatabase) async throws {
        struct Boom: Error {}
        try await database.withStore { store in
            await #expect(throws: Boom.self) {
                try await store.withTransaction { transaction in
                    try await transaction.insertUser(try Self.user("ghost"))
                    _ = try await transaction.markProcessed("m-ghost", at: Self.t0)
                    throw Boom()
                }
            }
            let ghost = try await store.withTransaction { try await $0.user("ghost", lock: false) }
            #expect(ghost == nil)
            let processed = try await store.withTransaction { try await $0.markProcessed("m-ghost", at: Self.t0) }
            #expect(processed)
        }
    }

    @Test(arguments: TestDatabase.available)
    func processedMessageIDsAreRememberedOnce(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let first = try await store.withTransaction { try await $0.markProcessed("msg-1", at: Self.t0) }
            let second = try await store.withTransaction { try await $0.markProcessed("msg-1", at: Self.t0) }
            #expect(first)
            #expect(!second)
        }
    }

    /// Pages through a list with `limit` and `marker` as the original client does, collecting ids.
    static func pageThrough(
        _ query: ListQuery,
        _ fetch: (ListQuery) async throws -> [String]
    ) async throws -> [String] {
        var ids: [String] = []
        var query = query
        while true {
            let page = try await fetch(query)
            ids += page
            guard page.count == query.limit, let last = page.last else { return ids }
            query.marker = last
        }
    }

    @Test(arguments: TestDatabase.available)
    func userListsPageSortAndFilter(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            // Balances that sort differently as text and as numbers, negative ones included; equal names to
            // exercise the id tie-breaker.
            let balances = ["10", "9", "-1", "100", "-20.5", "0.001", "2", "2", "-0.5", "55", "3", "1000"]
            try await store.withTransaction { transaction in
                for (index, balance) in balances.enumerated() {
                    var user = try Self.user(
                        String(format: "user-%02d", index),
                        balance: balance,
                        at: Int64(index % 5),
                        name: index % 3 == 0 ? "same" : "name-\(11 - index)"
                    )
                    user.status = index % 2 == 0 ? .active : .free
                    // Rates that sort differently as text ("100" < "9") and as numbers.
                    user.rate = Rate(unitsPerHour: Int128([9, 100, 10, 1000, 5, 77, 3, 3, 250, 12, 0, 40][index]))
                    try await transaction.insertUser(user)
                }
                var deleted = try Self.user("user-deleted", balance: "1")
                deleted.deletedAt = Self.t0
                try await transaction.insertUser(deleted)
            }
            let all = try await store.withTransaction { try await $0.users(ListQuery(limit: 1000)) }
            #expect(all.count == balances.count)

            for key in ["balance", "rate", "name", "created_at", "status", "id"] {
                for direction in ListQuery.Direction.allCases {
                    let query = ListQuery(limit: 5, sortKeys: [key], direction: direction)
                    let ids = try await Self.pageThrough(query) { query in
                        try await store.withTransaction { try await $0.users(query) }.map(\.id)
                    }
                    let expected = try Self.sortedIDs(all, key: key, direction: direction)
                    #expect(ids == expected, "sort \(key) \(direction)")
                }
            }
            let active = try await store.withTransaction {
                try await $0.users(ListQuery(filters: ["status": ["ACTIVE"]]))
            }
            #expect(active.count == 6)
            #expect(active.allSatisfy { $0.status == .active })
            let withDeleted = try await store.withTransaction { try await $0.users(ListQuery(showDeleted: true)) }
            #expect(withDeleted.count == balances.count + 1)
            let injection = try await store.withTransaction {
                try await $0.users(ListQuery(filters: ["name": ["x' OR '1'='1"]]))
            }
            #expect(injection.isEmpty)
            await #expect(throws: BileanError.self) {
                try await store.withTransaction { try await $0.users(ListQuery(marker: "no-such-user")) }
            }
            await #expect(throws: BileanError.self) {
                try await store.withTransaction {
                    try await $0.users(ListQuery(sortKeys: ["balance; DROP TABLE users"]))
                }
            }
        }
    }

    /// The expected order of users by a key, computed in Swift (exact money comparison, id tie-breaker).
    static func sortedIDs(_ users: [User], key: String, direction: ListQuery.Direction) throws -> [String] {
        func less(_ a: User, _ b: User) -> Bool {
            switch key {
            case "balance": if a.balance != b.balance { return a.balance < b.balance }
            case "rate": if a.rate != b.rate { return a.rate < b.rate }
            case "name": if a.name != b.name { return (a.name ?? "") < (b.name ?? "") }
            case "created_at": if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
            case "status": if a.status != b.status { return a.status.rawValue < b.status.rawValue }
            default: break
            }
            return a.id < b.id
        }
        let ascending = users.sorted(by: less)
        return (direction == .asc ? ascending : ascending.reversed()).map(\.id)
    }

    @Test(arguments: TestDatabase.available)
    func rulesAndPoliciesRoundTrip(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let spec = JSONValue.object([
                "type": .string("os.nova.server"), "version": .string("1.0"),
                "properties": .object([
                    "price_mapping": .array([.object(["flavor": .string("m1.small"), "price": .number("0.1")])])
                ]),
            ])
            let rule = Rule(
                id: "rule-1",
                name: "nova",
                type: "os.nova.server-1.0",
                resourceType: "os.nova.server",
                spec: spec,
                metadata: .object(["k": .string("v")]),
                createdAt: Self.t0
            )
            let volumeRule = Rule(
                id: "rule-2",
                name: "cinder",
                type: "os.cinder.volume-1.0",
                resourceType: "os.cinder.volume",
                spec: .object([:]),
                createdAt: Self.t0.adding(seconds: 1)
            )
            try await store.withTransaction { transaction in
                try await transaction.insertRule(rule)
                try await transaction.insertRule(volumeRule)
                #expect(try await transaction.rule("rule-1", includeDeleted: false) == rule)
                let policy = Policy(
                    id: "policy-1",
                    name: "gold",
                    rules: [
                        Policy.RuleRef(id: "rule-2", type: volumeRule.type, resourceType: volumeRule.resourceType),
                        Policy.RuleRef(id: "rule-1", type: rule.type, resourceType: rule.resourceType),
                    ],
                    isDefault: true,
                    metadata: .object([:]),
                    createdAt: Self.t0
                )
                try await transaction.insertPolicy(policy)
                let stored = try #require(try await transaction.policy("policy-1", includeDeleted: false))
                #expect(stored.rules.map(\.id) == ["rule-2", "rule-1"])  // ordered by resource type
                #expect(stored.rule(for: "os.nova.server")?.id == "rule-1")
                #expect(try await transaction.defaultPolicy()?.id == "policy-1")
                #expect(try await transaction.policyIDs(usingRule: "rule-1") == ["policy-1"])

                var updated = stored
                updated.rules.removeAll { $0.id == "rule-1" }
                updated.isDefault = false
                updated.deletedAt = Self.t0.adding(seconds: 9)
                try await transaction.updatePolicy(updated)
                #expect(try await transaction.policy("policy-1", includeDeleted: false) == nil)
                #expect(try await transaction.policy("policy-1", includeDeleted: true)?.rules.count == 1)
                #expect(try await transaction.defaultPolicy() == nil)
                #expect(try await transaction.policyIDs(usingRule: "rule-2").isEmpty)  // policy deleted
                let byType = try await transaction.rules(ListQuery(filters: ["type": ["os.cinder.volume-1.0"]]))
                #expect(byType.map(\.id) == ["rule-2"])
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func resourcesTimelinesAndLedger(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.withTransaction { transaction in
                try await transaction.insertUser(try Self.user("u"))
                var resource = Resource(
                    id: "vm-1",
                    userID: "u",
                    resourceType: "os.nova.server",
                    properties: ["flavor": .string("m1.small")],
                    billing: ResourceBilling(
                        startedAt: Self.t0,
                        rate: .perHour(Money(integer: 2)),
                        billedUntil: Self.t0
                    ),
                    createdAt: Self.t0
                )
                try await transaction.saveResource(resource)
                resource.billing.accrued = 12345
                resource.billing.deletedAt = Self.t0.adding(seconds: 60)
                resource.updatedAt = Self.t0.adding(seconds: 60)
                try await transaction.saveResource(resource)  // upsert
                #expect(try await transaction.resource("vm-1") == resource)
                #expect(try await transaction.liveResources(userID: "u").isEmpty)

                let entries = [
                    TimelineEntry(time: Self.t0.adding(seconds: 60), action: .delete, rate: .zero, messageID: "m2"),
                    TimelineEntry(time: Self.t0, action: .create, rate: .perHour(Money(integer: 2)), messageID: "m1"),
                ]
                for entry in entries {
                    try await transaction.appendTimeline([
                        TimelineRecord(entry: entry, resourceID: "vm-1", properties: [:])
                    ])
                }
                #expect(try await transaction.timeline(resourceID: "vm-1").map(\.entry) == entries)  // arrival order
                try await transaction.updateTimelineRate(
                    resourceID: "vm-1",
                    messageID: "m1",
                    rate: .perHour(Money(integer: 3))
                )
                #expect(
                    try await transaction.timeline(resourceID: "vm-1").last?.entry.rate == .perHour(Money(integer: 3))
                )

                for (index, span) in [(0, 10), (10, 20), (20, 30)].enumerated() {
                    try await transaction.insertConsumption(
                        Consumption(
                            id: "c\(index)",
                            userID: "u",
                            resourceID: "vm-1",
                            resourceType: "os.nova.server",
                            startTime: Self.t0.adding(seconds: Int64(span.0)),
                            endTime: Self.t0.adding(seconds: Int64(span.1)),
                            rate: .perHour(Money(integer: 2)),
                            cost: try Money(parsing: "0.000000000001"),
                            cause: .update,
                            createdAt: Self.t0
                        )
                    )
                }
                // [10, 20) overlaps c0? no (ends at 10); c1 yes; c2 no (starts at 20).
                let window = try await transaction.consumptions(
                    userID: "u",
                    overlapping: Self.t0.adding(seconds: 10),
                    Self.t0.adding(seconds: 20)
                )
                #expect(window.map(\.id) == ["c1"])
                let page = try await transaction.consumptions(
                    ListQuery(limit: 2, userID: "u", start: Self.t0.adding(seconds: 5))
                )
                #expect(page.map(\.id) == ["c0", "c1"])
                #expect(page.first?.cost.description == "0.000000000001")

                try await transaction.insertRecharge(
                    Recharge(
                        id: "r1",
                        userID: "u",
                        kind: .systemBonus,
                        value: try Money(parsing: "1.1"),
                        timestamp: Self.t0,
                        metadata: .object([:])
                    )
                )
                #expect(try await transaction.recharges(userID: "u").map(\.value.description) == ["1.1"])
                for (index, user) in ["u", "v", "u"].enumerated() {
                    try await transaction.insertRecharge(
                        Recharge(
                            id: "r\(index + 2)",
                            userID: user,
                            kind: .recharge,
                            value: try Money(parsing: "100000000.000000000001"),
                            timestamp: Self.t0.adding(seconds: Int64(index + 1)),
                            metadata: .object([:])
                        )
                    )
                }
                // A page of one user's, by time, after a marker; a window; a filter; exact amounts.
                let mine = try await transaction.recharges(ListQuery(userID: "u"))
                #expect(mine.map(\.id) == ["r1", "r2", "r4"])
                #expect(mine.last?.value.description == "100000000.000000000001")
                #expect(
                    try await transaction.recharges(ListQuery(limit: 1, marker: "r1", userID: "u")).map(\.id) == ["r2"]
                )
                #expect(
                    try await transaction.recharges(ListQuery(userID: "u", start: Self.t0.adding(seconds: 2))).map(\.id)
                        == ["r4"]
                )
                #expect(
                    try await transaction.recharges(ListQuery(filters: ["type": ["System bonus"]])).map(\.id) == ["r1"]
                )
                #expect(
                    try await transaction.recharges(ListQuery(direction: .desc)).map(\.id) == ["r4", "r3", "r2", "r1"]
                )
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func eventsFilterByWindowAndType(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.withTransaction { transaction in
                for index in 0..<6 {
                    try await transaction.insertEvent(
                        Event(
                            id: "e\(index)",
                            timestamp: Self.t0.adding(seconds: Int64(index)),
                            objectID: "o\(index)",
                            objectType: index % 2 == 0 ? "os.nova.server" : "user",
                            action: index < 3 ? "create" : "delete",
                            userID: "u",
                            level: index == 5 ? .warning : .info
                        )
                    )
                }
                let window = try await transaction.events(
                    ListQuery(userID: "u", start: Self.t0.adding(seconds: 1), end: Self.t0.adding(seconds: 4))
                )
                #expect(window.map(\.id) == ["e1", "e2", "e3"])
                let servers = try await transaction.events(ListQuery(filters: ["resource_type": ["os.nova.server"]]))
                #expect(servers.map(\.id) == ["e0", "e2", "e4"])
                let latest = try await transaction.events(ListQuery(limit: 2, direction: .desc))
                #expect(latest.map(\.id) == ["e5", "e4"])
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func jobsAreReplacedAndFoundWhenDue(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            try await store.withTransaction { transaction in
                try await transaction.replaceJobs(
                    userID: "u1",
                    kinds: [.notify, .freeze],
                    with: [
                        Job(userID: "u1", kind: .notify, runAt: Self.t0.adding(seconds: 10)),
                        Job(userID: "u1", kind: .freeze, runAt: Self.t0.adding(seconds: 20)),
                    ]
                )
                try await transaction.replaceJobs(
                    userID: "u2",
                    kinds: [.freeze],
                    with: [Job(userID: "u2", kind: .freeze, runAt: Self.t0.adding(seconds: 5))]
                )
                try await transaction.replaceJobs(
                    userID: "u1",
                    kinds: [.notify],
                    with: [Job(userID: "u1", kind: .notify, runAt: Self.t0.adding(seconds: 15))]
                )
                #expect(
                    try await transaction.jobs(userID: "u1").map(\.runAt) == [
                        Self.t0.adding(seconds: 15), Self.t0.adding(seconds: 20),
                    ]
                )
                let due = try await transaction.dueJobs(at: Self.t0.adding(seconds: 15), limit: 10)
                #expect(due.map(\.userID) == ["u2", "u1"])
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentTransactionsOnOneUserSerialise(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            _ = try await store.withTransaction { try await $0.insertUser(try Self.user("shared", balance: "0")) }
            // 40 read-modify-write increments from concurrent tasks: a lost update would show in the total.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        try await store.withTransaction { transaction in
                            var user = try #require(try await transaction.user("shared", lock: true))
                            user.balance += try Money(parsing: "0.1")
                            try await transaction.updateUser(user)
                        }
                    }
                }
                try await group.waitForAll()
            }
            let user = try await store.withTransaction { try await $0.user("shared", lock: false) }
            #expect(user?.balance.description == "4")
        }
    }
}
