package import BileanAPI
package import BileanCore
import Foundation

/// Everything `bilean.conf` sets, with BILEAN.md's defaults: with no file at all the all-in-one server starts on
/// 127.0.0.1:8770 with `noauth` and an SQLite database in ``DatabaseLocation/defaultSQLitePath(environment:)``.
package struct BileanConfiguration: Sendable {
    /// What `[freeze] action` does to a frozen project's resources.
    package enum FreezeAction: String, Sendable, Hashable, CaseIterable {
        /// Nothing in the cloud; billing stops.
        case none
        /// Stop servers.
        case stop
        /// Delete servers and volumes.
        case delete
    }

    /// `[DEFAULT] engine`: where the `api`, `notification` and `scheduler` roles find the billing engine.
    package enum EngineMode: String, Sendable, Hashable, CaseIterable {
        /// In process, over the database (`[database] connection`): the default.
        case local
        /// `bilean-server engine` processes, over oslo.messaging RPC on `transport_url` (no database here).
        case rpc
    }

    /// `[DEFAULT] log_format`: how log lines are written (to standard error).
    package enum LogFormat: String, Sendable, Hashable, CaseIterable {
        /// swift-log's text lines: the default.
        case text
        /// One JSON object per line (``JSONLogHandler``).
        case json
    }

    /// `[DEFAULT] engine`.
    package var engineMode = EngineMode.local
    /// `[DEFAULT] rpc_response_timeout`, seconds: how long an RPC call to the engine waits for its answer.
    package var rpcResponseTimeout = 60
    /// `[DEFAULT] rpc_idempotency_retention`, seconds: how long an engine keeps the results of state-changing calls
    /// by idempotency key.
    package var rpcIdempotencyRetention = 86_400

    /// `[DEFAULT] auth_strategy`, `[bilean_api]`: the API's settings.
    package var api = APIConfiguration()
    /// `[DEFAULT] debug`: debug logging.
    package var debug = false
    /// `[DEFAULT] log_format`.
    package var logFormat = LogFormat.text
    /// `[DEFAULT] transport_url` (holds a password: never logged). Used by the messaging issues.
    package var transportURL: String?
    /// `[database] connection`.
    package var database: DatabaseLocation
    /// `[database] processed_message_retention`, seconds: how long the id of a processed notification is kept, so
    /// that the same message delivered again is a duplicate (7 days).
    package var processedMessageRetention = 604_800
    /// `[database] rejected_notification_retention`, seconds: how long a rejected notification is kept (30 days).
    package var rejectedNotificationRetention = 2_592_000
    /// `[bilean_api] bind_host`.
    package var bindHost = "127.0.0.1"
    /// `[bilean_api] bind_port` (0: any free port, logged at start).
    package var bindPort = 8770
    /// `[DEFAULT] metrics_port`: where a role without the API serves `/metrics`, `/healthz` and `/readyz` (on
    /// `bind_host`); 0: it serves none.
    package var metricsPort = 0
    /// `[scheduler] prior_notify_time`, in hours: warn this long before the money runs out.
    package var priorNotifyHours = 3
    /// `[resource_definition] definitions_cfg_file`; `nil`: the shipped definitions.
    package var definitionsFile: String?
    /// `[freeze] action`.
    package var freezeAction = FreezeAction.none
    /// `[notification]` and `[oslo_messaging_rabbit] amqp_durable_queues`: the notification listener.
    package var notification = NotificationOptions()
    /// `[scheduler]`: the job loop.
    package var scheduler = SchedulerOptions()
    /// `[freeze] max_attempts`: attempts of a freeze action before it is given up.
    package var freezeMaxAttempts = 10
    /// `[freeze] retry_interval`, seconds: the wait after a failed attempt, doubled after each further one.
    package var freezeRetryInterval = 10
    /// `[freeze] interface`: which catalog endpoints a freeze calls.
    package var freezeInterface = "internal"
    /// `[freeze] actions`: the action per resource type, over `[freeze] action` (a `nil` value: `none`).
    package var freezeActionsByType: [String: CloudAction.Kind?] = [:]
    /// `[freeze] restart_on_thaw`: a thaw starts again the servers the freeze stopped.
    package var freezeRestartOnThaw = false
    /// `[freeze] delete_after`, seconds: what a freeze stopped is deleted this long after (0: never).
    package var freezeDeleteAfter = 0
    /// `[freeze] grace_period`, seconds: how long a user stays WARNING, billed, once overdrawn, before the freeze.
    package var freezeGracePeriod = 0
    /// `[freeze] max_listener_lag`, `max_queue_depth`, `settle_time`, `max_hold`: when a freeze waits for the
    /// billing data to be current.
    package var freezeHold = FreezeHold()

    /// What a freeze does to each resource type: `[freeze] action` for every type that supports it, overridden by
    /// `[freeze] actions`.
    package var freezeActions: FreezeActions {
        let kind: CloudAction.Kind?
        switch self.freezeAction {
        case .none: kind = nil
        case .stop: kind = .stop
        case .delete: kind = .delete
        }
        return FreezeActions(defaultKind: kind, byType: self.freezeActionsByType)
    }
    /// `[DEFAULT] control_exchange`: the exchange `billing.notify` is published to.
    package var controlExchange = "bilean"
    /// `[DEFAULT] host`: this host's name in `publisher_id` and in the scheduler's lease owner.
    package var host = ProcessInfo.processInfo.hostName
    /// `[oslo_messaging_notifications] driver`: `messagingv2` (or `messaging`) publishes `billing.notify`; `noop` and
    /// `log` only log it.
    package var notificationDriver = "messagingv2"
    /// `[oslo_messaging_notifications] topics`.
    package var notificationTopics = ["notifications"]
    /// `[keystone_authtoken]` as written (keystonemiddleware's option names; each checked when it is read).
    package var keystoneAuthtoken: [String: String] = [:]
    /// `[DEFAULT] default_credit`: the credit of a new user.
    package var defaultCredit = Money.zero
    /// `[DEFAULT] allow_insecure_noauth`: let `noauth` listen on an address other than loopback.
    package var allowInsecureNoauth = false
    /// `[oslo_policy] policy_file`; `nil`: `policy.yaml` next to the configuration file, if it exists.
    package var policyFile: String?
    /// The directory of the configuration file, if one was read (where the default `policy.yaml` is looked for).
    package var configurationDirectory: String?
    /// `[keystone_sync] interval`, seconds; 0: projects come only from Keystone's notifications.
    package var keystoneSyncInterval = 0
    /// `[reconciliation] interval`, seconds between two inventory reconciliations (scheduler role); 0: off.
    package var reconciliationInterval = 0
    /// `[reconciliation] repair`: bill what a reconciliation finds (else it only reports).
    package var reconciliationRepair = false
    /// `[reconciliation] min_age`, seconds: what changed in the cloud more recently is left alone.
    package var reconciliationMinAge = 600
    /// `[reconciliation] interface`: the endpoints the listings use.
    package var reconciliationInterface = "internal"
    /// Unknown sections and options, to be logged as warnings.
    package var warnings: [String] = []

    /// The defaults.
    /// - Parameter environment: The process environment (for the default SQLite path).
    package init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.database = .sqlite(path: DatabaseLocation.defaultSQLitePath(environment: environment))
    }
}

/// The notification listener's options, with BILEAN.md's defaults.
package struct NotificationOptions: Sendable, Hashable {
    /// `[notification] exchanges`.
    package var exchanges = ["nova", "cinder", "neutron", "glance", "keystone", "octavia", "manila", "openstack"]
    /// `[notification] topics`.
    package var topics = ["notifications"]
    /// `[notification] versioned_topics`.
    package var versionedTopics = ["versioned_notifications"]
    /// `[notification] versioned_exchanges`.
    package var versionedExchanges = ["nova"]
    /// `[notification] queue`.
    package var queue = "bilean-notifications"
    /// `[notification] prefetch` (`nil`: the listener's default, from the batch size and the batches in flight).
    package var prefetch: Int?
    /// `[notification] batch_size`.
    package var batchSize = 500
    /// `[notification] batch_max_wait`, milliseconds: a batch commits at the latest this long after its first
    /// delivery.
    package var batchMaxWaitMilliseconds = 10
    /// `batches_in_flight`: batches committing at once (`nil`: 2 with a local engine, 4 over RPC).
    package var batchesInFlight: Int?
    /// `[notification] max_body_size`.
    package var maximumBodySize = 1_048_576
    /// `[oslo_messaging_rabbit] amqp_durable_queues`.
    package var durableExchanges = false
    /// `[oslo_messaging_rabbit] rabbit_quorum_queue`: Bilean's durable queues are quorum queues.
    package var quorumQueue = false

    /// The defaults.
    package init() {}
}

/// The scheduler's options (`[scheduler]`), with their defaults.
package struct SchedulerOptions: Sendable, Hashable {
    /// `[scheduler] daily_settlement_time` (`HH:MM[:SS]` UTC, or `none`).
    package var dailySettlementTime: TimeOfDay? = .midnight
    /// `[scheduler] poll_interval`, seconds.
    package var pollInterval = 1
    /// `[scheduler] look_ahead`, seconds.
    package var lookAhead = 60
    /// `[scheduler] lease_time`, seconds.
    package var leaseTime = 30
    /// `[scheduler] batch_size`: jobs per transaction.
    package var batchSize = 200

    /// The defaults.
    package init() {}
}
