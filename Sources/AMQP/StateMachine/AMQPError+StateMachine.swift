extension AMQPError {
    /// The broker closed the connection with `close`.
    ///
    /// - Parameters:
    ///   - close: The broker's `connection.close`.
    ///   - duringHandshake: Whether the handshake had not finished: a 403 ACCESS_REFUSED then means that the
    ///     credentials were refused (``Code/authenticationFailed``).
    static func connectionClosed(by close: AMQPMethod.Connection.Close, duringHandshake: Bool) -> Self {
        let refused = duringHandshake && close.replyCode == .accessRefused
        var error = AMQPError(
            code: refused ? .authenticationFailed : .connectionClosed,
            message: refused ? "the broker refused the credentials" : "the broker closed the connection"
        )
        error.replyCode = close.replyCode
        error.replyText = close.replyText
        error.classID = close.classID == 0 ? nil : close.classID
        error.methodID = close.classID == 0 ? nil : close.methodID
        return error
    }

    /// This client closed the connection (`connection.close` with 200 REPLY_SUCCESS).
    static var connectionClosedByClient: Self {
        var error = AMQPError(code: .connectionClosed, message: "the connection was closed by the client")
        error.replyCode = .success
        return error
    }

    /// An operation needs an open connection, and the handshake has not finished.
    static var connectionNotOpen: Self {
        AMQPError(code: .connectionClosed, message: "the connection is not open")
    }

    /// The connection ended without `connection.close`.
    ///
    /// - Parameter underlying: The I/O error, or `nil` for end of file.
    static func connectionLost(_ underlying: (any Error)?) -> Self {
        var error = AMQPError(
            code: .connectionLost,
            message: underlying == nil ? "the broker closed the connection without connection.close" : "I/O error"
        )
        error.underlying = underlying
        return error
    }

    /// Nothing came from the broker for two heartbeat intervals.
    static var deadPeer: Self {
        AMQPError(code: .deadPeer, message: "no frame from the broker for two heartbeat intervals")
    }

    /// The broker sent something not valid where it came; the client closed the connection with `violation`'s code.
    static func protocolViolation(_ violation: ProtocolViolation) -> Self {
        // The violation's text is fixed text: it is the message; the reply text is left for the broker's.
        var error = AMQPError(code: .unexpectedFrame, message: violation.text)
        error.replyCode = violation.replyCode
        error.classID = violation.classID == 0 ? nil : violation.classID
        error.methodID = violation.classID == 0 ? nil : violation.methodID
        return error
    }

    /// The broker closed channel `channel` with `close`; the connection lives on.
    static func channelClosed(by close: AMQPMethod.Channel.Close, channel: UInt16) -> Self {
        var error = AMQPError(code: .channelClosed, message: "the broker closed the channel")
        error.channel = channel
        error.replyCode = close.replyCode
        error.replyText = close.replyText
        error.classID = close.classID == 0 ? nil : close.classID
        error.methodID = close.classID == 0 ? nil : close.methodID
        return error
    }

    /// This client closed channel `channel` (or it is not open).
    static func channelClosedByClient(_ channel: UInt16) -> Self {
        var error = AMQPError(code: .channelClosed, message: "the channel is closed")
        error.channel = channel
        error.replyCode = .success
        return error
    }

    /// Every channel number is in use.
    static var channelLimitReached: Self {
        AMQPError(code: .channelLimitReached, message: "every channel number up to channel_max is in use")
    }

    /// Whether two errors report the same failure: the same code, reply code and text, channel, class and method.
    ///
    /// The state machines' actions compare errors with it (tests compare actions); the message and the underlying
    /// error are left out.
    func isSameFailure(as other: AMQPError) -> Bool {
        self.code == other.code && self.replyCode == other.replyCode && self.replyText == other.replyText
            && self.channel == other.channel && self.classID == other.classID && self.methodID == other.methodID
    }
}
