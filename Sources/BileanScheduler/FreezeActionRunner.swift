package import BileanCore
import CoreMetrics
package import Logging
package import ServiceLifecycle

/// Carries out the freeze actions (`[freeze] action = stop | delete`) through the cloud's APIs, each recorded as an
/// event; a failed attempt is retried with exponential backoff until `[freeze] max_attempts`.
package final class FreezeActionRunner: Service {
    private let engine: any JobsService
    private let executor: any CloudActionExecutor
    private let configuration: SchedulerConfiguration
    private let logger: Logger
    private let metrics: SchedulerMetrics

    /// Creates the runner.
    package init(
        engine: any JobsService,
        executor: any CloudActionExecutor,
        configuration: SchedulerConfiguration,
        logger: Logger,
        metrics: SchedulerMetrics = SchedulerMetrics()
    ) {
        self.engine = engine
        self.executor = executor
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    if try await self.runDue() == 0 {
                        try? await Task.sleep(for: self.configuration.pollInterval)
                    }
                } catch is CancellationError {
                    break
                } catch {
                    self.logger.error("freeze actions failed", metadata: ["error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .seconds(5))
                }
            }
        }
    }

    /// Attempts every freeze action that is due once.
    /// - Returns: How many were attempted.
    @discardableResult
    package func runDue() async throws -> Int {
        let actions = try await self.engine.claimCloudActions(limit: self.configuration.outboxBatch)
        for action in actions {
            let outcome: CloudActionOutcome
            do {
                outcome = .completed(try await self.executor.perform(action))
            } catch {
                outcome = .failed(error)
            }
            switch outcome {
            case .completed(let result):
                self.metrics.freezeActions(action.kind.rawValue, "done").increment()
                self.logger.info(
                    "freeze action done",
                    metadata: [
                        "user.id": "\(action.userID)", "resource.id": "\(action.resourceID)",
                        "action": "\(action.kind.rawValue)", "result": "\(result)",
                    ]
                )
            case .failed(let error):
                self.metrics.freezeActions(action.kind.rawValue, "failed").increment()
                self.logger.warning(
                    "freeze action failed",
                    metadata: [
                        "user.id": "\(action.userID)", "resource.id": "\(action.resourceID)",
                        "action": "\(action.kind.rawValue)", "attempt": "\(action.attempts + 1)",
                        "retryable": "\(error.isRetryable)", "error": "\(error.message)",
                    ]
                )
            }
            try await self.engine.finishCloudAction(action, outcome: outcome)
        }
        return actions.count
    }
}
