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
        /// Delete what a freeze stopped, `[freeze] delete_after` after it (the two-step freeze).
        case freezeDelete = "freeze_delete"
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
    /// When it was first held for want of current billing data (`nil`: never held).
    package var heldSince: BillingTime?

    /// Creates a job.
    package init(
        userID: String,
        kind: Kind,
        runAt: BillingTime,
        owner: String? = nil,
        leaseUntil: BillingTime? = nil,
        heldSince: BillingTime? = nil
    ) {
        self.userID = userID
        self.kind = kind
        self.runAt = runAt
        self.owner = owner
        self.leaseUntil = leaseUntil
        self.heldSince = heldSince
    }
}

/// What running a claimed job did.
package enum JobOutcome: Sendable, Hashable {
    /// Its effect is committed (a warning sent, a freeze done, or a settlement; or nothing because a change had
    /// already made it moot, e.g. a recharge before the freeze); the user's jobs were rescheduled.
    case fired
    /// The job is gone or has another run time now (a change rescheduled it): nothing was done.
    case stale
    /// Its run time is still in the future: nothing was done.
    case notDue
    /// Another scheduler holds a live lease on it: nothing was done.
    case ownedElsewhere
    /// A freeze (or the deletion step of one) is held: the billing data is not known to be current. The job stays
    /// due and is tried again.
    case held
}

/// How a freeze action ended, for ``JobsService/finishCloudAction(_:outcome:)``.
package enum CloudActionOutcome: Sendable, Hashable {
    /// The cloud answered.
    case completed(CloudActionResult)
    /// The attempt failed.
    case failed(CloudActionError)
}
