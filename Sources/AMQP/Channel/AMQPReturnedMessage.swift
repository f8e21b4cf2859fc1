public import NIOCore

/// A mandatory message that the broker could not route to any queue (`basic.return`).
public struct AMQPReturnedMessage: Sendable {
    /// Why: 312 NO_ROUTE, usually.
    public var replyCode: AMQPReplyCode
    /// The broker's text.
    public var replyText: String
    /// The exchange it was published to.
    public var exchange: String
    /// Its routing key.
    public var routingKey: String
    /// Its content properties.
    public var properties: AMQPProperties
    /// Its body.
    public var body: ByteBuffer

    init(returned: AMQPMethod.Basic.Return, content: AMQPContent) {
        self.replyCode = returned.replyCode
        self.replyText = returned.replyText
        self.exchange = returned.exchange
        self.routingKey = returned.routingKey
        self.properties = content.properties
        self.body = content.body
    }
}
