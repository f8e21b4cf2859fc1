package import AMQP
import Foundation

/// The exchanges, queues and message properties of oslo.messaging's rabbit driver for one RPC topic, exactly as
/// oslo declares and uses them:
///
/// - the control exchange (`[DEFAULT] control_exchange`, Bilean's `bilean`), type topic, not auto-deleted;
/// - the server queues `<topic>` (shared by every server of the topic) and `<topic>.<host>` (one server), bound to
///   the control exchange with their own names as routing keys;
/// - the fanout exchange `<topic>_fanout` (auto-deleted) and a queue per server, `<topic>_fanout_<uuid hex>`,
///   bound with the topic, which expires 30 minutes after its server is gone;
/// - the caller's reply queue `reply_<uuid hex>`, reached through the default exchange, with the same expiry.
///
/// Durability follows `[oslo_messaging_rabbit] amqp_durable_queues` for the control exchange and the server queues.
/// With `rabbit_quorum_queue`, as in oslo's driver, the two server queues (`<topic>` and `<topic>.<host>`, oslo's
/// `declare_topic_consumer`) are quorum queues (`x-queue-type: quorum`, replicated on a RabbitMQ cluster), which are
/// durable, and so is the control exchange (oslo's `durable` is `amqp_durable_queues or rabbit_quorum_queue`); the
/// fanout and reply queues stay classic and transient (oslo's separate `rabbit_transient_quorum_queue`, which Bilean
/// does not offer).
package struct OsloRPCTopology: Sendable, Hashable {
    /// The control exchange.
    package var exchange: String
    /// The topic (e.g. `bilean-engine`).
    package var topic: String
    /// A durable control exchange and server queues: `amqp_durable_queues`, or `rabbit_quorum_queue`.
    package var durable: Bool
    /// `rabbit_quorum_queue`: the server queues are quorum queues.
    package var quorum: Bool

    /// The expiry of the transient queues (fanout and reply), `rabbit_transient_queues_ttl`'s default of 1800 s.
    package static let transientQueueArguments: AMQPTable = ["x-expires": .int32(1_800_000)]

    /// The arguments of a quorum queue.
    package static let quorumQueueArguments: AMQPTable = ["x-queue-type": "quorum"]

    /// Creates the names of a topic.
    /// - Parameters:
    ///   - exchange: The control exchange.
    ///   - topic: The topic.
    ///   - durable: `amqp_durable_queues`: whether the exchange and server queues are durable.
    ///   - quorum: `rabbit_quorum_queue`: whether the server queues are quorum queues (which makes them and the
    ///     exchange durable, whatever `durable` says).
    package init(exchange: String, topic: String, durable: Bool = false, quorum: Bool = false) {
        self.exchange = exchange
        self.topic = topic
        self.durable = durable || quorum
        self.quorum = quorum
    }

    /// The queue every server of the topic consumes from: `<topic>`.
    package var sharedQueue: String { self.topic }

    /// The routing key, and queue, of calls to one server: `<topic>.<host>`.
    /// - Parameter host: The server's name.
    /// - Returns: The name.
    package func serverQueue(host: String) -> String { "\(self.topic).\(host)" }

    /// The fanout exchange: `<topic>_fanout`.
    package var fanoutExchange: String { "\(self.topic)_fanout" }

    /// A new fanout queue name for one server: `<topic>_fanout_<uuid hex>`.
    package func makeFanoutQueue() -> String { "\(self.fanoutExchange)_\(Self.makeID())" }

    /// A new reply queue name: `reply_<uuid hex>`.
    package static func makeReplyQueue() -> String { "reply_\(Self.makeID())" }

    /// A new message id: a random UUID as 32 lower-case hex digits, as oslo's `uuid.uuid4().hex`.
    package static func makeID() -> String {
        String(UUID().uuidString.lowercased().filter { $0 != "-" })
    }

    /// The control exchange, as oslo declares it before publishing or consuming.
    package var controlExchangeDeclaration: AMQPTopology.Exchange {
        AMQPTopology.Exchange(self.exchange, type: "topic", durable: self.durable, autoDelete: false)
    }

    /// The fanout exchange, as oslo declares it.
    package var fanoutExchangeDeclaration: AMQPTopology.Exchange {
        AMQPTopology.Exchange(self.fanoutExchange, type: "fanout", durable: false, autoDelete: true)
    }

    /// A server queue (`<topic>` or `<topic>.<host>`), as oslo's `declare_topic_consumer` declares it: durable
    /// with `amqp_durable_queues` or `rabbit_quorum_queue`, never auto-deleted, a quorum queue with the latter.
    /// - Parameter name: The queue's name.
    /// - Returns: The declaration.
    package func topicQueueDeclaration(_ name: String) -> AMQPTopology.Queue {
        AMQPTopology.Queue(
            name,
            durable: self.durable,
            exclusive: false,
            autoDelete: false,
            arguments: self.quorum ? Self.quorumQueueArguments : [:]
        )
    }

    /// What a server declares on each connection: the control exchange, its two topic queues bound to it, the
    /// fanout exchange, and its fanout queue bound to that.
    /// - Parameters:
    ///   - host: The server's name.
    ///   - fanoutQueue: Its fanout queue (``makeFanoutQueue()``, kept across reconnections).
    /// - Returns: The topology.
    package func serverTopology(host: String, fanoutQueue: String) -> AMQPTopology {
        let queues = [self.sharedQueue, self.serverQueue(host: host)]
        return AMQPTopology(
            exchanges: [self.controlExchangeDeclaration, self.fanoutExchangeDeclaration],
            queues: queues.map(self.topicQueueDeclaration) + [
                AMQPTopology.Queue(
                    fanoutQueue,
                    durable: false,
                    exclusive: false,
                    autoDelete: false,
                    arguments: Self.transientQueueArguments
                )
            ],
            bindings: queues.map { AMQPTopology.Binding(queue: $0, exchange: self.exchange, routingKey: $0) } + [
                AMQPTopology.Binding(queue: fanoutQueue, exchange: self.fanoutExchange, routingKey: self.topic)
            ]
        )
    }

    /// What to do when the broker refuses to declare the exchange or a queue because it exists with other settings
    /// (406 PRECONDITION_FAILED, "inequivalent arg …"): most often `rabbit_quorum_queue` or `amqp_durable_queues`
    /// changed while the queues of the former setting still exist (a classic queue never becomes a quorum queue).
    /// - Parameter error: The declaration's error.
    /// - Returns: The advice, or `nil` for any other error.
    package func declarationAdvice(for error: any Error) -> String? {
        guard let error = error as? AMQPError, error.replyCode == .preconditionFailed,
            error.replyText?.contains("inequivalent arg") == true
        else { return nil }
        return """
            [oslo_messaging_rabbit] rabbit_quorum_queue (\(self.quorum)) or amqp_durable_queues changed while the \
            exchange '\(self.exchange)' or the queues '\(self.topic)' and '\(self.topic).<host>' of the former setting \
            still exist (a classic queue never becomes a quorum queue, nor the reverse): stop the engines, delete \
            those queues (rabbitmqctl delete_queue NAME; the exchange too when the broker names it) and start the \
            engines again, or set the options back
            """
    }

    /// The reply queue, as oslo's `declare_direct_consumer` declares it.
    /// - Parameter name: The queue's name.
    /// - Returns: The declaration.
    package static func replyQueueDeclaration(_ name: String) -> AMQPTopology.Queue {
        AMQPTopology.Queue(
            name,
            durable: false,
            exclusive: false,
            autoDelete: false,
            arguments: Self.transientQueueArguments
        )
    }

    /// The properties kombu gives every oslo message: JSON in UTF-8, persistent, priority 0, no headers; a call
    /// also has an expiration.
    /// - Parameter expiration: The time to live, or `nil`.
    /// - Returns: The properties.
    package static func properties(expiration: Duration? = nil) -> AMQPProperties {
        AMQPProperties(
            contentType: "application/json",
            contentEncoding: "utf-8",
            headers: [:],
            deliveryMode: 2,
            priority: 0,
            expiration: expiration.map(Self.expirationText)
        )
    }

    /// A duration as an AMQP `expiration`: whole milliseconds, at least 1.
    /// - Parameter duration: The time to live.
    /// - Returns: The decimal text.
    package static func expirationText(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return String(max(1, milliseconds))
    }
}
