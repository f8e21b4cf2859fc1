package import BileanCore

/// One OpenStack notification as oslo.messaging published it, with its identifying fields checked.
///
/// ``NotificationParser`` makes it from an AMQP body; ``NotificationConverter`` turns it into billing facts.
package struct Notification: Sendable, Hashable {
    /// How the notification was wrapped on the wire.
    package enum Envelope: String, Sendable, Hashable {
        /// The oslo.messaging 2.0 envelope: `{"oslo.version": "2.0", "oslo.message": "<JSON text>"}`.
        case oslo2 = "2.0"
        /// The older driver's bare body: the notification object itself.
        case bare
    }

    /// The sender's unique id of the message (a UUID); a message id seen before changes nothing.
    package var messageID: String
    /// Who sent it, usually `<service>.<host>`; `nil` when absent or `null`.
    package var publisherID: String?
    /// The dotted event type, e.g. `compute.instance.create.end`.
    package var eventType: String
    /// The priority in upper case (`INFO`, `WARN`, `ERROR`, …); `nil` when absent.
    package var priority: String?
    /// The service's data: any JSON, usually an object.
    package var payload: JSONValue
    /// When the sender sent it (the notification's `timestamp`).
    package var timestamp: BillingTime
    /// The sender's request context: the `_context_*` keys with the prefix removed; empty when none was sent.
    ///
    /// Old senders put real tokens here (`auth_token`): never log it as it is.
    package var context: [String: JSONValue]
    /// How it was wrapped.
    package var envelope: Envelope
    /// The whole notification object as sent (with its `_context_*` keys): the document the definitions' JSONPaths
    /// read, e.g. `payload.instance_id` or `_context_project_id`.
    package var document: [String: JSONValue]

    /// Creates a notification from its parts; ``document`` is rebuilt from them as oslo.messaging would send it.
    /// - Parameters:
    ///   - messageID: The message id.
    ///   - publisherID: The publisher id.
    ///   - eventType: The event type.
    ///   - priority: The priority.
    ///   - payload: The payload.
    ///   - timestamp: The send time.
    ///   - context: The request context, without the `_context_` prefix.
    package init(
        messageID: String,
        publisherID: String?,
        eventType: String,
        priority: String?,
        payload: JSONValue,
        timestamp: BillingTime,
        context: [String: JSONValue] = [:]
    ) {
        var document: [String: JSONValue] = [
            "message_id": .string(messageID),
            "event_type": .string(eventType),
            "payload": payload,
            "timestamp": .string(timestamp.iso8601),
            "publisher_id": publisherID.map(JSONValue.string) ?? .null,
        ]
        if let priority { document["priority"] = .string(priority) }
        for (key, value) in context { document[NotificationParser.contextPrefix + key] = value }
        self.init(
            messageID: messageID,
            publisherID: publisherID,
            eventType: eventType,
            priority: priority,
            payload: payload,
            timestamp: timestamp,
            context: context,
            envelope: .bare,
            document: document
        )
    }

    /// Creates a notification with every part given.
    init(
        messageID: String,
        publisherID: String?,
        eventType: String,
        priority: String?,
        payload: JSONValue,
        timestamp: BillingTime,
        context: [String: JSONValue],
        envelope: Envelope,
        document: [String: JSONValue]
    ) {
        self.messageID = messageID
        self.publisherID = publisherID
        self.eventType = eventType
        self.priority = priority
        self.payload = payload
        self.timestamp = timestamp
        self.context = context
        self.envelope = envelope
        self.document = document
    }
}
