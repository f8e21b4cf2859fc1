import NIOCore

/// Assembles the content of one incoming message on a channel: its method (`basic.deliver`, `basic.return` or
/// `basic.get-ok`), then one content header frame, then body frames until the header's body size is reached.
///
/// Nothing else may come on the channel in between; a frame out of place is a ``ProtocolViolation`` (505
/// UNEXPECTED_FRAME). Every body ends up in a buffer of its own, copied once: a body in one frame is copied out of the
/// frame (a slice of the connection's receive buffer, which the slice would otherwise keep alive, whole, for as long
/// as the message is held: with a thousand unacknowledged ~2 KB messages each holding a receive buffer of up to
/// 64 KiB, a notification drain's peak RSS was tens of MiB higher); a body in several frames is copied into a buffer
/// reserved for the rest of the body.
struct ContentAssembler: Sendable {
    /// A method that carries content.
    enum Method: Sendable, Hashable {
        /// `basic.deliver`: a message for a consumer.
        case deliver(AMQPMethod.Basic.Deliver)
        /// `basic.return`: a mandatory message that could not be routed.
        case `return`(AMQPMethod.Basic.Return)
        /// `basic.get-ok`: the message of a `basic.get`.
        case getOk(AMQPMethod.Basic.GetOk)
    }

    private enum State: Sendable {
        case idle
        case awaitingHeader(Method)
        case awaitingBody(Method, AMQPProperties, remaining: UInt64, body: ByteBuffer?)
        case modifying
    }

    /// A buffer of its own holding `part`'s readable bytes.
    static func copy(_ part: ByteBuffer) -> ByteBuffer {
        var copy = ByteBuffer()
        copy.reserveCapacity(part.readableBytes)
        copy.writeImmutableBuffer(part)
        return copy
    }

    /// The most a multi-frame body reserves ahead, whatever size the header announces.
    static let maximumReservation: UInt64 = 1 << 26

    private var state: State = .idle

    /// Creates an idle assembler.
    init() {}

    /// Whether no message is being assembled: a method frame may come.
    var isIdle: Bool {
        switch self.state {
        case .idle: true
        case .awaitingHeader, .awaitingBody: false
        case .modifying: preconditionFailure("invalid state: modifying")
        }
    }

    /// A method that carries content arrived: a content header must follow.
    ///
    /// - Parameter method: The method.
    /// - Throws: ``ProtocolViolation`` (505) when a message is being assembled already.
    mutating func start(_ method: Method) throws(ProtocolViolation) {
        switch self.state {
        case .idle:
            self.state = .awaitingHeader(method)
        case .awaitingHeader, .awaitingBody:
            throw .unexpectedFrame("expected a content header or body frame, got a method frame")
        case .modifying:
            preconditionFailure("invalid state: modifying")
        }
    }

    /// A content header arrived.
    ///
    /// - Parameter header: The content header.
    /// - Returns: The method and its content when the body is empty (no body frame follows); `nil` while body frames
    ///   are due.
    /// - Throws: ``ProtocolViolation`` (505) when no content method came before it, or its body frames are due.
    mutating func header(_ header: AMQPContentHeader) throws(ProtocolViolation) -> (Method, AMQPContent)? {
        switch self.state {
        case .awaitingHeader(let method):
            guard header.bodySize > 0 else {
                self.state = .idle
                return (method, AMQPContent(properties: header.properties, body: ByteBuffer()))
            }
            self.state = .awaitingBody(method, header.properties, remaining: header.bodySize, body: nil)
            return nil
        case .idle:
            throw .unexpectedFrame("a content header without a method that carries content")
        case .awaitingBody:
            throw .unexpectedFrame("expected a content body frame, got a content header")
        case .modifying:
            preconditionFailure("invalid state: modifying")
        }
    }

    /// A content body frame arrived.
    ///
    /// - Parameter part: The frame's payload.
    /// - Returns: The method and its content when the body is complete; `nil` while more body frames are due.
    /// - Throws: ``ProtocolViolation`` (505) when no header came before it, or it goes past the body size.
    mutating func body(_ part: ByteBuffer) throws(ProtocolViolation) -> (Method, AMQPContent)? {
        switch self.state {
        case .awaitingBody(let method, let properties, let remaining, var body):
            let size = UInt64(part.readableBytes)
            guard size <= remaining else {
                throw .unexpectedFrame("a content body frame goes past the body size of the content header")
            }
            self.state = .modifying
            if body == nil {
                if size == remaining {
                    self.state = .idle
                    return (method, AMQPContent(properties: properties, body: Self.copy(part)))
                }
                var first = part
                first.reserveCapacity(minimumWritableBytes: Int(min(remaining - size, Self.maximumReservation)))
                body = first
            } else {
                var part = part
                body?.writeBuffer(&part)
            }
            if size == remaining {
                self.state = .idle
                return (method, AMQPContent(properties: properties, body: body ?? ByteBuffer()))
            }
            self.state = .awaitingBody(method, properties, remaining: remaining - size, body: body)
            return nil
        case .idle:
            throw .unexpectedFrame("a content body frame without a content header")
        case .awaitingHeader:
            throw .unexpectedFrame("expected a content header, got a content body frame")
        case .modifying:
            preconditionFailure("invalid state: modifying")
        }
    }

    /// Drops a message being assembled: the channel is closing or closed.
    mutating func reset() {
        self.state = .idle
    }
}
