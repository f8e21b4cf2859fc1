/// Exchanges, queues and bindings that a publisher or consumer declares on every (re)connection, so that a broker
/// restarted without them (non-durable ones, or a new node) gets them back before the first publish or consume.
public struct AMQPTopology: Sendable, Hashable {
    /// An exchange to declare.
    public struct Exchange: Sendable, Hashable {
        public var name: String
        public var type: String
        public var durable: Bool
        public var autoDelete: Bool
        public var arguments: AMQPTable

        public init(
            _ name: String,
            type: String = "topic",
            durable: Bool = false,
            autoDelete: Bool = false,
            arguments: AMQPTable = [:]
        ) {
            self.name = name
            self.type = type
            self.durable = durable
            self.autoDelete = autoDelete
            self.arguments = arguments
        }
    }

    /// A queue to declare.
    public struct Queue: Sendable, Hashable {
        public var name: String
        public var durable: Bool
        public var exclusive: Bool
        public var autoDelete: Bool
        public var arguments: AMQPTable

        public init(
            _ name: String,
            durable: Bool = true,
            exclusive: Bool = false,
            autoDelete: Bool = false,
            arguments: AMQPTable = [:]
        ) {
            self.name = name
            self.durable = durable
            self.exclusive = exclusive
            self.autoDelete = autoDelete
            self.arguments = arguments
        }
    }

    /// A binding of a queue to an exchange.
    public struct Binding: Sendable, Hashable {
        public var queue: String
        public var exchange: String
        public var routingKey: String
        public var arguments: AMQPTable

        public init(queue: String, exchange: String, routingKey: String, arguments: AMQPTable = [:]) {
            self.queue = queue
            self.exchange = exchange
            self.routingKey = routingKey
            self.arguments = arguments
        }
    }

    public var exchanges: [Exchange]
    public var queues: [Queue]
    public var bindings: [Binding]

    /// Creates a topology, declared in this order: exchanges, queues, bindings.
    public init(exchanges: [Exchange] = [], queues: [Queue] = [], bindings: [Binding] = []) {
        self.exchanges = exchanges
        self.queues = queues
        self.bindings = bindings
    }

    /// Declares everything on `channel`.
    ///
    /// - Throws: The broker's refusal, e.g. a 406 PRECONDITION_FAILED when a queue exists with other settings (the
    ///   channel is closed then).
    public func declare(on channel: AMQPChannel) async throws {
        for exchange in self.exchanges {
            try await channel.exchangeDeclare(
                exchange.name,
                type: exchange.type,
                durable: exchange.durable,
                autoDelete: exchange.autoDelete,
                arguments: exchange.arguments
            )
        }
        for queue in self.queues {
            try await channel.queueDeclare(
                queue.name,
                durable: queue.durable,
                exclusive: queue.exclusive,
                autoDelete: queue.autoDelete,
                arguments: queue.arguments
            )
        }
        for binding in self.bindings {
            try await channel.queueBind(
                binding.queue,
                exchange: binding.exchange,
                routingKey: binding.routingKey,
                arguments: binding.arguments
            )
        }
    }
}
