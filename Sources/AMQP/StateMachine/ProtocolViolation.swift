/// A frame or method from the broker that is not valid where it came.
///
/// The state machines throw it; ``ConnectionStateMachine`` turns it into a `connection.close` carrying ``replyCode``
/// (a hard error: the connection cannot be trusted any more) and fails everything with
/// ``AMQPError/Code/unexpectedFrame``. The codes used:
///
/// | code | when |
/// |---|---|
/// | 505 UNEXPECTED_FRAME | a frame or connection method where the handshake or the close does not expect it; a content header or body frame out of place; a heartbeat on a channel other than 0 |
/// | 503 COMMAND_INVALID | a method of the wrong class for its channel (not `connection.*` on channel 0, `connection.*` on another channel); a method on a channel that the client never accepts there (a reply without a matching request, `basic.ack` outside confirm mode) |
/// | 504 CHANNEL_ERROR | a frame on a channel that is not open |
struct ProtocolViolation: Error, Hashable, Sendable, CustomStringConvertible {
    /// The hard-error reply code to close the connection with.
    var replyCode: AMQPReplyCode
    /// The reply text to send; fixed text, no payload data.
    var text: String
    /// The class id of the offending method, or 0.
    var classID: UInt16
    /// The method id of the offending method, or 0.
    var methodID: UInt16

    /// Creates a violation.
    ///
    /// - Parameters:
    ///   - replyCode: The hard-error reply code.
    ///   - text: Fixed text for the reply.
    ///   - method: The offending method, if the frame was a method frame.
    init(_ replyCode: AMQPReplyCode, _ text: String, method: AMQPMethod? = nil) {
        self.replyCode = replyCode
        self.text = text
        self.classID = method?.classID ?? 0
        self.methodID = method?.methodID ?? 0
    }

    /// 505 UNEXPECTED_FRAME.
    static func unexpectedFrame(_ text: String, method: AMQPMethod? = nil) -> Self {
        Self(.unexpectedFrame, text, method: method)
    }

    /// 503 COMMAND_INVALID.
    static func commandInvalid(_ text: String, method: AMQPMethod? = nil) -> Self {
        Self(.commandInvalid, text, method: method)
    }

    /// 504 CHANNEL_ERROR.
    static func channelError(_ text: String, method: AMQPMethod? = nil) -> Self {
        Self(.channelError, text, method: method)
    }

    /// Whether two violations close with the same code for the same method; the text is for people and left out.
    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.replyCode == rhs.replyCode && lhs.classID == rhs.classID && lhs.methodID == rhs.methodID
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(self.replyCode)
        hasher.combine(self.classID)
        hasher.combine(self.methodID)
    }

    /// The code, the method and the text.
    var description: String {
        "ProtocolViolation(\(self.replyCode), class \(self.classID), method \(self.methodID): \(self.text))"
    }

    /// The `connection.close` to send.
    var close: AMQPMethod.Connection.Close {
        AMQPMethod.Connection.Close(
            replyCode: self.replyCode,
            replyText: "\(self.replyCode.name ?? "ERROR") - \(self.text)",
            classID: self.classID,
            methodID: self.methodID
        )
    }
}
