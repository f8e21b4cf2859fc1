import BileanCore
import BileanStore
import BileanTestSupport
import Testing

/// `consumptionTotals` and `consumptions(userID:crossing:)`, the two reads behind statistics: exact sums grouped in
/// the database, and the lines left to clip. Every test runs on SQLite and on PostgreSQL (skipped locally when
/// `BILEAN_TEST_POSTGRES_URL` is unset; a failure under `CI=true`).
@Suite("Consumption totals")
struct ConsumptionTotalsTests {
    static let t0 = BillingTime(seconds: 1_700_000_000)

    static let users = ["u1", "u2", "u3"]
    static let types = ["os.nova.server", "os.cinder.volume", "os.neutron.floatingip"]

    /// A large cost with 12 decimals: a Double holds about 16 significant digits, so a Double sum of a few of these
    /// (or of these and their near-negatives) is wrong in the last digits.
    static let large = "123456789012345.123456789012"
    /// Almost its negative (a rerate line): the exact sum of the two is 0.000000000001.
    static let largeNegative = "-123456789012345.123456789011"

    /// Seeded random consumptions: several users, types and resources (one resource id shared by two users), costs
    /// with 12 decimals, some negative, some large, some empty intervals and intervals on shared edges.
    static func lines(seed: UInt64) throws -> [Consumption] {
        var random = SeededRandomNumberGenerator(seed: seed)
        var lines: [Consumption] = []
        // At most 6 large lines of each sign: any subset sums to well under Money.maxMagnitude.
        var largeLeft = 6
        var largeNegativeLeft = 6
        for index in 0..<240 {
            let user = Self.users[Int.random(in: 0..<Self.users.count, using: &random)]
            let type = Self.types[Int.random(in: 0..<Self.types.count, using: &random)]
            let shared = Int.random(in: 0..<10, using: &random) == 0
            let number = Int.random(in: 0..<4, using: &random)
            let resource = shared ? "shared" : "r-\(type)-\(number)"
            // Starts on whole minutes half of the time, so that windows meet line edges exactly.
            let startSeconds = Int64.random(in: 0..<20_000, using: &random)
            let startMicroseconds =
                Bool.random(using: &random)
                ? (startSeconds / 60) * 60 * 1_000_000
                : startSeconds * 1_000_000 + Int64.random(in: 0..<1_000_000, using: &random)
            let durationMicroseconds =
                Int.random(in: 0..<12, using: &random) == 0
                ? 0 : Int64.random(in: 1...7_200_000_000, using: &random)
            let start = Self.t0.adding(microseconds: startMicroseconds)
            let end = start.adding(microseconds: durationMicroseconds)
            var cost = Money(units: Int128(Int64.random(in: 0...1_000_000_000_000_000, using: &random)))
            var cause = Consumption.Cause.update
            switch Int.random(in: 0..<10, using: &random) {
            case 0 where largeLeft > 0:
                largeLeft -= 1
                cost = try Money(parsing: Self.large)
            case 1 where largeNegativeLeft > 0:
                largeNegativeLeft -= 1
                cost = try Money(parsing: Self.largeNegative)
                cause = .rerate
            case 2, 3:
                cost = -cost
                cause = .rerate
            default:
                break
            }
            lines.append(
                Consumption(
                    id: "c\(index)",
                    userID: user,
                    resourceID: resource,
                    resourceType: type,
                    startTime: start,
                    endTime: end,
                    rate: .perHour(Money(integer: 1)),
                    cost: cost,
                    cause: cause,
                    createdAt: Self.t0
                )
            )
        }
        return lines
    }

    /// A window, for messages.
    static func describe(_ start: BillingTime?, _ end: BillingTime?) -> String {
        "[\(start.map(\.iso8601) ?? "-"), \(end.map(\.iso8601) ?? "-"))"
    }

    /// Orders lines by start time, then id.
    static func byStartAndID(_ lhs: Consumption, _ rhs: Consumption) -> Bool {
        (lhs.startTime, lhs.id) < (rhs.startTime, rhs.id)
    }

    /// Whether a line overlaps `[start, end)`.
    static func overlaps(_ line: Consumption, _ start: BillingTime?, _ end: BillingTime?) -> Bool {
        (start.map { line.endTime > $0 } ?? true) && (end.map { line.startTime < $0 } ?? true)
    }

    /// Whether a line lies wholly inside `[start, end]`.
    static func isInside(_ line: Consumption, _ start: BillingTime?, _ end: BillingTime?) -> Bool {
        (start.map { line.startTime >= $0 } ?? true) && (end.map { line.endTime <= $0 } ?? true)
    }

    /// The totals computed in plain Swift over the lines, filtered and grouped as the store does.
    static func expectedTotals(
        _ lines: [Consumption],
        userID: String?,
        _ start: BillingTime?,
        _ end: BillingTime?,
        byResource: Bool,
        byUser: Bool
    ) -> Set<ConsumptionStatistics> {
        struct Key: Hashable {
            var resourceID: String?
            var resourceType: String
            var userID: String?
        }
        var sums: [Key: Int128] = [:]
        for line in lines where userID.map({ line.userID == $0 }) ?? true {
            guard Self.overlaps(line, start, end), Self.isInside(line, start, end) else { continue }
            let key = Key(
                resourceID: byResource ? line.resourceID : nil,
                resourceType: line.resourceType,
                userID: byUser ? line.userID : nil
            )
            sums[key, default: 0] += line.cost.units
        }
        return Set(
            sums.map { key, units in
                ConsumptionStatistics(
                    resourceID: key.resourceID,
                    resourceType: key.resourceType,
                    userID: key.userID,
                    cost: Money(units: units)
                )
            }
        )
    }

    /// The windows tried: none, open on either side, empty, on line edges, and random.
    static func windows(_ lines: [Consumption], seed: UInt64) -> [(BillingTime?, BillingTime?)] {
        var random = SeededRandomNumberGenerator(seed: seed)
        var windows: [(BillingTime?, BillingTime?)] = [
            (nil, nil),
            (Self.t0.adding(seconds: 5000), nil),
            (nil, Self.t0.adding(seconds: 12_000)),
            (Self.t0.adding(seconds: 3000), Self.t0.adding(seconds: 9000)),
            (Self.t0.adding(seconds: 3000), Self.t0.adding(seconds: 3000)),
            (Self.t0.adding(seconds: -100), Self.t0.adding(seconds: 40_000)),
        ]
        for _ in 0..<4 {
            // Edges taken from the lines themselves.
            let first = lines[Int.random(in: 0..<lines.count, using: &random)]
            let second = lines[Int.random(in: 0..<lines.count, using: &random)]
            windows.append((min(first.startTime, second.endTime), max(first.startTime, second.endTime)))
            windows.append((first.endTime, nil))
            windows.append((nil, second.startTime))
        }
        for _ in 0..<4 {
            let start = Self.t0.adding(microseconds: Int64.random(in: 0..<20_000_000_000, using: &random))
            let length = Int64.random(in: 0..<10_000_000_000, using: &random)
            windows.append((start, start.adding(microseconds: length)))
        }
        return windows
    }

    @Test(arguments: TestDatabase.available)
    func totalsAreExactAndGroupedAsAskedForEveryWindow(_ database: TestDatabase) async throws {
        let lines = try Self.lines(seed: 0x5EED_0001)
        let windows = Self.windows(lines, seed: 0x5EED_0002)
        try await database.withStore { store in
            try await store.withTransaction { try await $0.insertConsumptions(lines) }
            for userID in [nil, "u1", "u3", "nobody"] as [String?] {
                for (start, end) in windows {
                    for byResource in [false, true] {
                        for byUser in [false, true] {
                            let totals = try await store.withReadTransaction { transaction in
                                try await transaction.consumptionTotals(
                                    userID: userID,
                                    inside: start,
                                    end,
                                    byResource: byResource,
                                    byUser: byUser
                                )
                            }
                            let expected = Self.expectedTotals(
                                lines,
                                userID: userID,
                                start,
                                end,
                                byResource: byResource,
                                byUser: byUser
                            )
                            let context =
                                "user \(userID ?? "-"), window \(Self.describe(start, end)), "
                                + "byResource \(byResource), byUser \(byUser)"
                            #expect(totals.count == expected.count, "\(context)")
                            #expect(Set(totals) == expected, "\(context)")
                        }
                    }
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func crossingLinesAreTheOverlappingOnesNotWhollyInside(_ database: TestDatabase) async throws {
        let lines = try Self.lines(seed: 0x5EED_0003)
        let windows = Self.windows(lines, seed: 0x5EED_0004)
        try await database.withStore { store in
            try await store.withTransaction { try await $0.insertConsumptions(lines) }
            for userID in [nil, "u2"] as [String?] {
                for (start, end) in windows {
                    let (crossing, overlapping) = try await store.withReadTransaction { transaction in
                        let crossed = try await transaction.consumptions(userID: userID, crossing: start, end)
                        let overlapped = try await transaction.consumptions(userID: userID, overlapping: start, end)
                        return (crossed, overlapped)
                    }
                    let expected =
                        lines
                        .filter { line in
                            (userID.map { line.userID == $0 } ?? true) && Self.overlaps(line, start, end)
                                && !Self.isInside(line, start, end)
                        }
                        .sorted(by: Self.byStartAndID)
                    let context = "user \(userID ?? "-"), window \(Self.describe(start, end))"
                    // By start time (ties between ids are left to the database's collation).
                    let byStart = zip(crossing, crossing.dropFirst()).allSatisfy { $0.startTime <= $1.startTime }
                    #expect(byStart, "\(context)")
                    #expect(crossing.sorted(by: Self.byStartAndID) == expected, "\(context)")
                    // Crossing lines and the lines the totals sum partition the overlapping ones.
                    let insideIDs = Set(
                        overlapping.filter { Self.isInside($0, start, end) }.map(\.id)
                    )
                    #expect(Set(crossing.map(\.id)).isDisjoint(with: insideIDs), "\(context)")
                    #expect(crossing.count + insideIDs.count == overlapping.count, "\(context)")
                    if start == nil && end == nil { #expect(crossing.isEmpty) }
                }
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func largeCostsSumExactlyWhereADoubleWouldNot(_ database: TestDatabase) async throws {
        let large = try Money(parsing: Self.large)
        let negative = try Money(parsing: Self.largeNegative)
        // Seven large lines and six near-negatives of them on one resource, plus the smallest unit.
        var lines: [Consumption] = []
        for index in 0..<14 {
            let cost = index == 13 ? Money(units: 1) : (index.isMultiple(of: 2) ? large : negative)
            lines.append(
                Consumption(
                    id: "big-\(index)",
                    userID: "u1",
                    resourceID: "vm",
                    resourceType: "os.nova.server",
                    startTime: Self.t0.adding(seconds: Int64(index) * 60),
                    endTime: Self.t0.adding(seconds: Int64(index + 1) * 60),
                    rate: .perHour(Money(integer: 1)),
                    cost: cost,
                    cause: index.isMultiple(of: 2) ? .update : .rerate,
                    createdAt: Self.t0
                )
            )
        }
        let exact = lines.reduce(Money.zero) { $0 + $1.cost }
        // 7 × large − 6 × (large − 0.000000000001) + 0.000000000001.
        #expect(exact == large + Money(units: 7))
        try await database.withStore { store in
            try await store.withTransaction { try await $0.insertConsumptions(lines) }
            let totals = try await store.withReadTransaction { transaction in
                try await transaction.consumptionTotals(
                    userID: nil,
                    inside: nil,
                    nil,
                    byResource: false,
                    byUser: false
                )
            }
            let expected = ConsumptionStatistics(
                resourceID: nil,
                resourceType: "os.nova.server",
                userID: nil,
                cost: exact
            )
            #expect(totals == [expected])
            #expect(totals.first?.cost.description == "123456789012345.123456789019")
        }
    }
}
