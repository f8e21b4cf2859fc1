import BileanCore
import Synchronization

/// When the stored RPC results were last purged: at most one purge per interval, by whichever request comes first.
final class PurgeSchedule: Sendable {
    private let last = Mutex<BillingTime?>(nil)

    /// Whether a purge is due at `now` (the last one was at least `interval` ago); if so, it counts as done now.
    func isDue(at now: BillingTime, every interval: Duration) -> Bool {
        let microseconds =
            Int64(interval.components.seconds) * 1_000_000 + interval.components.attoseconds / 1_000_000_000_000
        return self.last.withLock { last in
            if let previous = last, now.microseconds - previous.microseconds < microseconds { return false }
            last = now
            return true
        }
    }
}
