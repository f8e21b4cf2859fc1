/// A notification the listener could not bill, set aside for the admin: `GET /v1/rejected-notifications`.
///
/// The message itself was acknowledged (it can never be billed as it is); this record keeps why, where it came
/// from and the start of its body, so that the admin can fix the definitions or the publisher and replay it.
package struct RejectedNotification: Sendable, Hashable {
    /// The most body bytes kept in ``bodyExcerpt``.
    package static let excerptLimit = 4096

    /// The record's id (a UUID).
    package var id: String
    /// When Bilean set it aside.
    package var receivedAt: BillingTime
    /// The notification's `message_id`, when the body was readable that far.
    package var messageID: String?
    /// The notification's `event_type`, when known.
    package var eventType: String?
    /// The notification's `publisher_id`, when known.
    package var publisherID: String?
    /// The reason's code, e.g. `invalid_json`, `missing_trait`.
    package var code: String
    /// What is wrong, naming the field, trait or byte offset.
    package var reason: String
    /// The exchange the message was published to.
    package var exchange: String
    /// Its routing key.
    package var routingKey: String
    /// The body's size in bytes.
    package var bodySize: Int
    /// The start of the body (at most ``excerptLimit`` bytes) as text; bytes that are not UTF-8 are replaced.
    package var bodyExcerpt: String

    /// Creates a record.
    package init(
        id: String,
        receivedAt: BillingTime,
        messageID: String?,
        eventType: String?,
        publisherID: String?,
        code: String,
        reason: String,
        exchange: String,
        routingKey: String,
        bodySize: Int,
        bodyExcerpt: String
    ) {
        self.id = id
        self.receivedAt = receivedAt
        self.messageID = messageID
        self.eventType = eventType
        self.publisherID = publisherID
        self.code = code
        self.reason = reason
        self.exchange = exchange
        self.routingKey = routingKey
        self.bodySize = bodySize
        self.bodyExcerpt = bodyExcerpt
    }

    /// The excerpt kept of a body: its first ``excerptLimit`` bytes as UTF-8, invalid bytes replaced (U+FFFD),
    /// NUL bytes dropped (no database keeps them in text).
    /// - Parameter body: The body.
    /// - Returns: The excerpt.
    package static func excerpt(of body: some Collection<UInt8>) -> String {
        let head = Array(body.prefix(Self.excerptLimit)).filter { $0 != 0 }
        return String(decoding: head, as: UTF8.self)
    }
}

/// One batch of delivered notifications for ``IngestService/ingest(_:)``: what each readable message means for
/// billing, and the messages set aside.
package struct NotificationBatch: Sendable, Hashable {
    /// A notification that was read: its message id and its billing facts (none when it is ignored by design).
    package struct Message: Sendable, Hashable {
        /// The notification's `message_id`.
        package var messageID: String
        /// Its facts, in order.
        package var facts: [BillingFact]

        /// Creates a message.
        package init(messageID: String, facts: [BillingFact]) {
            self.messageID = messageID
            self.facts = facts
        }
    }

    /// The messages, in delivery order.
    package var messages: [Message]
    /// The messages set aside.
    package var rejections: [RejectedNotification]
    /// How far behind the listener is, recorded with the batch (a freeze waits while a listener is behind).
    package var report: ListenerReport?

    /// Creates a batch.
    package init(messages: [Message] = [], rejections: [RejectedNotification] = [], report: ListenerReport? = nil) {
        self.messages = messages
        self.rejections = rejections
        self.report = report
    }
}

/// What ``IngestService/ingest(_:)`` did with a batch.
package struct IngestReport: Sendable, Hashable {
    /// Messages whose facts were billed.
    package var billed = 0
    /// Messages whose id had been processed before: nothing changed.
    package var duplicates = 0
    /// The ids of those messages (for the listener's metrics, by definition).
    package var duplicateIDs: [String] = []
    /// Rejections recorded (a rejection whose message id was seen before is not recorded twice).
    package var rejected = 0

    /// An empty report.
    package init() {}
}
