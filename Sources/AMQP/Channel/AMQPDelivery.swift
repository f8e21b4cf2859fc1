public import NIOCore

/// A message from the broker: delivered to a consumer (`basic.deliver`) or fetched (`basic.get-ok`).
///
/// Unless it was consumed with `noAck`, acknowledge it with ``ack(multiple:)``, ``nack(multiple:requeue:)`` or
/// ``reject(requeue:)`` on the channel it came from (delivery tags are the channel's). If that channel closed
/// meanwhile, the broker requeued the message already (it is delivered again, ``redelivered`` set), and the ack
/// throws the channel's error.
public struct AMQPDelivery: Sendable {
    /// The consumer's tag; empty for a `basic.get`.
    public var consumerTag: String
    /// The delivery tag, per channel.
    public var deliveryTag: UInt64
    /// Whether the message was delivered before and not acknowledged.
    public var redelivered: Bool
    /// The exchange it was published to (empty: the default exchange).
    public var exchange: String
    /// Its routing key.
    public var routingKey: String
    /// Its content properties.
    public var properties: AMQPProperties
    /// Its body.
    public var body: ByteBuffer
    /// For a `basic.get`: the messages left in the queue; `nil` for a delivery to a consumer.
    public var messageCount: UInt32?
    /// The channel it came on.
    public let channel: AMQPChannel

    init(deliver: AMQPMethod.Basic.Deliver, content: AMQPContent, channel: AMQPChannel) {
        self.consumerTag = deliver.consumerTag
        self.deliveryTag = deliver.deliveryTag
        self.redelivered = deliver.redelivered
        self.exchange = deliver.exchange
        self.routingKey = deliver.routingKey
        self.properties = content.properties
        self.body = content.body
        self.messageCount = nil
        self.channel = channel
    }

    init(getOk: AMQPMethod.Basic.GetOk, content: AMQPContent, channel: AMQPChannel) {
        self.consumerTag = ""
        self.deliveryTag = getOk.deliveryTag
        self.redelivered = getOk.redelivered
        self.exchange = getOk.exchange
        self.routingKey = getOk.routingKey
        self.properties = content.properties
        self.body = content.body
        self.messageCount = getOk.messageCount
        self.channel = channel
    }

    /// Acknowledges the message (and, with `multiple`, every earlier unacknowledged one of the channel).
    nonisolated(nonsending) public func ack(multiple: Bool = false) async throws {
        try await self.channel.ack(deliveryTag: self.deliveryTag, multiple: multiple)
    }

    /// Refuses the message (and, with `multiple`, every earlier unacknowledged one): requeued, or dropped (or
    /// dead-lettered) when `requeue` is false.
    nonisolated(nonsending) public func nack(multiple: Bool = false, requeue: Bool = true) async throws {
        try await self.channel.nack(deliveryTag: self.deliveryTag, multiple: multiple, requeue: requeue)
    }

    /// Refuses this one message: requeued, or dropped (or dead-lettered) when `requeue` is false.
    nonisolated(nonsending) public func reject(requeue: Bool = true) async throws {
        try await self.channel.reject(deliveryTag: self.deliveryTag, requeue: requeue)
    }
}
