package import BileanAPI
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

    /// `[DEFAULT] auth_strategy`, `[bilean_api]`: the API's settings.
    package var api = APIConfiguration()
    /// `[DEFAULT] debug`: debug logging.
    package var debug = false
    /// `[DEFAULT] transport_url` (holds a password: never logged). Used by the messaging issues.
    package var transportURL: String?
    /// `[database] connection`.
    package var database: DatabaseLocation
    /// `[bilean_api] bind_host`.
    package var bindHost = "127.0.0.1"
    /// `[bilean_api] bind_port` (0: any free port, logged at start).
    package var bindPort = 8770
    /// `[scheduler] prior_notify_time`, in hours: warn this long before the money runs out.
    package var priorNotifyHours = 3
    /// `[resource_definition] definitions_cfg_file`; `nil`: the shipped definitions.
    package var definitionsFile: String?
    /// `[freeze] action`.
    package var freezeAction = FreezeAction.none
    /// `[notification]` and `[oslo_messaging_rabbit] amqp_durable_queues`: the notification listener.
    package var notification = NotificationOptions()
    /// `[keystone_authtoken]`, kept as written for the Keystone issue.
    package var keystoneAuthtoken: [String: String] = [:]
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
    package var exchanges = ["nova", "cinder", "neutron", "glance", "keystone", "openstack"]
    /// `[notification] topics`.
    package var topics = ["notifications"]
    /// `[notification] versioned_topics`.
    package var versionedTopics = ["versioned_notifications"]
    /// `[notification] versioned_exchanges`.
    package var versionedExchanges = ["nova"]
    /// `[notification] queue`.
    package var queue = "bilean-notifications"
    /// `[notification] prefetch`.
    package var prefetch = 1000
    /// `[notification] batch_size`.
    package var batchSize = 500
    /// `[notification] max_body_size`.
    package var maximumBodySize = 1_048_576
    /// `[oslo_messaging_rabbit] amqp_durable_queues`.
    package var durableExchanges = false

    /// The defaults.
    package init() {}
}
