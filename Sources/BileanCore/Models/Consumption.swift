/// A closed billing interval of one resource, or an adjustment of its earlier intervals.
package struct Consumption: Sendable, Hashable {
    /// Why a consumption was recorded.
    package enum Cause: String, Sendable, Hashable, CaseIterable {
        /// The resource's price changed (resize, retype).
        case update
        /// The resource was deleted.
        case deletion
        /// The user was settled (daily or on demand).
        case settlement
        /// The user was frozen.
        case freeze
        /// A late or out-of-order event re-rated earlier intervals; the cost is the difference (may be negative).
        case rerate
    }

    /// The consumption id (a UUID).
    package var id: String
    /// The user charged.
    package var userID: String
    /// The resource billed.
    package var resourceID: String
    /// Its type.
    package var resourceType: String
    /// The interval's start.
    package var startTime: BillingTime
    /// The interval's end.
    package var endTime: BillingTime
    /// The rate over the interval.
    package var rate: Rate
    /// The cost, rounded once half-even to 12 fractional digits; the balance moved by exactly this.
    package var cost: Money
    /// Why it was recorded.
    package var cause: Cause
    /// When Bilean recorded it.
    package var createdAt: BillingTime
    /// Why, in an operator's words: the reason of the re-rating that recorded it, if one did.
    package var reason: String?
    /// The re-rating (its preview id) that recorded it, if one did.
    package var reratingID: String?
    /// Whether it rests on an estimate: a reconciliation closed a vanished resource at the last time it was seen.
    package var estimated: Bool

    /// Creates a consumption.
    package init(
        id: String,
        userID: String,
        resourceID: String,
        resourceType: String,
        startTime: BillingTime,
        endTime: BillingTime,
        rate: Rate,
        cost: Money,
        cause: Cause,
        createdAt: BillingTime,
        reason: String? = nil,
        reratingID: String? = nil,
        estimated: Bool = false
    ) {
        self.id = id
        self.userID = userID
        self.resourceID = resourceID
        self.resourceType = resourceType
        self.startTime = startTime
        self.endTime = endTime
        self.rate = rate
        self.cost = cost
        self.cause = cause
        self.createdAt = createdAt
        self.reason = reason
        self.reratingID = reratingID
        self.estimated = estimated
    }
}
