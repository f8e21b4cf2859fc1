package import AMQP
import Foundation
import NIOCore

/// Where the notification listener consumes, and how: `[notification]` and `[oslo_messaging_rabbit]` in
/// `bilean.conf`, with BILEAN.md's defaults.
package struct ListenerConfiguration: Sendable {
    /// The broker (`[DEFAULT] transport_url`).
    package var connection: AMQPConnectionConfiguration
    /// The exchanges OpenStack services publish their notifications to (`exchanges`).
    package var exchanges = ["nova", "cinder", "neutron", "glance", "keystone", "octavia", "manila", "openstack"]
    /// The notification topics bound on every exchange (`topics`; oslo's `[oslo_messaging_notifications] topics`).
    package var topics = ["notifications"]
    /// The versioned-notification topics (`versioned_topics`), bound only on ``versionedExchanges``.
    package var versionedTopics = ["versioned_notifications"]
    /// The exchanges that carry versioned notifications (`versioned_exchanges`): Nova's.
    package var versionedExchanges = ["nova"]
    /// The priorities bound: billing facts are all `info` notifications.
    package var priorities = ["info"]
    /// Bilean's own durable queue (`queue`); never the queues of other consumers such as Ceilometer.
    package var queue = "bilean-notifications"
    /// `prefetch` when it is set; else ``prefetch`` follows the batch size and the commit slots.
    package var configuredPrefetch: UInt16?
    /// The most unacknowledged deliveries: `prefetch` when it is set, else a full batch for every commit slot and two
    /// more received and parsed behind them (at most 65,535, AMQP's limit). When the batches committing end together
    /// (SQLite commits them as one), two batches are ready to commit together again; with one more batch only, the
    /// next commit would hold one. At the defaults: 500 × (2 + 2) = 2,000, and 3,000 over RPC (4 slots).
    package var prefetch: UInt16 {
        self.configuredPrefetch
            ?? UInt16(clamping: max(1, self.batchSize) * (max(1, self.batchesInFlight) + 2))
    }
    /// The most messages billed in one transaction and acknowledged with one `multiple` ack (`batch_size`).
    package var batchSize = 500
    /// A batch commits when it is full, when no more messages are waiting, or when this long has passed since its
    /// first delivery (`batch_max_wait`, default 10 ms).
    package var batchMaxWait = Duration.milliseconds(10)
    /// `[oslo_messaging_rabbit] amqp_durable_queues`: oslo declares its exchanges durable when set, so Bilean
    /// declares them exactly the same way (a different declaration would be refused by the broker).
    package var durableExchanges = false
    /// `[oslo_messaging_rabbit] rabbit_quorum_queue`: Bilean's queue is a quorum queue (replicated on a RabbitMQ
    /// cluster). An existing classic queue of that name must be drained and deleted first (the broker refuses the
    /// declaration with 406 PRECONDITION_FAILED, "inequivalent arg 'x-queue-type'").
    package var quorumQueue = false
    /// How many batches may commit at once (`batches_in_flight`): several engines over RPC bill them in parallel;
    /// they are acknowledged in order all the same.
    package var batchesInFlight = 2
    /// The largest body read (`max_body_size`, default 1 MiB); a larger one is set aside unread.
    package var maximumBodySize = 1_048_576
    /// This listener's name in its lag reports (`[DEFAULT] host` and the queue): a listener restarted on the same
    /// host replaces its report.
    package var reporterName = "\(ProcessInfo.processInfo.hostName)/bilean-notifications"
    /// How often an idle listener reports its lag (a freeze waits while a listener is silent for
    /// `[freeze] max_listener_lag`).
    package var reportInterval = Duration.seconds(5)

    /// The defaults, for a broker.
    /// - Parameter connection: The broker.
    package init(connection: AMQPConnectionConfiguration) {
        self.connection = connection
    }

    /// The routing keys bound on an exchange: `<topic>.<priority>`.
    /// - Parameter exchange: The exchange.
    /// - Returns: The routing keys, in order.
    package func routingKeys(for exchange: String) -> [String] {
        var topics = self.topics
        if self.versionedExchanges.contains(exchange) {
            topics += self.versionedTopics.filter { !topics.contains($0) }
        }
        return topics.flatMap { topic in self.priorities.map { "\(topic).\($0)" } }
    }

    /// What the listener declares on every connection: each exchange as oslo.messaging declares it (topic,
    /// durable only with `amqp_durable_queues`, not auto-deleted), Bilean's durable queue, and its bindings.
    package var topology: AMQPTopology {
        AMQPTopology(
            exchanges: self.exchanges.map {
                AMQPTopology.Exchange($0, type: "topic", durable: self.durableExchanges, autoDelete: false)
            },
            queues: [
                AMQPTopology.Queue(
                    self.queue,
                    durable: true,
                    exclusive: false,
                    autoDelete: false,
                    arguments: self.quorumQueue ? ["x-queue-type": .longString(ByteBuffer(string: "quorum"))] : [:]
                )
            ],
            bindings: self.exchanges.flatMap { exchange in
                self.routingKeys(for: exchange).map {
                    AMQPTopology.Binding(queue: self.queue, exchange: exchange, routingKey: $0)
                }
            }
        )
    }
}
