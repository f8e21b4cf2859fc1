import BileanCore
import BileanMessaging

/// Reads an AMQP message body into a ``Notification``, or says exactly why it cannot.
///
/// Two wire forms are accepted, as oslo.messaging's own reader does:
///
/// - the **2.0 envelope**, an object with the string members `oslo.version` (major 2, minor 0: `"2.0"`) and
///   `oslo.message` (the notification as JSON text, decoded a second time); other keys are ignored, as
///   oslo.messaging ignores them;
/// - a **bare body** from the older driver: the notification object itself, with neither envelope key.
///
/// The notification must hold `message_id` (an acceptable id: 1 to 255 characters, no control characters),
/// `event_type` (a non-empty string of at most 255 characters without control characters), `timestamp` (a string
/// in any form `BillingTime` parses, e.g. `2026-11-24 23:37:37.491055`) and `payload` (any JSON). `publisher_id` is
/// a string or `null`, `priority` a string (upper-cased here); both may be absent. Every `_context_*` key is
/// optional and goes to ``Notification/context``. Other keys (`_unique_id`, …) are kept in the document only.
///
/// Both levels are read by Core's ``ExactJSONReader`` (through BileanMessaging's `OsloEnvelope`), numbers kept as
/// their exact text. An object anywhere in the body that repeats a key is set aside as
/// ``NotificationRejection/Code/invalidJSON`` (`… is not JSON: duplicate key 'x' at byte n`): oslo.messaging's
/// Python reader would keep the last value (and Foundation's `JSONDecoder` the first), but which copy the sender
/// meant cannot be known.
///
/// The parser is pure: no I/O, no logging, and it never traps on input. A body larger than
/// ``Configuration/maximumBodySize`` is refused before any parsing.
package struct NotificationParser: Sendable {
    /// The parser's limits.
    package struct Configuration: Sendable, Hashable {
        /// The largest body accepted, in bytes (default 1 MiB); a larger one is rejected unread.
        package var maximumBodySize: Int
        /// The deepest nesting of JSON arrays and objects accepted (default 100; OpenStack sends fewer than 10).
        package var maximumDepth: Int

        /// The defaults: 1 MiB, depth 100.
        package init() {
            self.maximumBodySize = 1_048_576
            self.maximumDepth = 100
        }
    }

    /// The prefix of the request context keys.
    package static let contextPrefix = "_context_"

    /// The parser's limits.
    package var configuration: Configuration

    /// Creates a parser.
    /// - Parameter configuration: The limits.
    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Parses an AMQP body.
    /// - Parameter body: The body's bytes (an array, or any collection such as NIO's `ByteBufferView`).
    /// - Returns: The notification.
    /// - Throws: ``NotificationRejection`` naming what is wrong.
    package func parse(_ body: some Collection<UInt8>) throws(NotificationRejection) -> Notification {
        let size = body.count
        guard size <= self.configuration.maximumBodySize else {
            throw NotificationRejection(
                .bodyTooLarge,
                "the body is \(size) bytes, more than the maximum of \(self.configuration.maximumBodySize)"
            )
        }
        let bytes = Array(body)
        // The envelope is read where every oslo message is (BileanMessaging: notifications and RPC alike).
        let unwrapped: OsloEnvelope.Unwrapped
        do throws(MessagingError) {
            unwrapped = try OsloEnvelope.unwrap(bytes, maximumDepth: self.configuration.maximumDepth)
        } catch {
            throw NotificationRejection(error, bytes: bytes)
        }
        return try self.notification(from: unwrapped.message, envelope: unwrapped.form == .oslo2 ? .oslo2 : .bare)
    }

    /// Parses an AMQP body given as text.
    /// - Parameter body: The body.
    /// - Returns: The notification.
    /// - Throws: ``NotificationRejection`` naming what is wrong.
    package func parse(_ body: String) throws(NotificationRejection) -> Notification {
        try self.parse(body.utf8)
    }

    // MARK: Fields

    private func notification(
        from object: [String: JSONValue],
        envelope: Notification.Envelope
    ) throws(NotificationRejection) -> Notification {
        // The message id first, so that every later rejection can name it.
        let messageID = try Self.requiredString(object, "message_id", messageID: nil, eventType: nil)
        guard messageID.isAcceptableID else {
            throw NotificationRejection(
                .invalidField,
                "'message_id' \(NotificationRejection.quoted(messageID)) must be 1 to 255 characters, "
                    + "not blank, without control characters"
            )
        }
        let eventType = try Self.requiredString(object, "event_type", messageID: messageID, eventType: nil)
        guard !eventType.isEmpty, eventType.count <= 255, !eventType.containsControlCharacters else {
            throw NotificationRejection(
                .invalidField,
                "'event_type' \(NotificationRejection.quoted(eventType)) must be 1 to 255 characters "
                    + "without control characters",
                messageID: messageID
            )
        }
        func reject(_ code: NotificationRejection.Code, _ message: String) -> NotificationRejection {
            NotificationRejection(code, message, messageID: messageID, eventType: eventType)
        }
        let timestampText = try Self.requiredString(object, "timestamp", messageID: messageID, eventType: eventType)
        let timestamp: BillingTime
        do throws(BileanError) {
            timestamp = try BillingTime(parsing: timestampText, field: "timestamp")
        } catch {
            throw reject(.invalidTimestamp, error.message)
        }
        guard let payload = object["payload"] else {
            throw reject(.missingField, "the notification has no 'payload'")
        }
        let publisherID: String?
        switch object["publisher_id"] {
        case .none, .null: publisherID = nil
        case .string(let text): publisherID = text
        case .some(let other): throw reject(.invalidField, "'publisher_id' is a \(other.typeName), not a string")
        }
        let priority: String?
        switch object["priority"] {
        case .none, .null: priority = nil
        case .string(let text): priority = text.uppercased()
        case .some(let other): throw reject(.invalidField, "'priority' is a \(other.typeName), not a string")
        }
        var context: [String: JSONValue] = [:]
        for (key, value) in object where key.hasPrefix(Self.contextPrefix) {
            context[String(key.dropFirst(Self.contextPrefix.count))] = value
        }
        return Notification(
            messageID: messageID,
            publisherID: publisherID,
            eventType: eventType,
            priority: priority,
            payload: payload,
            timestamp: timestamp,
            context: context,
            envelope: envelope,
            document: object
        )
    }

    private static func requiredString(
        _ object: [String: JSONValue],
        _ key: String,
        messageID: String?,
        eventType: String?
    ) throws(NotificationRejection) -> String {
        switch object[key] {
        case .none:
            throw NotificationRejection(
                .missingField,
                "the notification has no '\(key)'",
                messageID: messageID,
                eventType: eventType
            )
        case .string(let text):
            return text
        case .some(let other):
            throw NotificationRejection(
                .invalidField,
                "'\(key)' is a \(other.typeName), not a string",
                messageID: messageID,
                eventType: eventType
            )
        }
    }
}
