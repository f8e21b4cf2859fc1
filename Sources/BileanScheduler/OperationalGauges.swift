package import BileanCore
package import Logging
package import ServiceLifecycle

/// Refreshes the scheduler's gauges from the database: users by status, the `billing.notify` outbox depth and
/// the pending freeze actions (one read of counts every ``interval``; nothing per event).
package struct OperationalGauges: Service {
    let engine: any JobsService
    let metrics: SchedulerMetrics
    let interval: Duration
    let logger: Logger

    /// How often the gauges are refreshed by default.
    package static let interval = Duration.seconds(15)

    /// Creates the refresher.
    package init(
        engine: any JobsService,
        metrics: SchedulerMetrics,
        interval: Duration = Self.interval,
        logger: Logger
    ) {
        self.engine = engine
        self.metrics = metrics
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.refresh()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    /// Reads the counts once and sets the gauges; a failure is logged (the gauges keep their last values).
    package func refresh() async {
        do {
            self.metrics.record(try await self.engine.operationalCounts())
        } catch is CancellationError {
        } catch {
            self.logger.warning("cannot refresh the gauges", metadata: ["error": "\(String(reflecting: error))"])
        }
    }
}
