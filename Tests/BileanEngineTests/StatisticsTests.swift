import BileanCore
import BileanEngine
import BileanStore
import BileanTestSupport
import Testing

/// `Engine.statistics` (lines wholly inside the window summed by the database, crossing lines clipped in Swift)
/// against the algorithm it replaced, kept here as the reference: every overlapping line loaded, clipped and summed
/// in Swift. On SQLite and on PostgreSQL (skipped locally when `BILEAN_TEST_POSTGRES_URL` is unset; a failure under
/// `CI=true`).
@Suite("Consumption statistics")
struct StatisticsTests {
    static let t0 = BillingTime(seconds: 1_700_000_000)
    static let now = t0.adding(seconds: 30_000)

    static let users = ["u1", "u2", "u3"]
    static let types = ["os.nova.server", "os.cinder.volume"]

    /// A statistics row's identity.
    struct Key: Hashable {
        var resourceID: String?
        var resourceType: String
        var userID: String?
    }

    // MARK: Reference

    /// The statistics as the engine computed them before: every consumption that overlaps the window loaded,
    /// clipped to it and summed in Swift, then the still-open intervals of live resources.
    static func reference(
        _ store: SQLBillingStore,
        _ query: ListQuery,
        summary: Bool,
        now: BillingTime
    ) async throws -> [ConsumptionStatistics] {
        try await store.withReadTransaction { transaction in
            var totals: [Key: Money] = [:]
            func add(_ cost: Money, resourceID: String, resourceType: String, userID: String) {
                let key = Key(
                    resourceID: summary ? nil : resourceID,
                    resourceType: resourceType,
                    userID: query.userID == nil && summary ? nil : userID
                )
                totals[key, default: .zero] += cost
            }
            let closed = try await transaction.consumptions(userID: query.userID, overlapping: query.start, query.end)
            for consumption in closed {
                let cost = Self.clip(
                    consumption.cost,
                    from: consumption.startTime,
                    to: consumption.endTime,
                    window: query.start,
                    query.end
                )
                add(
                    cost,
                    resourceID: consumption.resourceID,
                    resourceType: consumption.resourceType,
                    userID: consumption.userID
                )
            }
            for resource in try await transaction.liveResources(userID: query.userID) {
                let billing = resource.billing
                guard billing.isActive, let billedUntil = billing.billedUntil, now > billedUntil else { continue }
                let start = max(billedUntil, query.start ?? billedUntil)
                let end = min(now, query.end ?? now)
                guard end > start else { continue }
                let cost =
                    start == billedUntil && end == now
                    ? billing.openCost(at: now)
                    : Money(
                        units: Money.roundedQuotient(
                            billing.rate.accrual(microseconds: end - start),
                            Rate.accrualDenominator
                        )
                    )
                add(cost, resourceID: resource.id, resourceType: resource.resourceType, userID: resource.userID)
            }
            return totals.map { key, cost in
                ConsumptionStatistics(
                    resourceID: key.resourceID,
                    resourceType: key.resourceType,
                    userID: key.userID,
                    cost: cost
                )
            }.sorted(by: Self.inOrder)
        }
    }

    /// The part of a cost that falls in a window, in proportion to time (rounded half-even): the engine's rule.
    static func clip(
        _ cost: Money,
        from start: BillingTime,
        to end: BillingTime,
        window windowStart: BillingTime?,
        _ windowEnd: BillingTime?
    ) -> Money {
        let duration = end - start
        guard duration > 0 else { return cost }
        let inside = min(end, windowEnd ?? end) - max(start, windowStart ?? start)
        guard inside < duration else { return cost }
        guard inside > 0 else { return .zero }
        return Money(units: Money.roundedQuotient(cost.units * Int128(inside), Int128(duration)))
    }

    /// The engine's order: by type, resource, then user.
    static func inOrder(_ lhs: ConsumptionStatistics, _ rhs: ConsumptionStatistics) -> Bool {
        (lhs.resourceType, lhs.resourceID ?? "", lhs.userID ?? "")
            < (rhs.resourceType, rhs.resourceID ?? "", rhs.userID ?? "")
    }

    // MARK: Data

    /// Seeded random consumptions: costs with 12 decimals, some negative (rerate lines), a few large ones (at most
    /// six of each sign, so that every sum stays within `Money.maxMagnitude`), empty intervals, edges on whole
    /// minutes; one resource id is shared by two users.
    static func lines(_ random: inout SeededRandomNumberGenerator) throws -> [Consumption] {
        let large = try Money(parsing: "123456789012345.123456789012")
        var largeLeft = 6
        var largeNegativeLeft = 6
        var lines: [Consumption] = []
        for index in 0..<200 {
            let user = Self.users[Int.random(in: 0..<Self.users.count, using: &random)]
            let type = Self.types[Int.random(in: 0..<Self.types.count, using: &random)]
            let shared = Int.random(in: 0..<8, using: &random) == 0
            let number = Int.random(in: 0..<3, using: &random)
            let resource = shared ? "shared" : "\(user)-\(type)-\(number)"
            let startSeconds = Int64.random(in: 0..<25_000, using: &random)
            let startMicroseconds =
                Bool.random(using: &random)
                ? (startSeconds / 60) * 60 * 1_000_000
                : startSeconds * 1_000_000 + Int64.random(in: 0..<1_000_000, using: &random)
            let duration =
                Int.random(in: 0..<10, using: &random) == 0 ? 0 : Int64.random(in: 1...3_600_000_000, using: &random)
            let start = Self.t0.adding(microseconds: startMicroseconds)
            var cost = Money(units: Int128(Int64.random(in: 0...500_000_000_000_000, using: &random)))
            var cause = Consumption.Cause.settlement
            switch Int.random(in: 0..<12, using: &random) {
            case 0 where largeLeft > 0:
                largeLeft -= 1
                cost = large
            case 1 where largeNegativeLeft > 0:
                largeNegativeLeft -= 1
                cost = Money(units: 1) - large
                cause = .rerate
            case 2, 3:
                cost = -cost
                cause = .rerate
            default:
                break
            }
            lines.append(
                Consumption(
                    id: "line-\(index)",
                    userID: user,
                    resourceID: resource,
                    resourceType: type,
                    startTime: start,
                    endTime: start.adding(microseconds: duration),
                    rate: .perHour(Money(integer: 2)),
                    cost: cost,
                    cause: cause,
                    createdAt: Self.t0
                )
            )
        }
        return lines
    }

    /// Live resources with open intervals (billed up to various points before now), and some that add nothing: one
    /// deleted, one never started, one billed up to now.
    static func resources(_ random: inout SeededRandomNumberGenerator) -> [Resource] {
        var resources: [Resource] = []
        for index in 0..<12 {
            let user = Self.users[index % Self.users.count]
            let type = Self.types[index % Self.types.count]
            let billedUntil = Self.t0.adding(microseconds: Int64.random(in: 0..<29_000_000_000, using: &random))
            let billing = ResourceBilling(
                startedAt: Self.t0,
                rate: Rate(unitsPerHour: Int128(Int64.random(in: 1...9_000_000_000_000, using: &random))),
                billedUntil: billedUntil,
                accrued: Int128(Int64.random(in: 0...1_000_000_000_000_000_000, using: &random))
            )
            // Some share an id pattern with the consumptions, so that their costs add to the same rows.
            let id = index < 6 ? "\(user)-\(type)-\(index % 3)" : "live-\(index)"
            resources.append(
                Resource(id: id, userID: user, resourceType: type, billing: billing, createdAt: Self.t0)
            )
        }
        resources.append(
            Resource(
                id: "deleted",
                userID: "u1",
                resourceType: "os.nova.server",
                billing: ResourceBilling(
                    startedAt: Self.t0,
                    deletedAt: Self.t0.adding(seconds: 10),
                    rate: .perHour(Money(integer: 1)),
                    billedUntil: Self.t0.adding(seconds: 10)
                ),
                createdAt: Self.t0
            )
        )
        resources.append(Resource(id: "new", userID: "u2", resourceType: "os.nova.server", createdAt: Self.t0))
        resources.append(
            Resource(
                id: "current",
                userID: "u3",
                resourceType: "os.cinder.volume",
                billing: ResourceBilling(startedAt: Self.t0, rate: .perHour(Money(integer: 3)), billedUntil: Self.now),
                createdAt: Self.t0
            )
        )
        return resources
    }

    /// Windows: none, open on either side, empty, ending at now or past it, on line edges, and random.
    static func windows(
        _ lines: [Consumption],
        _ random: inout SeededRandomNumberGenerator
    ) -> [(BillingTime?, BillingTime?)] {
        var windows: [(BillingTime?, BillingTime?)] = [
            (nil, nil),
            (Self.t0.adding(seconds: 7000), nil),
            (nil, Self.t0.adding(seconds: 15_000)),
            (Self.t0.adding(seconds: 4000), Self.t0.adding(seconds: 4000)),
            (Self.t0.adding(seconds: 20_000), Self.now),
            (Self.t0.adding(seconds: 20_000), Self.now.adding(seconds: 5000)),
            (Self.t0.adding(seconds: -60), Self.now.adding(seconds: 60)),
        ]
        for _ in 0..<4 {
            let first = lines[Int.random(in: 0..<lines.count, using: &random)]
            let second = lines[Int.random(in: 0..<lines.count, using: &random)]
            windows.append((min(first.startTime, second.endTime), max(first.startTime, second.endTime)))
            windows.append((first.endTime, nil))
            windows.append((nil, second.startTime))
        }
        for _ in 0..<6 {
            let start = Self.t0.adding(microseconds: Int64.random(in: 0..<30_000_000_000, using: &random))
            windows.append((start, start.adding(microseconds: Int64.random(in: 0..<8_000_000_000, using: &random))))
        }
        return windows
    }

    @Test(arguments: TestDatabase.available)
    func statisticsEqualTheLoadClipAndSumReference(_ database: TestDatabase) async throws {
        var random = SeededRandomNumberGenerator(seed: 0x57A7_1571)
        let lines = try Self.lines(&random)
        let resources = Self.resources(&random)
        let windows = Self.windows(lines, &random)
        try await database.withStore { store in
            try await store.withTransaction { transaction in
                try await transaction.insertConsumptions(lines)
                try await transaction.saveResources(resources)
            }
            let clock = ManualNow(Self.now)
            let engine = Engine(store: store, now: clock.source, logger: TestDatabase.logger)
            for userID in [nil, "u1", "u3", "nobody"] as [String?] {
                for (start, end) in windows {
                    for summary in [false, true] {
                        let query = ListQuery(userID: userID, start: start, end: end)
                        let statistics = try await engine.statistics(query, summary: summary)
                        let expected = try await Self.reference(store, query, summary: summary, now: Self.now)
                        let window = "[\(start.map(\.iso8601) ?? "-"), \(end.map(\.iso8601) ?? "-"))"
                        #expect(statistics == expected, "user \(userID ?? "-"), window \(window), summary \(summary)")
                    }
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLineCrossingAnEdgeIsClippedAndOneInsideCountsInFull(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            func line(_ id: String, _ from: Int64, _ to: Int64, _ cost: String) throws -> Consumption {
                Consumption(
                    id: id,
                    userID: "u1",
                    resourceID: "vm",
                    resourceType: "os.nova.server",
                    startTime: Self.t0.adding(seconds: from),
                    endTime: Self.t0.adding(seconds: to),
                    rate: .perHour(Money(integer: 1)),
                    cost: try Money(parsing: cost),
                    cause: .settlement,
                    createdAt: Self.t0
                )
            }
            try await store.withTransaction { transaction in
                try await transaction.insertConsumptions([
                    try line("a", 0, 100, "1"),  // crosses the start: 50 of its 100 s
                    try line("b", 100, 200, "123456789012345.123456789012"),  // inside: in full
                    try line("c", 200, 200, "0.000000000001"),  // empty, inside: in full
                    try line("d", 250, 450, "-3"),  // crosses the end: 50 of its 200 s
                    try line("e", 300, 300, "5"),  // empty, on the end edge: outside
                ])
            }
            let engine = Engine(store: store, now: ManualNow(Self.now).source, logger: TestDatabase.logger)
            let statistics = try await engine.statistics(
                ListQuery(userID: "u1", start: Self.t0.adding(seconds: 50), end: Self.t0.adding(seconds: 300)),
                summary: true
            )
            // 0.5 + 123456789012345.123456789012 + 0.000000000001 − 0.75.
            #expect(statistics.map(\.cost.description) == ["123456789012344.873456789013"])
            #expect(statistics.map(\.userID) == ["u1"])
            #expect(statistics.map(\.resourceID) == [nil])
        }
    }
}
