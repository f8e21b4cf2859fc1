package import BileanCore

/// An RPC request, the message inside the envelope, with the members oslo.messaging's `RPCClient` and rabbit
/// driver send:
///
/// `method`, `args` (an object), `namespace` and `version` (each only when the target sets it), for a call
/// `_msg_id` (the reply's correlation id), `_reply_q` (the caller's reply queue) and `_timeout` (the call-monitor
/// timeout, usually `null`), then `_unique_id` (on every message) and the ``RPCContext`` as `_context_*` keys.
package struct RPCRequest: Sendable, Hashable {
    /// The method.
    package var method: String
    /// The arguments, by name.
    package var args: [String: JSONValue]
    /// The namespace, or `nil` for oslo's default namespace.
    package var namespace: String?
    /// The version asked for (`1.0` when the message names none, as oslo's dispatcher reads it).
    package var version: String
    /// For a call: the id the reply carries (`_msg_id`); `nil` for a cast.
    package var messageID: String?
    /// For a call: the queue to reply to (`_reply_q`).
    package var replyQueue: String?
    /// For a call: the call-monitor timeout in seconds (`_timeout`), when the caller wants heartbeats.
    package var callMonitorTimeout: JSONValue?
    /// The message's unique id (`_unique_id`), for duplicate detection.
    package var uniqueID: String?
    /// Who asked.
    package var context: RPCContext

    /// Creates a request.
    /// - Parameters:
    ///   - method: The method.
    ///   - args: The arguments.
    ///   - namespace: The namespace, or `nil`.
    ///   - version: The version asked for.
    ///   - messageID: For a call, the reply's correlation id.
    ///   - replyQueue: For a call, the reply queue.
    ///   - uniqueID: The unique id.
    ///   - context: Who asked.
    package init(
        method: String,
        args: [String: JSONValue],
        namespace: String?,
        version: String,
        messageID: String? = nil,
        replyQueue: String? = nil,
        uniqueID: String? = nil,
        context: RPCContext
    ) {
        self.method = method
        self.args = args
        self.namespace = namespace
        self.version = version
        self.messageID = messageID
        self.replyQueue = replyQueue
        self.callMonitorTimeout = nil
        self.uniqueID = uniqueID
        self.context = context
    }

    /// Whether the caller waits for a reply.
    package var isCall: Bool { self.messageID != nil }

    /// The message object, as oslo writes it (a call always has `_timeout`, `null` unless set).
    package var message: [String: JSONValue] {
        var message: [String: JSONValue] = ["method": .string(self.method), "args": .object(self.args)]
        if let namespace = self.namespace { message["namespace"] = .string(namespace) }
        message["version"] = .string(self.version)
        if let messageID = self.messageID {
            message["_msg_id"] = .string(messageID)
            message["_reply_q"] = self.replyQueue.map(JSONValue.string) ?? .null
            message["_timeout"] = self.callMonitorTimeout ?? .null
        }
        if let uniqueID = self.uniqueID { message["_unique_id"] = .string(uniqueID) }
        message.merge(self.context.messageMembers) { _, context in context }
        return message
    }

    /// The request in the envelope, as the AMQP body.
    /// - Throws: When an argument cannot be written as JSON (a number whose text is not a decimal).
    package func body() throws -> String {
        try OsloEnvelope.wrap(self.message)
    }

    /// Reads a request message, as oslo's dispatcher does: `method` is required; `args` defaults to `{}`,
    /// `version` to `1.0`; `namespace`, `_msg_id`, `_reply_q` and `_unique_id` may be absent or `null`.
    /// - Parameter message: The message object.
    /// - Throws: ``MessagingError`` ``MessagingError/Code/invalidRequest`` naming the member at fault.
    package init(message: [String: JSONValue]) throws(MessagingError) {
        guard let method = message["method"] else {
            throw MessagingError(.invalidRequest, "the message has no 'method': it is not an RPC request")
        }
        guard case .string(let methodName) = method else {
            throw MessagingError(.invalidRequest, "'method' is a \(method.typeName), not a string")
        }
        self.method = methodName
        switch message["args"] {
        case .none, .null: self.args = [:]
        case .object(let args): self.args = args
        case .some(let other):
            throw MessagingError(.invalidRequest, "'args' is a \(other.typeName), not an object")
        }
        self.namespace = try Self.optionalString(message, "namespace")
        self.version = try Self.optionalString(message, "version") ?? "1.0"
        self.messageID = try Self.optionalString(message, "_msg_id")
        self.replyQueue = try Self.optionalString(message, "_reply_q")
        self.uniqueID = try Self.optionalString(message, "_unique_id")
        switch message["_timeout"] {
        case .none, .null: self.callMonitorTimeout = nil
        case .some(let timeout): self.callMonitorTimeout = timeout
        }
        if self.messageID != nil, self.replyQueue == nil {
            throw MessagingError(.invalidRequest, "a call ('_msg_id') has no '_reply_q'")
        }
        self.context = RPCContext(message: message)
    }

    /// Reads an envelope body as a request.
    /// - Parameter body: The AMQP body.
    /// - Throws: ``MessagingError``.
    package init(body: some Collection<UInt8>) throws(MessagingError) {
        try self.init(message: try OsloEnvelope.unwrap(body).message)
    }

    /// The seconds between call-monitor heartbeats, as oslo's dispatcher computes them: half of the integral
    /// `_timeout`, when that is at least 1 second.
    package var heartbeatInterval: Duration? {
        guard let text = self.callMonitorTimeout?.scalarText, let timeout = Int(text), timeout >= 2 else {
            return nil
        }
        return .milliseconds(timeout * 500)
    }

    private static func optionalString(
        _ message: [String: JSONValue],
        _ key: String
    ) throws(MessagingError) -> String? {
        switch message[key] {
        case .none, .null: return nil
        case .string(let text): return text
        case .some(let other):
            throw MessagingError(.invalidRequest, "'\(key)' is a \(other.typeName), not a string")
        }
    }
}
