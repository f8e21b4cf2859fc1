package import BileanCore
import Synchronization

/// A "now" that tests set by hand, so that no test sleeps to wait for time to pass.
package final class ManualNow: Sendable {
    private let value: Mutex<BillingTime>

    /// Creates a clock at an instant.
    /// - Parameter start: The initial instant.
    package init(_ start: BillingTime) {
        self.value = Mutex(start)
    }

    /// The current instant.
    package var now: BillingTime {
        self.value.withLock { $0 }
    }

    /// Sets the current instant.
    /// - Parameter instant: The new instant.
    package func set(_ instant: BillingTime) {
        self.value.withLock { $0 = instant }
    }

    /// Moves the clock forward.
    /// - Parameter seconds: How far.
    package func advance(seconds: Int64) {
        self.value.withLock { $0 = $0.adding(seconds: seconds) }
    }

    /// A closure reading this clock, for `Engine(now:)`.
    package var source: @Sendable () -> BillingTime {
        { self.now }
    }
}
