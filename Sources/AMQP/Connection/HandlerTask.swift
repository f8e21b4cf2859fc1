import NIOCore

/// What ``AMQPConnection`` and ``AMQPChannel`` ask of the ``AMQPChannelHandler``: written to the NIO channel, run on
/// its event loop. Every task carries the promise its caller awaits.
enum HandlerTask: Sendable {
    /// Open a channel; succeed with the ``AMQPChannel`` once `channel.open-ok` came.
    case openChannel(EventLoopPromise<AMQPChannel>)
    /// A synchronous request on a channel (declare, bind, qos, get, cancel…).
    case request(AMQPMethod, channel: UInt16, EventLoopPromise<ChannelResponse>)
    /// `basic.consume`: register the consumer's stream before the request goes out, so that no delivery that
    /// follows `consume-ok` in the same read is missed.
    case consume(
        AMQPMethod.Basic.Consume,
        channel: UInt16,
        DeliveryQueue,
        EventLoopPromise<ChannelResponse>
    )
    /// Write what callers appended to the outbox (publishes, acks; see ``ConnectionShared``).
    case drainOutbox
    /// Close a channel.
    case closeChannel(UInt16, EventLoopPromise<ChannelResponse>)
    /// Set or clear the stream of a channel's returned messages.
    case setReturnHandler(channel: UInt16, AsyncStream<AMQPReturnedMessage>.Continuation?)
    /// Close the connection.
    case closeConnection(EventLoopPromise<Void>)
}
