package import BileanCore
import BileanStore
import Logging

extension Engine {
    package func listEvents(_ query: ListQuery) async throws -> [Event] {
        let query = try self.validated(query, .events)
        return try await self.transaction("list events", readOnly: true) { transaction in
            try await transaction.events(query)
        }
    }

    package func listRecharges(_ query: ListQuery) async throws -> [Recharge] {
        let query = try self.validated(query, .recharges)
        return try await self.transaction("list recharges", readOnly: true) { transaction in
            try await transaction.recharges(query)
        }
    }

    package func listConsumptions(_ query: ListQuery) async throws -> [Consumption] {
        let query = try self.validated(query, .consumptions)
        return try await self.transaction("list consumptions", readOnly: true) { transaction in
            try await transaction.consumptions(query)
        }
    }

    /// `GET /v1/consumptions/statistics`: the cost of each resource (or, with `summary`, of each resource type) in
    /// the window, consumptions clipped to it in proportion to time, and the still-open intervals of live resources
    /// up to now.
    ///
    /// The consumptions wholly inside the window are summed exactly by the database; only the few that cross one of
    /// its edges are loaded, to be clipped.
    package func statistics(_ query: ListQuery, summary: Bool) async throws -> [ConsumptionStatistics] {
        if let start = query.start, let end = query.end, end < start {
            throw BileanError.invalid("end_time", "end_time must not be before start_time")
        }
        if let userID = query.userID { try Self.checkID(userID, field: "user_id") }
        let now = self.now()
        return try await self.transaction("consumption statistics", readOnly: true) { transaction in
            let live = try await transaction.liveResources(userID: query.userID)
            let totals = try await Self.windowTotals(
                in: transaction,
                userID: query.userID,
                query.start,
                query.end,
                summary: summary,
                live: live,
                now: now
            )
            return Self.rows(totals, day: nil)
        }
    }

    /// `GET /v1/consumptions/statistics?interval=day`: ``statistics(_:summary:)`` for each UTC day of the window
    /// (``StatisticsDays``), all read in one transaction at one instant, so that the days add up to one state.
    package func dailyStatistics(_ query: ListQuery, summary: Bool) async throws -> [ConsumptionStatistics] {
        let days = try StatisticsDays(query)
        if let userID = query.userID { try Self.checkID(userID, field: "user_id") }
        let now = self.now()
        return try await self.transaction("daily consumption statistics", readOnly: true) { transaction in
            let live = try await transaction.liveResources(userID: query.userID)
            var rows: [ConsumptionStatistics] = []
            for day in days.days {
                let totals = try await Self.windowTotals(
                    in: transaction,
                    userID: query.userID,
                    day.start,
                    day.end,
                    summary: summary,
                    live: live,
                    now: now
                )
                rows += Self.rows(totals, day: day.day)
            }
            return rows
        }
    }

    /// The costs of one window, by resource (or by type with `summary`) and user.
    /// - Parameters:
    ///   - transaction: Where to read.
    ///   - userID: One user, or every user.
    ///   - windowStart: The window's start, if bounded.
    ///   - windowEnd: Its end, excluded, if bounded.
    ///   - summary: Per resource type rather than per resource.
    ///   - live: The live resources of `userID`, whose open intervals count up to `now`.
    ///   - now: The instant of the reading.
    /// - Returns: The cost of each key.
    static func windowTotals(
        in transaction: any StoreTransaction,
        userID: String?,
        _ windowStart: BillingTime?,
        _ windowEnd: BillingTime?,
        summary: Bool,
        live: [Resource],
        now: BillingTime
    ) async throws -> [StatisticsKey: Money] {
        // The key's user is dropped only in a summary over every user (see `add`); the database groups alike.
        let byUser = userID != nil || !summary
        var totals: [StatisticsKey: Money] = [:]
        func add(_ cost: Money, resourceID: String, resourceType: String, owner: String) {
            let key = StatisticsKey(
                resourceID: summary ? nil : resourceID,
                resourceType: resourceType,
                userID: byUser ? owner : nil
            )
            totals[key, default: .zero] += cost
        }
        // Consumptions wholly inside the window count in full: summed exactly in the database, already grouped
        // by the keys' columns.
        let inside = try await transaction.consumptionTotals(
            userID: userID,
            inside: windowStart,
            windowEnd,
            byResource: !summary,
            byUser: byUser
        )
        for total in inside {
            let key = StatisticsKey(
                resourceID: total.resourceID,
                resourceType: total.resourceType,
                userID: total.userID
            )
            totals[key, default: .zero] += total.cost
        }
        // Consumptions that cross an edge of the window count in proportion to time.
        let crossing = try await transaction.consumptions(userID: userID, crossing: windowStart, windowEnd)
        for consumption in crossing {
            let cost = Self.clip(
                consumption.cost,
                from: consumption.startTime,
                to: consumption.endTime,
                window: windowStart,
                windowEnd
            )
            add(
                cost,
                resourceID: consumption.resourceID,
                resourceType: consumption.resourceType,
                owner: consumption.userID
            )
        }
        // Still-open intervals, up to now, clipped to the window.
        for resource in live {
            let billing = resource.billing
            guard billing.isActive, let billedUntil = billing.billedUntil, now > billedUntil else { continue }
            let start = max(billedUntil, windowStart ?? billedUntil)
            let end = min(now, windowEnd ?? now)
            guard end > start else { continue }
            // The whole open interval costs exactly what the balance shows; a clipped part is in proportion.
            let cost =
                start == billedUntil && end == now
                ? billing.openCost(at: now)
                : Money(
                    units: Money.roundedQuotient(
                        billing.rate.accrual(microseconds: end - start),
                        Rate.accrualDenominator
                    )
                )
            add(cost, resourceID: resource.id, resourceType: resource.resourceType, owner: resource.userID)
        }
        return totals
    }

    /// The rows of one window's totals, by type and resource; the user breaks ties (one resource seen under several
    /// users), so that the order does not depend on the dictionary's.
    static func rows(_ totals: [StatisticsKey: Money], day: BillingTime?) -> [ConsumptionStatistics] {
        func order(_ row: ConsumptionStatistics) -> (String, String, String) {
            (row.resourceType, row.resourceID ?? "", row.userID ?? "")
        }
        return totals.map { key, cost in
            ConsumptionStatistics(
                resourceID: key.resourceID,
                resourceType: key.resourceType,
                userID: key.userID,
                cost: cost,
                day: day
            )
        }.sorted { order($0) < order($1) }
    }

    /// The part of a cost that falls in a window, in proportion to time (rounded half-even).
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

    struct StatisticsKey: Hashable {
        var resourceID: String?
        var resourceType: String
        var userID: String?
    }
}
