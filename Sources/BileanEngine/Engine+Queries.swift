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

    package func statistics(_ query: ListQuery, summary: Bool) async throws -> [ConsumptionStatistics] {
        if let start = query.start, let end = query.end, end < start {
            throw BileanError.invalid("end_time", "end_time must not be before start_time")
        }
        if let userID = query.userID { try Self.checkID(userID, field: "user_id") }
        let now = self.now()
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
            return totals.map { key, cost in
                ConsumptionStatistics(
                    resourceID: key.resourceID,
                    resourceType: key.resourceType,
                    userID: key.userID,
                    cost: cost
                )
            }.sorted { ($0.resourceType, $0.resourceID ?? "") < ($1.resourceType, $1.resourceID ?? "") }
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
