package import BileanCore

/// The oslo.messaging message envelope (version 2.0): what OpenStack services publish and read on the bus.
///
/// `{"oslo.version": "2.0", "oslo.message": "<the message as JSON text>"}`. A notification inside carries
/// `message_id`, `publisher_id`, `event_type`, `priority`, `payload`, `timestamp` (oslo's `str(datetime)` in UTC,
/// `YYYY-MM-DD HH:MM:SS.ffffff`) and the request context as `_context_*` keys (none for Bilean's own
/// notifications, which no request caused).
package enum OsloEnvelope {
    /// The envelope version written.
    package static let version = "2.0"

    /// A notification in the envelope, as JSON text.
    /// - Parameters:
    ///   - messageID: The message id (stable across republishing, so that a consumer can drop copies).
    ///   - publisherID: Who sends it (e.g. `billing.<host>`).
    ///   - eventType: The event type (e.g. `billing.notify`).
    ///   - priority: oslo's priority, upper case (`INFO`, `WARN`, `ERROR`).
    ///   - payload: The payload.
    ///   - timestamp: The notification's instant.
    /// - Returns: The body to publish.
    /// - Throws: When the payload cannot be written as JSON.
    package static func notification(
        messageID: String,
        publisherID: String,
        eventType: String,
        priority: String,
        payload: JSONValue,
        timestamp: BillingTime
    ) throws -> String {
        let message = JSONValue.object([
            "message_id": .string(messageID),
            "publisher_id": .string(publisherID),
            "event_type": .string(eventType),
            "priority": .string(priority),
            "payload": payload,
            "timestamp": .string(Self.timestamp(timestamp)),
            // oslo's rabbit driver adds a unique id to every message it sends; its listeners accept messages without.
            "_unique_id": .string(String(messageID.filter { $0 != "-" })),
        ])
        let envelope = JSONValue.object([
            "oslo.version": .string(Self.version),
            "oslo.message": .string(try message.jsonText()),
        ])
        return try envelope.jsonText()
    }

    /// oslo's timestamp text: `str(datetime)` of a naive UTC instant, with microseconds.
    /// - Parameter time: The instant.
    /// - Returns: `YYYY-MM-DD HH:MM:SS.ffffff`.
    package static func timestamp(_ time: BillingTime) -> String {
        // iso8601 is `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
        let iso = time.iso8601
        var text = iso.replacingFirst("T", with: " ")
        if text.hasSuffix("Z") { text.removeLast() }
        if !text.contains(".") { text += ".000000" }
        return text
    }
}

extension String {
    fileprivate func replacingFirst(_ target: Character, with replacement: Character) -> String {
        guard let index = self.firstIndex(of: target) else { return self }
        var copy = self
        copy.replaceSubrange(index...index, with: String(replacement))
        return copy
    }
}
