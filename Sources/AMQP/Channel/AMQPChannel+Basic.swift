public import NIOCore
import Synchronization

extension AMQPChannel {
    /// Limits the unacknowledged deliveries (`basic.qos`): `prefetchCount` per consumer (RabbitMQ's meaning), or per
    /// channel with `global`. 0 means no limit.
    public func qos(prefetchCount: UInt16, global: Bool = false) async throws {
        _ = try await self.request(.basic(.qos(.init(prefetchCount: prefetchCount, global: global))))
    }

    /// Puts the channel in confirm mode (`confirm.select`): the broker confirms every later publish, and
    /// ``AMQPPublishReceipt/confirmed()`` waits for it.
    public func confirmSelect() async throws {
        _ = try await self.request(.confirm(.select(.init())))
        self.shared.setConfirmMode()
    }

    /// Publishes a message (`basic.publish`, its content header and body frames split at the negotiated frame size).
    ///
    /// The message is encoded on the caller's thread and queued for the connection's event loop, which writes the
    /// messages queued meanwhile together; the call returns without waiting for it. While the broker blocks the
    /// connection (`connection.blocked`, a resource alarm), the socket's buffer is full, or 4 MiB wait to be written,
    /// the call waits until that ends: a fast publisher slows down instead of filling memory.
    ///
    /// - Parameters:
    ///   - body: The body.
    ///   - exchange: The exchange; empty: the default exchange (routes to the queue named `routingKey`).
    ///   - routingKey: The routing key.
    ///   - mandatory: Return the message (``returnedMessages()``) when no queue takes it, instead of dropping it.
    ///   - properties: The content properties (`deliveryMode: 2` for persistent).
    /// - Returns: The receipt: in confirm mode, the delivery tag and the broker's confirmation to wait for.
    /// - Throws: ``AMQPError``: the channel or connection is closed, or the message cannot be encoded (a string
    ///   longer than 255 bytes): nothing was sent then.
    @discardableResult
    nonisolated(nonsending) public func publish(
        _ body: ByteBuffer,
        exchange: String = "",
        routingKey: String,
        mandatory: Bool = false,
        properties: AMQPProperties = AMQPProperties()
    ) async throws -> AMQPPublishReceipt {
        let (closeError, isConfirmMode) = self.shared.publishState
        if let closeError { throw closeError }
        try await self.writer.connection.waitUntilWritable()
        var encoder = AMQPFrameEncoder(
            buffer: self.writer.channel.allocator.buffer(capacity: body.readableBytes + 256),
            maximumFrameSize: self.frameMax
        )
        try encoder.appendContent(
            .basic(.publish(.init(exchange: exchange, routingKey: routingKey, mandatory: mandatory))),
            properties: properties,
            body: body,
            channel: self.number
        )
        let bytes = encoder.flush()
        let confirm = isConfirmMode ? PublishConfirmation() : nil
        do {
            try self.enqueue(.publish(channel: self.number, bytes, confirm: confirm), size: bytes.readableBytes)
        } catch {
            confirm?.fail(error)
            throw error
        }
        return AMQPPublishReceipt(confirmation: confirm)
    }

    /// Publishes a UTF-8 string (see ``publish(_:exchange:routingKey:mandatory:properties:)``).
    @discardableResult
    nonisolated(nonsending) public func publish(
        _ text: String,
        exchange: String = "",
        routingKey: String,
        mandatory: Bool = false,
        properties: AMQPProperties = AMQPProperties()
    ) async throws -> AMQPPublishReceipt {
        try await self.publish(
            ByteBuffer(string: text),
            exchange: exchange,
            routingKey: routingKey,
            mandatory: mandatory,
            properties: properties
        )
    }

    /// The mandatory messages the broker returns from now on (`basic.return`), until the channel closes.
    /// Without it they are logged and dropped. Calling it again replaces the previous sequence.
    public func returnedMessages() async throws -> AsyncStream<AMQPReturnedMessage> {
        let (stream, continuation) = AsyncStream<AMQPReturnedMessage>.makeStream()
        try await self.writer.submit { (promise: EventLoopPromise<Void>) in
            promise.succeed()
            return .setReturnHandler(channel: self.number, continuation)
        }
        return stream
    }

    /// Starts a consumer (`basic.consume`).
    ///
    /// - Parameters:
    ///   - queue: The queue.
    ///   - consumerTag: The consumer's tag, unique on the channel; by default one is generated.
    ///   - noAck: The broker considers messages acknowledged when it sends them (no ack needed; lost on failure).
    ///   - exclusive: No other consumer may consume from the queue (403 ACCESS_REFUSED otherwise).
    ///   - arguments: Extra arguments (e.g. `x-priority`).
    /// - Returns: The deliveries.
    /// - Throws: ``AMQPError``, e.g. ``AMQPError/Code/channelClosed`` with 404 NOT_FOUND when the queue does not
    ///   exist.
    public func consume(
        queue: String,
        consumerTag: String? = nil,
        noAck: Bool = false,
        exclusive: Bool = false,
        arguments: AMQPTable = [:]
    ) async throws -> AMQPConsumer {
        let tag = consumerTag ?? Self.makeConsumerTag(channel: self.number)
        let consume = AMQPMethod.Basic.Consume(
            queue: queue,
            consumerTag: tag,
            noAck: noAck,
            exclusive: exclusive,
            arguments: arguments
        )
        try self.validate(.basic(.consume(consume)))
        let queue = DeliveryQueue()
        do {
            _ = try await self.writer.submit { .consume(consume, channel: self.number, queue, $0) }
        } catch let error as AMQPError {
            queue.finish(throwing: nil)
            throw self.shared.closeError ?? error
        }
        return AMQPConsumer(consumerTag: tag, channel: self, queue: queue)
    }

    /// Cancels a consumer (`basic.cancel`): its sequence ends after the deliveries received before `cancel-ok`.
    public func cancel(consumerTag: String) async throws {
        _ = try await self.request(.basic(.cancel(.init(consumerTag: consumerTag))))
    }

    /// Fetches one message (`basic.get`).
    ///
    /// - Parameters:
    ///   - queue: The queue.
    ///   - noAck: Consider it acknowledged at once.
    /// - Returns: The message, or `nil` when the queue is empty.
    public func get(queue: String, noAck: Bool = false) async throws -> AMQPDelivery? {
        let response = try await self.request(.basic(.get(.init(queue: queue, noAck: noAck))))
        switch response {
        case .getOk(let getOk, let content):
            return AMQPDelivery(getOk: getOk, content: content, channel: self)
        case .method(.basic(.getEmpty)):
            return nil
        case .method:
            throw AMQPError.unexpectedResponse(to: "basic.get")
        }
    }

    /// Acknowledges a delivery (`basic.ack`), and with `multiple` every earlier one.
    nonisolated(nonsending) public func ack(deliveryTag: UInt64, multiple: Bool = false) async throws {
        try self.send(.basic(.ack(.init(deliveryTag: deliveryTag, multiple: multiple))))
    }

    /// Refuses a delivery (`basic.nack`), and with `multiple` every earlier one: requeued, or dropped (or
    /// dead-lettered) when `requeue` is false.
    nonisolated(nonsending) public func nack(
        deliveryTag: UInt64,
        multiple: Bool = false,
        requeue: Bool = true
    ) async throws {
        try self.send(.basic(.nack(.init(deliveryTag: deliveryTag, multiple: multiple, requeue: requeue))))
    }

    /// Refuses one delivery (`basic.reject`): requeued, or dropped (or dead-lettered) when `requeue` is false.
    nonisolated(nonsending) public func reject(deliveryTag: UInt64, requeue: Bool = true) async throws {
        try self.send(.basic(.reject(.init(deliveryTag: deliveryTag, requeue: requeue))))
    }

    private static let consumerTags = Atomic<UInt64>(0)

    private static func makeConsumerTag(channel: UInt16) -> String {
        let (number, _) = Self.consumerTags.add(1, ordering: .relaxed)
        return "amqp-swift.\(channel).\(number)"
    }
}

extension AMQPError {
    /// The broker answered a request with a method that is a valid reply but not the one expected.
    static func unexpectedResponse(to method: String) -> Self {
        AMQPError(code: .unexpectedFrame, message: "unexpected reply to \(method)")
    }
}
