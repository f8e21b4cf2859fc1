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
        // The key's user is dropped only in a summary over every user (see `add`); the database groups alike.
        let byUser = query.userID != nil || !summary
        return try await self.transaction("consumption statistics", readOnly: true) { transaction in
            var totals: [StatisticsKey: Money] = [:]
            func add(_ cost: Money, resourceID: String, resourceType: String, userID: String) {
                let key = StatisticsKey(
                    resourceID: summary ? nil : resourceID,
                    resourceType: resourceType,
                    userID: query.userID == nil && summary ? nil : userID
                )
                totals[key, default: .zero] += cost
            }
            // Consumptions wholly inside the window count in full: summed exactly in the database, already grouped
            // by the keys' columns.
            let inside = try await transaction.consumptionTotals(
                userID: query.userID,
                inside: query.start,
                query.end,
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
            let crossing = try await transaction.consumptions(userID: query.userID, crossing: query.start, query.end)
            for consumption in crossing {
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
            // Still-open intervals, up to now, clipped to the window.
            for resource in try await transaction.liveResources(userID: query.userID) {
                let billing = resource.billing
                guard billing.isActive, let billedUntil = billing.billedUntil, now > billedUntil else { continue }
                let start = max(billedUntil, query.start ?? billedUntil)
                let end = min(now, query.end ?? now)
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
                add(cost, resourceID: resource.id, resourceType: resource.resourceType, userID: resource.userID)
            }
            // By type and resource; the user breaks ties (one resource seen under several users), so that the
            // order does not depend on the dictionary's.
            func order(_ row: ConsumptionStatistics) -> (String, String, String) {
                (row.resourceType, row.resourceID ?? "", row.userID ?? "")
            }
            return totals.map { key, cost in
                ConsumptionStatistics(
                    resourceID: key.resourceID,
                    resourceType: key.resourceType,
                    userID: key.userID,
                    cost: cost
                )
            }.sorted { order($0) < order($1) }
        }
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
