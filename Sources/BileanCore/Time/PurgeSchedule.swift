import Synchronization

/// When stored rows past their retention were last purged: at most one purge per interval, by whichever caller
/// comes first (the RPC results of an engine's `accounts` endpoint; an engine's processed messages and rejected
/// notifications).
package final class PurgeSchedule: Sendable {
    private let last = Mutex<BillingTime?>(nil)

    /// A schedule whose first purge is due at once.
    package init() {}

    /// Whether a purge is due at `now` (the last one was at least `seconds` ago, or none ran yet); if so, it counts
    /// as done now, so that concurrent callers do not purge together.
    /// - Parameters:
    ///   - now: The current instant.
    ///   - seconds: The least interval between two purges.
    /// - Returns: `true` if the caller should purge now.
    package func isDue(at now: BillingTime, everySeconds seconds: Int64) -> Bool {
        self.last.withLock { last in
            if let previous = last, previous.adding(seconds: seconds) > now { return false }
            last = now
            return true
        }
    }

    /// Makes the next purge due at once (the last one stopped at its bound with rows left to delete).
    package func makeDue() {
        self.last.withLock { $0 = nil }
    }
}
