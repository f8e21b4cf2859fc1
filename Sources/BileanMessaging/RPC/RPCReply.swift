package import BileanCore

/// An RPC reply, the message inside the envelope, as oslo.messaging's server sends it to the caller's reply queue
/// (through the default exchange, routing key the queue's name):
///
/// `result` (the method's return value, `null` on failure), `failure` (`null`, or the JSON text of
/// ``RPCRemoteError/failureObject``), `ending` (`true`: the last reply of the call; `false` with neither result nor
/// failure: a call-monitor heartbeat), `_msg_id` (the request's) and `_unique_id`.
package struct RPCReply: Sendable, Hashable {
    /// The request's `_msg_id`.
    package var messageID: String?
    /// The result (`null` when there is none).
    package var result: JSONValue
    /// The error, when the request failed.
    package var failure: RPCRemoteError?
    /// Whether this is the call's last reply.
    package var ending: Bool
    /// The reply's unique id.
    package var uniqueID: String?

    /// Creates a reply.
    /// - Parameters:
    ///   - messageID: The request's `_msg_id`.
    ///   - result: The result, or `null`.
    ///   - failure: The error, or `nil`.
    ///   - ending: Whether it is the call's last reply.
    ///   - uniqueID: The reply's unique id.
    package init(
        messageID: String?,
        result: JSONValue = .null,
        failure: RPCRemoteError? = nil,
        ending: Bool = true,
        uniqueID: String? = nil
    ) {
        self.messageID = messageID
        self.result = result
        self.failure = failure
        self.ending = ending
        self.uniqueID = uniqueID
    }

    /// Whether this is a call-monitor heartbeat: not the last reply, and neither result nor failure.
    package var isHeartbeat: Bool { !self.ending && self.result == .null && self.failure == nil }

    /// The outcome the caller sees.
    package var outcome: Result<JSONValue, RPCRemoteError> {
        if let failure = self.failure { return .failure(failure) }
        return .success(self.result)
    }

    /// The message object, as oslo writes it.
    /// - Throws: Never in practice; an encoding error for a failure that cannot be written.
    package func message() throws -> [String: JSONValue] {
        var message: [String: JSONValue] = [
            "result": self.result,
            "failure": try self.failure.map { .string(try $0.failureText()) } ?? .null,
            "ending": .bool(self.ending),
            "_msg_id": self.messageID.map(JSONValue.string) ?? .null,
        ]
        if let uniqueID = self.uniqueID { message["_unique_id"] = .string(uniqueID) }
        return message
    }

    /// The reply in the envelope, as the AMQP body.
    /// - Throws: When the result cannot be written as JSON (a number whose text is not a decimal).
    package func body() throws -> String {
        try OsloEnvelope.wrap(try self.message())
    }

    /// Reads a reply message, as oslo's `ReplyWaiter` does: a missing `result` is `null`, a missing `ending` is
    /// `false`, a `failure` that is not `null` is the error.
    /// - Parameter message: The message object.
    /// - Throws: ``MessagingError`` ``MessagingError/Code/invalidReply`` when `_msg_id` or `ending` has the wrong
    ///   type.
    package init(message: [String: JSONValue]) throws(MessagingError) {
        switch message["_msg_id"] {
        case .none, .null: self.messageID = nil
        case .string(let id): self.messageID = id
        case .some(let other):
            throw MessagingError(.invalidReply, "'_msg_id' is a \(other.typeName), not a string")
        }
        self.result = message["result"] ?? .null
        switch message["failure"] {
        case .none, .null: self.failure = nil
        case .some(let failure): self.failure = RPCRemoteError(failure: failure)
        }
        switch message["ending"] {
        case .none, .null: self.ending = false
        case .bool(let ending): self.ending = ending
        case .some(let other):
            throw MessagingError(.invalidReply, "'ending' is a \(other.typeName), not a boolean")
        }
        self.uniqueID = message["_unique_id"]?.stringValue
    }

    /// Reads an envelope body as a reply.
    /// - Parameter body: The AMQP body.
    /// - Throws: ``MessagingError``.
    package init(body: some Collection<UInt8>) throws(MessagingError) {
        try self.init(message: try OsloEnvelope.unwrap(body).message)
    }
}
