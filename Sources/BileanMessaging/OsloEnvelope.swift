package import BileanCore

/// The oslo.messaging message envelope (version 2.0): what OpenStack services publish and read on the bus, for
/// notifications and RPC alike. This is its one home: written here, and parsed here.
///
/// `{"oslo.version": "2.0", "oslo.message": "<the message as JSON text>"}`. A notification inside carries
/// `message_id`, `publisher_id`, `event_type`, `priority`, `payload`, `timestamp` (oslo's `str(datetime)` in UTC,
/// `YYYY-MM-DD HH:MM:SS.ffffff`) and the request context as `_context_*` keys (none for Bilean's own
/// notifications, which no request caused). An RPC request or reply inside is described by ``RPCRequest`` and
/// ``RPCReply``.
///
/// Numbers are read by BileanCore's ``ExactJSONReader`` and kept as their text: nothing goes through `Double`.
package enum OsloEnvelope {
    /// The envelope version written.
    package static let version = "2.0"
    /// The envelope's version key.
    package static let versionKey = "oslo.version"
    /// The envelope's message key.
    package static let messageKey = "oslo.message"
    /// The deepest nesting of JSON arrays and objects read by default (OpenStack sends fewer than 10 levels).
    package static let defaultMaximumDepth = 100

    /// How a body was wrapped.
    package enum Form: Sendable, Hashable {
        /// The 2.0 envelope.
        case oslo2
        /// A bare message object, as the older driver sent (and as oslo still accepts).
        case bare
    }

    /// A message read from a body.
    package struct Unwrapped: Sendable, Hashable {
        /// The message object (the decoded `oslo.message`, or the bare body).
        package var message: [String: JSONValue]
        /// How it was wrapped.
        package var form: Form
    }

    /// A message in the envelope, as JSON text: what oslo's `serialize_msg` and kombu write.
    /// - Parameter message: The message object (a notification, an RPC request or reply).
    /// - Returns: The body to publish.
    /// - Throws: When a value cannot be written as JSON (a number whose text is not a decimal).
    package static func wrap(_ message: [String: JSONValue]) throws -> String {
        let envelope = JSONValue.object([
            Self.versionKey: .string(Self.version),
            Self.messageKey: .string(try JSONValue.object(message).jsonText()),
        ])
        return try envelope.jsonText()
    }

    /// Reads a body as oslo.messaging's `deserialize_msg` does: the 2.0 envelope (its message JSON text decoded a
    /// second time; other keys ignored), or a bare object with neither envelope key.
    /// - Parameters:
    ///   - body: The body's bytes.
    ///   - maximumDepth: The deepest nesting of JSON arrays and objects accepted.
    /// - Returns: The message object and how it was wrapped.
    /// - Throws: ``MessagingError``: ``MessagingError/Code/notJSON``, ``MessagingError/Code/notAnObject``,
    ///   ``MessagingError/Code/invalidEnvelope`` (only one of the two keys, or a message that is not a string) or
    ///   ``MessagingError/Code/unsupportedEnvelope`` (a version other than 2.0).
    package static func unwrap(
        _ body: some Collection<UInt8>,
        maximumDepth: Int = Self.defaultMaximumDepth
    ) throws(MessagingError) -> Unwrapped {
        let outer = try Self.object(body, maximumDepth: maximumDepth, what: "the body")
        switch (outer[Self.versionKey], outer[Self.messageKey]) {
        case (nil, nil):
            return Unwrapped(message: outer, form: .bare)
        case (.some, nil):
            throw MessagingError(.invalidEnvelope, "the envelope has 'oslo.version' but no 'oslo.message'")
        case (nil, .some):
            throw MessagingError(.invalidEnvelope, "the envelope has 'oslo.message' but no 'oslo.version'")
        case (.some(let version), .some(let message)):
            guard case .string(let versionText) = version else {
                throw MessagingError(.unsupportedEnvelope, "'oslo.version' is a \(version.typeName), not a string")
            }
            guard Self.isSupportedVersion(versionText) else {
                throw MessagingError(
                    .unsupportedEnvelope,
                    "'oslo.version' is \(MessagingError.quoted(versionText)); only 2.0 is supported"
                )
            }
            guard case .string(let text) = message else {
                throw MessagingError(
                    .invalidEnvelope,
                    "'oslo.message' is a \(message.typeName), not a string of JSON text"
                )
            }
            let inner = try Self.object(text.utf8, maximumDepth: maximumDepth, what: "'oslo.message'")
            return Unwrapped(message: inner, form: .oslo2)
        }
    }

    /// Whether an envelope version is one oslo.messaging 2.0 reads (`version_is_compatible("2.0", v)`): major 2,
    /// minor 0, an optional revision 0 (`2.0`, `2.0.0`).
    /// - Parameter version: The `oslo.version` text.
    /// - Returns: Whether it is read.
    package static func isSupportedVersion(_ version: String) -> Bool {
        guard let parsed = RPCVersion(version) else { return false }
        return parsed.major == 2 && parsed.minor == 0 && parsed.revision == 0
    }

    private static func object(
        _ bytes: some Collection<UInt8>,
        maximumDepth: Int,
        what: String
    ) throws(MessagingError) -> [String: JSONValue] {
        let value: JSONValue
        do {
            // Read in place when the bytes are contiguous (an array, a native string's UTF-8): no copy.
            value =
                try bytes.withContiguousStorageIfAvailable { buffer in
                    try ExactJSONReader.parse(buffer, maximumDepth: maximumDepth)
                } ?? ExactJSONReader.parse(Array(bytes), maximumDepth: maximumDepth)
        } catch let error as ExactJSONReader.Failure {
            throw MessagingError(.notJSON, "\(what) is not JSON: \(error.problem) at byte \(error.offset)")
        } catch {
            throw MessagingError(.notJSON, "\(what) is not JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw MessagingError(.notAnObject, "\(what) is a JSON \(value.typeName), not an object")
        }
        return object
    }

    // MARK: Notifications

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
        try Self.wrap([
            "message_id": .string(messageID),
            "publisher_id": .string(publisherID),
            "event_type": .string(eventType),
            "priority": .string(priority),
            "payload": payload,
            "timestamp": .string(Self.timestamp(timestamp)),
            // oslo's rabbit driver adds a unique id to every message it sends; its listeners accept messages without.
            "_unique_id": .string(String(messageID.filter { $0 != "-" })),
        ])
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
