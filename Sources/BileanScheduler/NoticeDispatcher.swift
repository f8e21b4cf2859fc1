package import BileanCore
package import BileanMessaging
package import Logging
package import ServiceLifecycle

/// Publishes the `billing.notify` outbox: each notice the engine wrote with a status change is sent (confirmed by
/// the broker) and then deleted. Delivery is at least once: a crash between the confirmation and the deletion sends
/// the notice again, with the same message id.
package final class NoticeDispatcher: Service {
    private let engine: any JobsService
    private let sender: any BillingNoticeSender
    private let configuration: SchedulerConfiguration
    private let logger: Logger

    /// Creates the dispatcher.
    package init(
        engine: any JobsService,
        sender: any BillingNoticeSender,
        configuration: SchedulerConfiguration,
        logger: Logger
    ) {
        self.engine = engine
        self.sender = sender
        self.configuration = configuration
        self.logger = logger
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            var failures = 0
            while !Task.isCancelled {
                do {
                    let sent = try await self.dispatch()
                    failures = 0
                    if sent == 0 { try? await Task.sleep(for: self.configuration.pollInterval) }
                } catch is CancellationError {
                    break
                } catch {
                    failures += 1
                    self.logger.warning(
                        "could not publish billing.notify; trying again",
                        metadata: ["error": "\(String(reflecting: error))", "failures": "\(failures)"]
                    )
                    try? await Task.sleep(for: .seconds(min(1 << min(failures, 5), 30)))
                }
            }
        }
    }

    /// Sends the waiting notices, oldest first, deleting each batch once sent.
    /// - Returns: How many were sent.
    @discardableResult
    package func dispatch() async throws -> Int {
        var total = 0
        while true {
            let notices = try await self.engine.pendingNotices(limit: self.configuration.outboxBatch)
            guard !notices.isEmpty else { return total }
            var sent: [String] = []
            do {
                for notice in notices {
                    try await self.sender.send(notice)
                    sent.append(notice.id)
                }
            } catch {
                try? await self.engine.deleteNotices(sent)
                try? await self.engine.releaseNotices(notices.map(\.id).filter { !sent.contains($0) })
                throw error
            }
            try await self.engine.deleteNotices(sent)
            total += sent.count
            self.logger.debug("published billing.notify", metadata: ["count": "\(sent.count)"])
        }
    }
}
