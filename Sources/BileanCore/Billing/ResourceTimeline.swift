/// One event in a resource's history, as billing needs it.
package struct TimelineEntry: Sendable, Hashable {
    /// The cloud time.
    package var time: BillingTime
    /// What happened.
    package var action: ResourceEvent.Action
    /// The price after the event (ignored for deletions).
    package var rate: Rate
    /// The message id, the last tie-breaker of the order.
    package var messageID: String

    /// Creates an entry.
    package init(time: BillingTime, action: ResourceEvent.Action, rate: Rate, messageID: String) {
        self.time = time
        self.action = action
        self.rate = rate
        self.messageID = messageID
    }
}

/// A resource's whole history in canonical order, and its billing as if every event had arrived in order.
///
/// Canonical order: cloud time, then create < update < delete at one instant, then message id. Billing starts at
/// the first create or update; each create or update sets the rate from its instant; the first deletion ends
/// billing (a deletion stamped before the start ends it at the start: never a negative interval); events after
/// the deletion change nothing.
package struct ResourceTimeline: Sendable {
    /// The entries in canonical order.
    package let entries: [TimelineEntry]

    /// Sorts entries into canonical order.
    /// - Parameter entries: The entries, in any order.
    package init(_ entries: [TimelineEntry]) {
        self.entries = entries.sorted(by: Self.precedes)
    }

    /// The canonical order: cloud time, then create < update < delete, then message id.
    /// - Returns: Whether `lhs` comes before `rhs`.
    package static func precedes(_ lhs: TimelineEntry, _ rhs: TimelineEntry) -> Bool {
        if lhs.time != rhs.time { return lhs.time < rhs.time }
        if lhs.action != rhs.action { return lhs.action.orderAtSameInstant < rhs.action.orderAtSameInstant }
        return lhs.messageID < rhs.messageID
    }

    /// The rate in force over each stretch of `[first event, until]` that in-order delivery bills: consecutive,
    /// non-empty intervals, ending at the deletion (or `until`).
    /// - Parameter until: The billing point.
    /// - Returns: The intervals, in order.
    package func segments(until: BillingTime) -> [(start: BillingTime, end: BillingTime, rate: Rate)] {
        let pricing = self.entries.filter { $0.action != .delete }
        guard let start = pricing.first?.time else { return [] }
        let end = self.entries.first { $0.action == .delete }.map { max($0.time, start) }
        let cap = min(end ?? until, until)
        var result: [(start: BillingTime, end: BillingTime, rate: Rate)] = []
        for (index, entry) in pricing.enumerated() {
            if let end, entry.time > end { break }
            let next = index + 1 < pricing.count ? min(pricing[index + 1].time, cap) : cap
            if next > entry.time { result.append((entry.time, next, entry.rate)) }
        }
        return result
    }

    /// Replays the history and bills it up to `until`.
    /// - Parameter until: The billing point (at or after every entry's time).
    /// - Returns: The billing state that in-order delivery would have produced.
    package func replay(until: BillingTime) -> ResourceBilling {
        let pricing = self.entries.filter { $0.action != .delete }
        let firstDeletion = self.entries.first { $0.action == .delete }?.time
        guard let start = pricing.first?.time else {
            // Only deletions so far: kept until the creation arrives.
            return ResourceBilling(deletedAt: firstDeletion, billedUntil: until)
        }
        let end = firstDeletion.map { max($0, start) }
        let cap = min(end ?? until, until)
        var accrued: Int128 = 0
        var rate = Rate.zero
        for (index, entry) in pricing.enumerated() {
            if let end, entry.time > end { break }
            rate = entry.rate
            let next = index + 1 < pricing.count ? min(pricing[index + 1].time, cap) : cap
            if next > entry.time {
                accrued += entry.rate.accrual(microseconds: next - entry.time)
            }
        }
        return ResourceBilling(
            startedAt: start,
            deletedAt: end,
            rate: end == nil ? rate : .zero,
            billedUntil: until,
            accrued: accrued
        )
    }
}
