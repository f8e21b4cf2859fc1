package import AMQP

/// Where and how ``OsloNotifier`` publishes, as oslo.messaging's notifier would with the same options.
package struct OsloNotifierConfiguration: Sendable, Hashable {
    /// The exchange (`[DEFAULT] control_exchange`, default `bilean`).
    package var exchange = "bilean"
    /// The topics (`[oslo_messaging_notifications] topics`, default `notifications`): each notice goes to every one,
    /// with routing key `<topic>.info`.
    package var topics = ["notifications"]
    /// `[oslo_messaging_rabbit] amqp_durable_queues`: durable exchange and queues, persistent messages.
    package var durable = false
    /// The notifications' `publisher_id`.
    package var publisherID: String

    /// Creates the settings.
    /// - Parameter publisherID: The `publisher_id` (e.g. `billing.<host>`).
    package init(publisherID: String) {
        self.publisherID = publisherID
    }

    /// The routing key of a topic at INFO priority.
    package func routingKey(topic: String) -> String { "\(topic).info" }

    /// What oslo's notifier declares before sending: the topic exchange, and a queue per topic named after its
    /// routing key and bound with it, so that notifications wait for a listener that is not running yet.
    package var topology: AMQPTopology {
        AMQPTopology(
            exchanges: [AMQPTopology.Exchange(self.exchange, type: "topic", durable: self.durable, autoDelete: false)],
            queues: self.topics.map {
                AMQPTopology.Queue(
                    self.routingKey(topic: $0),
                    durable: self.durable,
                    exclusive: false,
                    autoDelete: false
                )
            },
            bindings: self.topics.map {
                AMQPTopology.Binding(
                    queue: self.routingKey(topic: $0),
                    exchange: self.exchange,
                    routingKey: self.routingKey(topic: $0)
                )
            }
        )
    }
}
