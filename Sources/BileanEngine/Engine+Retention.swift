package import BileanCore
import BileanStore
import Logging

/// Retention: `processed_messages` and `rejected_notifications` are pruned past their retentions (`[database]`'s
/// `processed_message_retention` and `rejected_notification_retention`), so that reading the processed ids stays
/// O(batch) however long Bilean runs.
///
/// A prune runs after an ingest has committed, in a transaction of its own, at most once a minute
/// (``pruneIntervalSeconds``). Each deletes at most ``Configuration/pruneLimit`` rows of each table; when it hits
/// that bound, the next ingest prunes again, so that a large first prune goes a bounded statement at a time instead
/// of holding the writer. A prune that fails is logged and tried again a minute later: it never fails the ingest.
extension Engine {
    /// The least interval between two prunes, in seconds, while no table is behind.
    static let pruneIntervalSeconds: Int64 = 60

    /// What one prune deleted.
    package struct PruneReport: Sendable, Hashable {
        /// Processed message ids forgotten.
        package var processedMessages = 0
        /// Rejected notifications deleted.
        package var rejectedNotifications = 0

        /// An empty report.
        package init() {}
    }

    /// Deletes, in one transaction of its own, at most ``Configuration/pruneLimit`` of the oldest processed message
    /// ids and as many rejected notifications that are past their retention at `now`.
    /// - Parameter now: The instant the retentions count back from.
    /// - Returns: How many rows of each table were deleted.
    /// - Throws: ``StoreError`` (or the database's error) if the deletion fails; nothing is deleted then.
    package func pruneExpired(at now: BillingTime) async throws -> PruneReport {
        let limit = self.configuration.pruneLimit
        let processedBefore = now.adding(seconds: -self.configuration.processedMessageRetentionSeconds)
        let rejectedBefore = now.adding(seconds: -self.configuration.rejectedNotificationRetentionSeconds)
        return try await self.store.withTransaction { transaction in
            var report = PruneReport()
            report.processedMessages = try await transaction.deleteProcessedMessages(
                before: processedBefore,
                limit: limit
            )
            report.rejectedNotifications = try await transaction.deleteRejectedNotifications(
                before: rejectedBefore,
                limit: limit
            )
            return report
        }
    }

    /// Prunes if a minute has passed since the last prune (or the last one stopped at its bound); called after an
    /// ingest committed. Never throws: a failure is logged, and the prune is tried again a minute later.
    func pruneIfDue() async {
        let now = self.now()
        guard self.prunes.isDue(at: now, everySeconds: Self.pruneIntervalSeconds) else { return }
        let report: PruneReport
        do {
            report = try await self.pruneExpired(at: now)
        } catch is CancellationError {
            // Shutting down: the batch is committed; the next start prunes.
            return
        } catch {
            self.logger.warning(
                "pruning processed messages and rejected notifications failed; tried again in a minute",
                metadata: ["error": "\(String(reflecting: error))"]
            )
            return
        }
        if report.processedMessages > 0 || report.rejectedNotifications > 0 {
            self.logger.info(
                "pruned processed message ids and rejected notifications past their retention",
                metadata: [
                    "pruned.processed_messages": "\(report.processedMessages)",
                    "pruned.rejected_notifications": "\(report.rejectedNotifications)",
                ]
            )
        }
        let limit = self.configuration.pruneLimit
        if limit > 0, report.processedMessages >= limit || report.rejectedNotifications >= limit {
            // Rows may remain past the retention: the next ingest goes on.
            self.prunes.makeDue()
        }
    }
}
