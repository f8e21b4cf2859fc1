package import BileanCore
import Synchronization

/// What the notification listener has done since it started; read by the log line at stop and by the benchmark.
package final class ListenerStatistics: Sendable {
    /// A snapshot.
    package struct Snapshot: Sendable, Hashable {
        /// Messages delivered (redeliveries included).
        package var deliveries = 0
        /// Messages whose facts were billed.
        package var billed = 0
        /// Messages ignored by design (no definition, or no action).
        package var ignored = 0
        /// Messages whose id had been processed before.
        package var duplicates = 0
        /// Messages set aside.
        package var rejected = 0
        /// Transactions committed.
        package var commits = 0
        /// Failed commit attempts (each retried).
        package var failedCommits = 0
        /// When the first message was delivered.
        package var firstDelivery: BillingTime?
        /// When the last transaction committed (or the last batch was found to need none).
        package var lastCommit: BillingTime?
    }

    private let state = Mutex(Snapshot())

    /// Creates empty statistics.
    package init() {}

    /// The current figures.
    package var snapshot: Snapshot { self.state.withLock { $0 } }

    func update(_ body: (inout Snapshot) -> Void) {
        self.state.withLock { body(&$0) }
    }
}
