/// A `billing.notify` notification waiting to be published on the bus (the outbox): written in the same
/// transaction as the status change it reports, published by the scheduler, deleted once the broker confirms it.
package struct BillingNotice: Sendable, Hashable {
    /// Why the user is notified.
    package enum Reason: String, Sendable, Hashable, CaseIterable {
        /// The balance will run out within `prior_notify_time` (status WARNING).
        case warning
        /// The balance reached −credit: the user is frozen (status FREEZE).
        case freeze
        /// A recharge brought a frozen user back (status ACTIVE or WARNING).
        case thaw
        /// The second step of a two-step freeze (`[freeze] delete_after`): what the freeze stopped is deleted.
        case freezeDelete = "freeze_delete"
    }

    /// The notice's id: the published message id, so that a consumer can drop a copy published twice.
    package var id: String
    /// The user.
    package var userID: String
    /// Why.
    package var reason: Reason
    /// The instant the notice reports (the job's instant, or the change's).
    package var timestamp: BillingTime
    /// The payload: user id and name, balance, rate, credit, status, expected run-out time.
    package var payload: JSONValue
    /// When it was written.
    package var createdAt: BillingTime

    /// The oslo event type of every notice.
    package static let eventType = "billing.notify"

    /// Creates a notice.
    package init(
        id: String,
        userID: String,
        reason: Reason,
        timestamp: BillingTime,
        payload: JSONValue,
        createdAt: BillingTime
    ) {
        self.id = id
        self.userID = userID
        self.reason = reason
        self.timestamp = timestamp
        self.payload = payload
        self.createdAt = createdAt
    }
}
