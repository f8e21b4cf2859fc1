import NIOCore

/// The content of a message as received: the properties of its content header and its body, assembled from the body
/// frames.
struct AMQPContent: Sendable, Hashable {
    /// The content properties.
    var properties: AMQPProperties
    /// The body: all body frames, in order.
    var body: ByteBuffer
}

/// What a synchronous request on a channel succeeds with.
enum ChannelResponse: Sendable, Hashable {
    /// The reply method, e.g. `queue.declare-ok`, `basic.get-empty`, `channel.open-ok`, `channel.close-ok`.
    case method(AMQPMethod)
    /// `basic.get-ok` and the message it carries.
    case getOk(AMQPMethod.Basic.GetOk, AMQPContent)
}
