package import BileanCore
import BileanEngine
import BileanOpenStack
import BileanScheduler
import Foundation
package import Logging

extension BileanServer {
    /// `bilean-server reconcile`: one inventory reconciliation pass over the configured database, with the service
    /// credentials of `[keystone_authtoken]` (`[reconciliation] repair` says whether it repairs).
    /// - Returns: The run as recorded.
    /// - Throws: ``StartupError`` without service credentials; a store or engine error.
    package static func reconcileOnce(
        configuration: BileanConfiguration,
        logger: Logger
    ) async throws
        -> ReconciliationRun
    {
        let credentials = try Self.serviceCredentials(
            configuration,
            interface: configuration.reconciliationInterface,
            neededBy: "bilean-server reconcile"
        )
        return try await Self.withEngine(configuration: configuration, logger: logger) { engine in
            try await Reconciler(
                inventory: OpenStackInventory(credentials: credentials, logger: logger),
                engine: engine,
                repair: configuration.reconciliationRepair,
                logger: logger,
                now: { BillingTime(date: Date()) },
                newID: { RandomID.timeOrdered() }
            ).run()
        }
    }
}
