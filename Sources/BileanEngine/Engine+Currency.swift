package import BileanCore
import BileanStore
import Logging

/// Whether the billing data is current enough for a freeze to rely on (see ``FreezeHold``).
package enum DataCurrency: Sendable, Hashable {
    /// Every listener reported recently and has been caught up for `settle_time` (or none ever reported).
    case current
    /// A listener is behind or silent: why.
    case behind(String)

    /// Whether the data is current.
    package var isCurrent: Bool { self == .current }
}

extension Engine {
    /// Whether the billing data is current at `now`, from the listeners' latest reports.
    ///
    /// Until a listener has reported, the data is not current when listeners are expected (`transport_url` set).
    /// A listener writes a "behind" report as it starts and as it stops; one that crashed or lost the database
    /// keeps its last report and counts as behind once it has been silent for `max_listener_lag` (a retired one is
    /// forgotten with `bilean-server --forget-listener NAME`).
    func dataCurrency(at now: BillingTime, in transaction: any StoreTransaction) async throws -> DataCurrency {
        let hold = self.configuration.freezeHold
        let statuses = try await transaction.listenerStatuses()
        if statuses.isEmpty && hold.expectsListeners {
            return .behind("no notification listener has reported yet")
        }
        for status in statuses {
            let silent = now.microseconds - status.reportedAt.microseconds
            if silent > hold.maxListenerLagSeconds * 1_000_000 {
                return .behind("listener \(status.listener) has not reported for \(silent / 1_000_000) s")
            }
            guard let since = status.caughtUpSince else {
                return .behind(
                    "listener \(status.listener) is behind: \(status.queueDepth) notifications waiting, "
                        + "the oldest held for \(status.oldestHeldSeconds) s"
                )
            }
            let settled = now.microseconds - since.microseconds
            if settled < hold.settleSeconds * 1_000_000 {
                return .behind(
                    "listener \(status.listener) caught up \(settled / 1000) ms ago (settle_time \(hold.settleSeconds) s)"
                )
            }
        }
        return .current
    }

    /// A cheap read: whether the database answers.
    package func probe() async throws {
        try await self.transaction("probe") { transaction in _ = try await transaction.listenerStatuses() }
    }

    /// Records a listener's report on its own (an idle listener's heartbeat).
    package func reportListener(_ report: ListenerReport) async throws {
        let now = self.now()
        let within = self.configuration.freezeHold.isWithinLimits(report)
        try await self.transaction("record listener report") { transaction in
            try await transaction.recordListenerReport(report, at: now, withinLimits: within)
        }
    }

    /// The listeners' latest reports, and whether the billing data is current now.
    package func listenerStatuses() async throws -> (statuses: [ListenerStatus], currency: DataCurrency) {
        let now = self.now()
        return try await self.transaction("read listener status") { transaction in
            (try await transaction.listenerStatuses(), try await self.dataCurrency(at: now, in: transaction))
        }
    }

    /// Forgets a retired listener, whose silence would otherwise hold every freeze.
    /// - Returns: Whether it was known.
    package func forgetListener(_ listener: String) async throws -> Bool {
        try await self.transaction("forget listener") { transaction in
            try await transaction.deleteListenerStatus(listener)
        }
    }
}
