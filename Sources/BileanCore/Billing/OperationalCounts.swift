/// What the scheduler's gauges show: users by status, and what waits in the `billing.notify` outbox and among the
/// freeze actions. Counts only: no tenant data.
package struct OperationalCounts: Sendable, Hashable {
    /// Users not deleted, by status (every status present, zero included).
    package var usersByStatus: [UserStatus: Int64]
    /// Notices waiting to be published on `billing.notify`.
    package var pendingNotices: Int64
    /// Freeze actions (and restarts) not yet done or given up.
    package var pendingCloudActions: Int64

    /// Counts.
    package init(usersByStatus: [UserStatus: Int64] = [:], pendingNotices: Int64 = 0, pendingCloudActions: Int64 = 0) {
        var users: [UserStatus: Int64] = [:]
        for status in UserStatus.allCases { users[status] = usersByStatus[status] ?? 0 }
        self.usersByStatus = users
        self.pendingNotices = pendingNotices
        self.pendingCloudActions = pendingCloudActions
    }
}
