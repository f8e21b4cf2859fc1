package import BileanCore
package import Logging
package import ServiceLifecycle

/// `[reconciliation] interval`: runs a ``Reconciler`` pass that often, in one scheduler of several at a time (a
/// lease in the database, ``JobsService/claimReconciliation(owner:every:leaseSeconds:)``); a pass whose scheduler
/// died is taken over once its lease has expired.
package final class ReconciliationService: Service {
    private let reconciler: Reconciler
    private let engine: any JobsService
    private let owner: String
    private let interval: Int
    private let logger: Logger

    /// Creates the service.
    /// - Parameters:
    ///   - reconciler: One pass.
    ///   - engine: The billing engine (the lease).
    ///   - owner: This scheduler's name.
    ///   - interval: Seconds between two passes.
    ///   - logger: The logger.
    package init(reconciler: Reconciler, engine: any JobsService, owner: String, interval: Int, logger: Logger) {
        self.reconciler = reconciler
        self.engine = engine
        self.owner = owner
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let claimed = try await self.engine.claimReconciliation(
                        owner: self.owner,
                        every: Int64(self.interval),
                        leaseSeconds: Int64(self.interval)
                    )
                    if claimed { _ = try await self.reconciler.run() }
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.error("reconciliation failed", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(min(self.interval, 60)))
            }
        }
    }
}
