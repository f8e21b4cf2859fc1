import NIOCore

/// The content properties of the `basic` class, carried in a content header frame: every one of the 14 properties is
/// optional, and only those that are set are sent.
///
/// On the wire, a 16-bit flags word has one bit per property, from bit 15 (`content-type`) down to bit 2
/// (`cluster-id`); bit 0 set means another flags word follows. The values of the set properties follow in order.
public struct AMQPProperties: Sendable, Hashable {
    /// `content-type`: the MIME type of the body, e.g. `application/json`.
    public var contentType: String?
    /// `content-encoding`: the MIME encoding of the body, e.g. `utf-8`.
    public var contentEncoding: String?
    /// `headers`: application headers.
    public var headers: AMQPTable?
    /// `delivery-mode`: 1 non-persistent, 2 persistent.
    public var deliveryMode: UInt8?
    /// `priority`: 0 to 9.
    public var priority: UInt8?
    /// `correlation-id`: the application's correlation identifier.
    public var correlationID: String?
    /// `reply-to`: the address to reply to.
    public var replyTo: String?
    /// `expiration`: the message TTL in milliseconds, as a decimal string.
    public var expiration: String?
    /// `message-id`: the application's message identifier.
    public var messageID: String?
    /// `timestamp`: seconds since the Unix epoch.
    public var timestamp: UInt64?
    /// `type`: the application's message type name.
    public var type: String?
    /// `user-id`: the creating user; RabbitMQ checks it against the connection's user.
    public var userID: String?
    /// `app-id`: the creating application.
    public var appID: String?
    /// `cluster-id`: deprecated; reserved.
    public var clusterID: String?

    /// Creates properties; every property defaults to absent.
    ///
    /// - Parameters:
    ///   - contentType: The MIME type of the body.
    ///   - contentEncoding: The MIME encoding of the body.
    ///   - headers: Application headers.
    ///   - deliveryMode: 1 non-persistent, 2 persistent.
    ///   - priority: 0 to 9.
    ///   - correlationID: The application's correlation identifier.
    ///   - replyTo: The address to reply to.
    ///   - expiration: The message TTL in milliseconds, as a decimal string.
    ///   - messageID: The application's message identifier.
    ///   - timestamp: Seconds since the Unix epoch.
    ///   - type: The application's message type name.
    ///   - userID: The creating user.
    ///   - appID: The creating application.
    ///   - clusterID: Deprecated; reserved.
    public init(
        contentType: String? = nil,
        contentEncoding: String? = nil,
        headers: AMQPTable? = nil,
        deliveryMode: UInt8? = nil,
        priority: UInt8? = nil,
        correlationID: String? = nil,
        replyTo: String? = nil,
        expiration: String? = nil,
        messageID: String? = nil,
        timestamp: UInt64? = nil,
        type: String? = nil,
        userID: String? = nil,
        appID: String? = nil,
        clusterID: String? = nil
    ) {
        self.contentType = contentType
        self.contentEncoding = contentEncoding
        self.headers = headers
        self.deliveryMode = deliveryMode
        self.priority = priority
        self.correlationID = correlationID
        self.replyTo = replyTo
        self.expiration = expiration
        self.messageID = messageID
        self.timestamp = timestamp
        self.type = type
        self.userID = userID
        self.appID = appID
        self.clusterID = clusterID
    }
}

// MARK: - Wire format

extension AMQPProperties {
    /// The flag bit of each property, in wire order.
    enum Flag {
        static let contentType: UInt16 = 1 << 15
        static let contentEncoding: UInt16 = 1 << 14
        static let headers: UInt16 = 1 << 13
        static let deliveryMode: UInt16 = 1 << 12
        static let priority: UInt16 = 1 << 11
        static let correlationID: UInt16 = 1 << 10
        static let replyTo: UInt16 = 1 << 9
        static let expiration: UInt16 = 1 << 8
        static let messageID: UInt16 = 1 << 7
        static let timestamp: UInt16 = 1 << 6
        static let type: UInt16 = 1 << 5
        static let userID: UInt16 = 1 << 4
        static let appID: UInt16 = 1 << 3
        static let clusterID: UInt16 = 1 << 2
        /// Bit 1: not used by the `basic` class.
        static let unused: UInt16 = 1 << 1
        /// Bit 0: another flags word follows.
        static let continuation: UInt16 = 1 << 0
    }

    /// The flags word of these properties: a bit for each property that is set.
    var flags: UInt16 {
        var flags: UInt16 = 0
        if self.contentType != nil { flags |= Flag.contentType }
        if self.contentEncoding != nil { flags |= Flag.contentEncoding }
        if self.headers != nil { flags |= Flag.headers }
        if self.deliveryMode != nil { flags |= Flag.deliveryMode }
        if self.priority != nil { flags |= Flag.priority }
        if self.correlationID != nil { flags |= Flag.correlationID }
        if self.replyTo != nil { flags |= Flag.replyTo }
        if self.expiration != nil { flags |= Flag.expiration }
        if self.messageID != nil { flags |= Flag.messageID }
        if self.timestamp != nil { flags |= Flag.timestamp }
        if self.type != nil { flags |= Flag.type }
        if self.userID != nil { flags |= Flag.userID }
        if self.appID != nil { flags |= Flag.appID }
        if self.clusterID != nil { flags |= Flag.clusterID }
        return flags
    }

    /// Reads the property flags words and the properties they announce.
    ///
    /// - Throws: ``AMQPError`` `malformedFrame` for a flag the `basic` class does not define (bit 1, or any bit but
    ///   the continuation bit in a continuation word), `truncated`, `invalidUTF8`, field table errors.
    init(decoding buffer: inout ByteBuffer) throws(AMQPError) {
        let flagsOffset = buffer.readerIndex
        let flags = try buffer.readAMQPShort()
        if flags & Flag.unused != 0 {
            throw AMQPError(code: .malformedFrame, message: "unknown content property flag", offset: flagsOffset)
        }
        var more = flags & Flag.continuation != 0
        while more {
            let wordOffset = buffer.readerIndex
            let word = try buffer.readAMQPShort()
            if word & ~Flag.continuation != 0 {
                throw AMQPError(code: .malformedFrame, message: "unknown content property flag", offset: wordOffset)
            }
            more = word & Flag.continuation != 0
        }
        self.init()
        if flags & Flag.contentType != 0 { self.contentType = try buffer.readAMQPShortString() }
        if flags & Flag.contentEncoding != 0 { self.contentEncoding = try buffer.readAMQPShortString() }
        if flags & Flag.headers != 0 { self.headers = try AMQPTable(decoding: &buffer) }
        if flags & Flag.deliveryMode != 0 { self.deliveryMode = try buffer.readAMQPOctet() }
        if flags & Flag.priority != 0 { self.priority = try buffer.readAMQPOctet() }
        if flags & Flag.correlationID != 0 { self.correlationID = try buffer.readAMQPShortString() }
        if flags & Flag.replyTo != 0 { self.replyTo = try buffer.readAMQPShortString() }
        if flags & Flag.expiration != 0 { self.expiration = try buffer.readAMQPShortString() }
        if flags & Flag.messageID != 0 { self.messageID = try buffer.readAMQPShortString() }
        if flags & Flag.timestamp != 0 { self.timestamp = try buffer.readAMQPTimestamp() }
        if flags & Flag.type != 0 { self.type = try buffer.readAMQPShortString() }
        if flags & Flag.userID != 0 { self.userID = try buffer.readAMQPShortString() }
        if flags & Flag.appID != 0 { self.appID = try buffer.readAMQPShortString() }
        if flags & Flag.clusterID != 0 { self.clusterID = try buffer.readAMQPShortString() }
    }

    /// Writes one flags word (14 properties need no continuation) and the properties that are set.
    ///
    /// - Throws: ``AMQPError`` `stringTooLong` for a short string property longer than 255 bytes, table errors.
    func encode(into buffer: inout ByteBuffer) throws(AMQPError) {
        buffer.writeAMQPShort(self.flags)
        if let contentType { try buffer.writeAMQPShortString(contentType) }
        if let contentEncoding { try buffer.writeAMQPShortString(contentEncoding) }
        if let headers { try headers.encode(into: &buffer) }
        if let deliveryMode { buffer.writeAMQPOctet(deliveryMode) }
        if let priority { buffer.writeAMQPOctet(priority) }
        if let correlationID { try buffer.writeAMQPShortString(correlationID) }
        if let replyTo { try buffer.writeAMQPShortString(replyTo) }
        if let expiration { try buffer.writeAMQPShortString(expiration) }
        if let messageID { try buffer.writeAMQPShortString(messageID) }
        if let timestamp { buffer.writeAMQPTimestamp(timestamp) }
        if let type { try buffer.writeAMQPShortString(type) }
        if let userID { try buffer.writeAMQPShortString(userID) }
        if let appID { try buffer.writeAMQPShortString(appID) }
        if let clusterID { try buffer.writeAMQPShortString(clusterID) }
    }
}
