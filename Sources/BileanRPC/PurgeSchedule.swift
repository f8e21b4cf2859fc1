import BileanCore
import Synchronization

/// When the stored RPC results were last purged: at most one purge per interval, by whichever request comes first.
final class PurgeSchedule: Sendable {
    private let last = Mutex<BillingTime?>(nil)

    /// Whether a purge is due at `now` (the last one was at least `seconds` ago); if so, it counts as done now.
    func isDue(at now: BillingTime, everySeconds seconds: Int64) -> Bool {
        self.last.withLock { last in
            if let previous = last, previous.adding(seconds: seconds) > now { return false }
            last = now
            return true
        }
    }
}
