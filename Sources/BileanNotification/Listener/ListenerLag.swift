package import BileanCore
import Foundation
import Synchronization

/// How far behind the listener is, for the reports a freeze depends on (``ListenerReport``): the deliveries it
/// holds unbilled (received, not yet committed), the ones buffered on its connection, and the broker's ready count.
package final class ListenerLag: Sendable {
    private struct Batch {
        var id: Int
        var receivedAt: BillingTime
        var count: Int
    }

    private struct State {
        var batches: [Batch] = []
        var nextID = 0
        /// Deliveries received on the connection and not yet taken into a batch.
        var buffered = 0
        /// The broker's ready count at the last probe (`nil`: unknown, no connection).
        var ready: UInt32?
        /// When the last report was made.
        var lastReport: ContinuousClock.Instant?
    }

    private let state = Mutex(State())
    /// The listener's name in the reports.
    package let listener: String

    /// Creates a tracker.
    package init(listener: String) {
        self.listener = listener
    }

    /// A batch was received (and `buffered` more wait on the connection).
    /// - Returns: The batch's id, for ``finished(_:)``.
    package func received(_ count: Int, buffered: Int, at time: BillingTime) -> Int {
        self.state.withLock { state in
            defer { state.nextID += 1 }
            state.batches.append(Batch(id: state.nextID, receivedAt: time, count: count))
            state.buffered = buffered
            return state.nextID
        }
    }

    /// The broker's ready count, as probed.
    package func probed(ready: UInt32?) {
        self.state.withLock { $0.ready = ready }
    }

    /// A batch is billed (or given back to the broker).
    package func finished(_ id: Int) {
        self.state.withLock { state in state.batches.removeAll { $0.id == id } }
    }

    /// The report to record now, once the batch `committing` (if any) commits: what then still waits.
    package func report(excluding committing: Int?, at now: BillingTime) -> ListenerReport {
        self.state.withLock { state in
            state.lastReport = .now
            let others = state.batches.filter { $0.id != committing }
            let held = others.reduce(0) { $0 + $1.count }
            let oldest = others.map(\.receivedAt).min()
            // Unknown while there is no connection: counted as behind (the depth is not known to be small).
            let depth = state.ready.map { Int64($0) + Int64(state.buffered) + Int64(held) } ?? Int64.max
            let age = oldest.map { max(0, (now.microseconds - $0.microseconds) / 1_000_000) } ?? 0
            return ListenerReport(listener: self.listener, queueDepth: depth, oldestHeldSeconds: age)
        }
    }

    /// Whether no report was made for `interval` (the idle heartbeat is due).
    package func isReportDue(every interval: Duration) -> Bool {
        self.state.withLock { state in
            guard let last = state.lastReport else { return true }
            return ContinuousClock.now - last >= interval
        }
    }
}
