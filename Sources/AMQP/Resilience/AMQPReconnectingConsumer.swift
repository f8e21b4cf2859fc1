public import Logging
public import NIOCore
public import NIOPosix
import Synchronization

/// A consumer that survives lost connections, broker restarts and deleted queues: an `AsyncSequence` of deliveries
/// that reconnects with backoff, declares its ``AMQPTopology`` again, and resumes consuming.
///
/// ```swift
/// let consumer = AMQPReconnectingConsumer(configuration: configuration, queue: "bilean-notifications",
///                                         topology: topology, prefetchCount: 500, logger: logger)
/// for try await delivery in consumer {
///     try await handle(delivery)
///     try? await delivery.ack()   // see below
/// }
/// ```
///
/// Delivery is *at least once*: messages not acknowledged when a connection fails are delivered again on the next
/// one (``AMQPDelivery/redelivered`` set). An ack of such a message throws (its channel is gone); that is harmless:
/// the broker requeued it. Iterate from one task; cancelling it, or ``close()``, ends the sequence.
public final class AMQPReconnectingConsumer: AsyncSequence, Sendable {
    public typealias Element = AMQPDelivery

    private struct State {
        var session: AMQPSession?
        var isClosed = false
        var connections = 0
    }

    private let configuration: AMQPConnectionConfiguration
    private let queue: String
    private let topology: AMQPTopology
    private let prefetchCount: UInt16
    private let consumerArguments: AMQPTable
    private let backoff: AMQPBackoff
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state = Mutex(State())

    /// Creates a consumer; it connects when iterated.
    ///
    /// - Parameters:
    ///   - configuration: Where and how to connect.
    ///   - queue: The queue to consume from.
    ///   - topology: Declared on every connection (the queue, its exchanges and bindings).
    ///   - prefetchCount: The most unacknowledged deliveries (`basic.qos`), e.g. 100–1000.
    ///   - consumerArguments: Arguments of `basic.consume` (e.g. `x-priority`).
    ///   - backoff: Delays between reconnection attempts.
    ///   - eventLoopGroup: Where connections run.
    ///   - logger: Reconnections are logged (warning), with the error.
    public init(
        configuration: AMQPConnectionConfiguration,
        queue: String,
        topology: AMQPTopology = AMQPTopology(),
        prefetchCount: UInt16,
        consumerArguments: AMQPTable = [:],
        backoff: AMQPBackoff = AMQPBackoff(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        self.queue = queue
        self.topology = topology
        self.prefetchCount = prefetchCount
        self.consumerArguments = consumerArguments
        self.backoff = backoff
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(consumer: self)
    }

    /// Ends the sequence: closes the connection (unacknowledged deliveries go back to the queue).
    public func close() async {
        let session = self.state.withLock { state in
            state.isClosed = true
            defer { state.session = nil }
            return state.session
        }
        await session?.close()
    }

    private var isClosed: Bool { self.state.withLock { $0.isClosed } }

    /// How many connections the consumer has set up so far (the first, then one per reconnection).
    public var connectionCount: Int { self.state.withLock { $0.connections } }

    /// How many messages wait in the queue, ready to be delivered (a passive `queue.declare`; deliveries sent to
    /// this consumer and not yet acknowledged are not counted).
    /// - Returns: The count, or `nil` while there is no connection or the broker does not answer.
    public func readyMessageCount() async -> UInt32? {
        guard let session = self.state.withLock({ $0.session }), session.isUsable else { return nil }
        return try? await session.channel.queueDeclare(self.queue, passive: true).messageCount
    }

    /// Sets up a session and starts consuming on it.
    private func start() async throws -> AMQPConsumer? {
        let queue = self.queue
        let prefetchCount = self.prefetchCount
        let session = try await AMQPSession.open(
            configuration: self.configuration,
            topology: self.topology,
            backoff: self.backoff,
            eventLoopGroup: self.eventLoopGroup,
            logger: self.logger
        ) { channel in
            try await channel.qos(prefetchCount: prefetchCount)
        }
        let closed = self.state.withLock { state -> Bool in
            if !state.isClosed {
                state.session = session
                state.connections += 1
            }
            return state.isClosed
        }
        if closed {
            await session.close()
            return nil
        }
        return try await session.channel.consume(queue: queue, arguments: self.consumerArguments)
    }

    private func drop() async {
        let session = self.state.withLock { state in
            defer { state.session = nil }
            return state.session
        }
        await session?.close()
    }

    /// Iterates the deliveries across connections.
    public struct Iterator: AsyncIteratorProtocol {
        let consumer: AMQPReconnectingConsumer
        private var current: AMQPConsumer.Iterator?

        /// How many deliveries are received on the current connection and not yet returned.
        public var bufferedCount: Int { self.current?.bufferedCount ?? 0 }

        init(consumer: AMQPReconnectingConsumer) {
            self.consumer = consumer
        }

        public mutating func next() async throws -> AMQPDelivery? {
            try await self.next(isolation: nil)
        }

        /// The next delivery; reconnects (with backoff) as long as needed.
        ///
        /// - Returns: `nil` after ``AMQPReconnectingConsumer/close()`` or when the task is cancelled.
        /// - Throws: `CancellationError` when cancelled while waiting to reconnect.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws -> AMQPDelivery? {
            while true {
                if self.consumer.isClosed || Task.isCancelled { return nil }
                if self.current == nil {
                    do {
                        guard let started = try await self.consumer.start() else { return nil }
                        self.current = started.makeAsyncIterator()
                    } catch let error as AMQPError {
                        // The consume itself failed (e.g. 404: the queue is not in the topology); try again later.
                        self.consumer.logger.warning(
                            "cannot consume; retrying",
                            metadata: ["queue": "\(self.consumer.queue)", "error": "\(String(reflecting: error))"]
                        )
                        await self.consumer.drop()
                        try await Task.sleep(for: self.consumer.backoff.maximum)
                        continue
                    }
                }
                guard var iterator = self.current else { continue }
                do {
                    let delivery = try await iterator.next(isolation: actor)
                    self.current = iterator
                    if let delivery { return delivery }
                    if self.consumer.isClosed || Task.isCancelled { return nil }
                    self.consumer.logger.warning(
                        "the consumer ended; consuming again",
                        metadata: ["queue": "\(self.consumer.queue)"]
                    )
                } catch {
                    if self.consumer.isClosed || Task.isCancelled { return nil }
                    self.consumer.logger.warning(
                        "the consumer failed; reconnecting",
                        metadata: ["queue": "\(self.consumer.queue)", "error": "\(String(reflecting: error))"]
                    )
                }
                self.current = nil
                await self.consumer.drop()
            }
        }

        /// The next delivery and those that arrived with it: waits for one (reconnecting as long as needed), then
        /// adds up to `limit − 1` more that are already received, without waiting.
        ///
        /// Every delivery of a batch comes from the same channel, so acknowledging the last one with `multiple`
        /// acknowledges the whole batch (and nothing else, if every earlier batch was acknowledged).
        /// - Parameters:
        ///   - limit: The most deliveries to return (at least 1).
        ///   - actor: The caller's isolation.
        /// - Returns: One to `limit` deliveries, or `nil` after ``AMQPReconnectingConsumer/close()`` or when the task
        ///   is cancelled.
        /// - Throws: `CancellationError` when cancelled while waiting to reconnect.
        public mutating func next(
            upTo limit: Int,
            isolation actor: isolated (any Actor)? = #isolation
        ) async throws -> [AMQPDelivery]? {
            guard let first = try await self.next(isolation: actor) else { return nil }
            return [first] + self.takeAvailable(upTo: limit - 1)
        }

        /// The deliveries already received on the current connection, without waiting: at most `limit`, possibly
        /// none (and none while reconnecting). With ``next(upTo:isolation:)`` they come from the same channel as the
        /// deliveries it returned, as long as no call in between waited.
        /// - Parameter limit: The most deliveries to return.
        /// - Returns: The deliveries, in order.
        public mutating func takeAvailable(upTo limit: Int) -> [AMQPDelivery] {
            guard limit > 0, var iterator = self.current else { return [] }
            let taken = iterator.takeAvailable(upTo: limit)
            self.current = iterator
            return taken
        }
    }
}
