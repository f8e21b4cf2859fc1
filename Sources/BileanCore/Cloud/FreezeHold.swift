/// When a freeze waits: billing data is *current* when every listener reported recently, and has been caught up
/// (queue depth and the age of what it holds within the limits) for `settle_time`. While it is not, freezes and
/// their cloud actions are held: a backlog can make a project look overdrawn that in-order delivery would not.
package struct FreezeHold: Sendable, Hashable {
    /// `[freeze] max_listener_lag`, seconds: the oldest delivery a listener may hold, and the longest a listener
    /// may stay silent, for its data to count as current.
    package var maxListenerLagSeconds: Int64 = 60
    /// `[freeze] max_queue_depth`: the most notifications that may wait (in the broker and in the listener).
    package var maxQueueDepth: Int64 = 1000
    /// `[freeze] settle_time`, seconds: how long a listener must have been caught up (a backlog's last messages
    /// billed) before a freeze relies on it.
    package var settleSeconds: Int64 = 5
    /// `[freeze] max_hold`, seconds: after this long, a held freeze sets FREEZE and may stop resources; a deletion
    /// still waits for current data.
    package var maxHoldSeconds: Int64 = 3600
    /// Whether notifications are billed by listeners at all (`[DEFAULT] transport_url` is set): then, until one
    /// has reported, the data is not known to be current (after an upgrade, or with the listener down).
    package var expectsListeners = false

    /// The defaults.
    package init() {}

    /// Whether a listener's report is within the limits (not behind).
    package func isWithinLimits(_ report: ListenerReport) -> Bool {
        report.queueDepth <= self.maxQueueDepth && report.oldestHeldSeconds <= self.maxListenerLagSeconds
    }
}

/// What a notification listener reports with each batch it bills (and every few seconds when idle): how far
/// behind it is.
package struct ListenerReport: Sendable, Hashable {
    /// The listener (`[DEFAULT] host` and its queue).
    package var listener: String
    /// Notifications waiting: ready in the broker's queue, plus received and not yet billed.
    package var queueDepth: Int64
    /// The age, in seconds, of the oldest delivery it holds unbilled (0 when it holds none).
    package var oldestHeldSeconds: Int64

    /// Creates a report.
    package init(listener: String, queueDepth: Int64, oldestHeldSeconds: Int64) {
        self.listener = listener
        self.queueDepth = queueDepth
        self.oldestHeldSeconds = oldestHeldSeconds
    }
}

/// A listener's latest report, as the engine keeps it.
package struct ListenerStatus: Sendable, Hashable {
    /// The listener.
    package var listener: String
    /// When it last reported.
    package var reportedAt: BillingTime
    /// Its latest queue depth.
    package var queueDepth: Int64
    /// The age of the oldest delivery it held, in seconds.
    package var oldestHeldSeconds: Int64
    /// Since when every report has been within the limits (`nil`: behind at its latest report).
    package var caughtUpSince: BillingTime?

    /// Creates a status.
    package init(
        listener: String,
        reportedAt: BillingTime,
        queueDepth: Int64,
        oldestHeldSeconds: Int64,
        caughtUpSince: BillingTime?
    ) {
        self.listener = listener
        self.reportedAt = reportedAt
        self.queueDepth = queueDepth
        self.oldestHeldSeconds = oldestHeldSeconds
        self.caughtUpSince = caughtUpSince
    }
}
