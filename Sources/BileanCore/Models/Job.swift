/// A user's timed job, run by the scheduler.
package struct Job: Sendable, Hashable {
    /// What the job does.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Warn that the balance will run out within `prior_notify_time`.
        case notify
        /// Freeze the user: the balance reached −credit.
        case freeze
        /// Settle the user at the configured time of day.
        case daily
    }

    /// The user.
    package var userID: String
    /// What the job does.
    package var kind: Kind
    /// When it is due.
    package var runAt: BillingTime
    /// The scheduler that owns it, if any.
    package var owner: String?
    /// Until when the owner's lease holds.
    package var leaseUntil: BillingTime?

    /// Creates a job.
    package init(userID: String, kind: Kind, runAt: BillingTime, owner: String? = nil, leaseUntil: BillingTime? = nil) {
        self.userID = userID
        self.kind = kind
        self.runAt = runAt
        self.owner = owner
        self.leaseUntil = leaseUntil
    }
}
