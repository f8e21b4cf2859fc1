package import BileanCore
package import BileanStore
package import CoreMetrics
import Foundation
package import Logging

/// The billing engine: every operation of the REST API, each one store transaction.
///
/// The engine owns no state of its own: several engines may run over one PostgreSQL database, serialising per
/// user through row locks.
package struct Engine: BillingEngine {
    /// The engine's settings, with the defaults of BILEAN.md.
    package struct Configuration: Sendable {
        /// Warn this many seconds before the balance runs out (`[scheduler] prior_notify_time`, 3 hours).
        package var priorNotifySeconds: Int64 = 3 * 3600
        /// The credit of a new user.
        package var defaultCredit: Money = .zero
        /// When each billing user is settled every day (`[scheduler] daily_settlement_time`, midnight UTC);
        /// `nil`: never.
        package var dailySettlement: TimeOfDay? = .midnight
        /// What a freeze does to each type of the user's resources in the cloud (`[freeze] action`, `actions`).
        package var freezeActions = FreezeActions()
        /// `[freeze] action` alone: the action for every type that supports it.
        package var freezeAction: CloudAction.Kind? {
            get { self.freezeActions.defaultKind }
            set { self.freezeActions.defaultKind = newValue }
        }
        /// `[freeze] delete_after`, seconds: after a freeze that stopped resources, delete them this long after
        /// (a recharge before then thaws and cancels it); 0: never.
        package var freezeDeleteAfterSeconds: Int64 = 0
        /// `[freeze] restart_on_thaw`: a thaw starts again the servers the freeze stopped.
        package var restartOnThaw = false
        /// `[freeze] grace_period`, seconds: how long a user stays WARNING, billed, once overdrawn, before the freeze.
        package var freezeGraceSeconds: Int64 = 0
        /// When a freeze waits for the billing data to be current (`[freeze] max_listener_lag`, `max_queue_depth`,
        /// `settle_time`, `max_hold`).
        package var freezeHold = FreezeHold()
        /// How many times a freeze action is tried before it is given up (`[freeze] max_attempts`).
        package var cloudActionMaxAttempts = 10
        /// The wait after the first failed attempt, doubled after each further one (`[freeze] retry_interval`).
        package var cloudActionRetrySeconds: Int64 = 10
        /// The longest wait between two attempts.
        package var cloudActionMaxRetrySeconds: Int64 = 3600
        /// `[database] processed_message_retention`, seconds: how long a processed message id is remembered (7 days).
        /// A message delivered again within it is a duplicate; after it, it would be billed again.
        package var processedMessageRetentionSeconds: Int64 = 604_800
        /// `[database] rejected_notification_retention`, seconds: how long a rejected notification is kept
        /// (30 days).
        package var rejectedNotificationRetentionSeconds: Int64 = 2_592_000
        /// The most rows of each table one prune deletes; when a prune deletes that many, the next ingest prunes
        /// again, so that a large backlog goes a bounded statement at a time (a few milliseconds: the next batch
        /// waits for it).
        package var pruneLimit = 2000
        /// `[reconciliation] min_age`, seconds: a reconciliation leaves alone what changed in the cloud more recently
        /// than this (or than the listeners' lag, if longer): its notification may be in flight (10 minutes).
        package var reconciliationMinAgeSeconds: Int64 = 600
        /// How many users one transaction of a re-rating's apply covers (and one read of a preview).
        package var reratingBatchUsers = 500

        /// The defaults.
        package init() {}
    }

    let store: any BillingStore
    let plugins: PluginRegistry
    let configuration: Configuration
    let now: @Sendable () -> BillingTime
    let logger: Logger
    let pricers = PricerCache()
    /// When processed messages and rejected notifications were last pruned (see `Engine+Retention.swift`).
    let prunes = PurgeSchedule()
    /// How long each operation takes, and the database errors.
    let metrics: EngineMetrics

    /// Creates an engine.
    /// - Parameters:
    ///   - store: The store.
    ///   - plugins: The chargeable resource types.
    ///   - configuration: The settings.
    ///   - now: The source of "now" (injectable for tests; defaults to the system clock).
    ///   - logger: The logger.
    ///   - metrics: Where the operations' latencies and the database errors are recorded (nowhere by default).
    package init(
        store: any BillingStore,
        plugins: PluginRegistry = .standard,
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> BillingTime = { BillingTime(date: Date()) },
        logger: Logger,
        metrics: any MetricsFactory = NOOPMetricsHandler.instance
    ) {
        self.store = store
        self.plugins = plugins
        self.configuration = configuration
        self.now = now
        self.logger = logger
        self.metrics = EngineMetrics(factory: metrics)
    }

    /// A new id: a time-ordered UUID (``RandomID/timeOrdered(milliseconds:)``), so that stored rows keyed by it go
    /// to the end of their index.
    func newID() -> String {
        RandomID.timeOrdered()
    }

    /// Runs `body` in one transaction (`readOnly`: one that only reads), turning every error that is not a
    /// ``BileanError`` into a logged internal error whose message reveals nothing.
    func transaction<Result: Sendable>(
        _ operation: String,
        readOnly: Bool = false,
        _ body: (any StoreTransaction) async throws -> Result
    ) async throws -> Result {
        let started = ContinuousClock.now
        defer { self.metrics.duration(operation).recordSince(started) }
        do {
            // A read runs beside the writer on SQLite: the API's reads never wait behind a batch commit.
            return try await readOnly ? self.store.withReadTransaction(body) : self.store.withTransaction(body)
        } catch let error as BileanError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled {
                // The caller is stopping (a graceful shutdown cancelled it) and the store gave up on its call: a
                // clean stop, not a failure for an operator. The transaction is as uncertain as any that threw.
                self.logger.debug(
                    "engine operation cancelled",
                    metadata: ["operation": "\(operation)", "error": "\(String(reflecting: error))"]
                )
                throw CancellationError()
            }
            self.metrics.databaseErrors(operation).increment()
            self.logger.error(
                "engine operation failed",
                metadata: ["operation": "\(operation)", "error": "\(String(reflecting: error))"]
            )
            throw BileanError(.internalError, "Internal error while running \(operation)", underlying: error)
        }
    }

    /// Checks a list query against its whitelists.
    func validated(_ query: ListQuery, _ keys: ListKeys) throws(BileanError) -> ListQuery {
        try query.validate(sortable: keys.sortable, filterable: keys.filterable)
        return query
    }

    /// Checks an id from outside (user, rule, policy, resource).
    static func checkID(_ id: String, field: String) throws(BileanError) {
        guard id.isAcceptableID else {
            throw BileanError.invalid(
                field,
                "\(field) must be 1 to 255 characters, not blank, without control characters"
            )
        }
    }

    /// Checks a name.
    static func checkName(_ name: String, field: String = "name") throws(BileanError) {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 255 else {
            throw BileanError.invalid(field, "\(field) must be 1 to 255 characters")
        }
        guard !name.containsControlCharacters else {
            throw BileanError.invalid(field, "\(field) must not hold control characters")
        }
    }

    /// Checks free-form metadata: a JSON object.
    static func checkMetadata(_ metadata: JSONValue) throws(BileanError) {
        guard metadata.objectValue != nil else {
            throw BileanError.invalid("metadata", "metadata must be an object")
        }
    }
}
