import BileanMessaging

/// Why a notification cannot be billed: the body is not a notification, or a matching definition cannot read it.
///
/// A rejected message is set aside with its ``code`` and ``message`` (a table of rejected notifications and a log
/// line), acked, and never blocks the queue. The ``message`` names what is wrong (the field, the trait and the paths
/// tried, the byte offset) and quotes at most a short excerpt of the value; it never quotes `_context_*` values,
/// which may hold tokens. An event type that no definition matches is not a rejection: see
/// ``ConversionOutcome/ignored(_:)``.
package struct NotificationRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// A short machine-readable reason. A struct over a private enum so that new codes can be added.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case bodyTooLarge = "body_too_large"
            case invalidUTF8 = "invalid_utf8"
            case invalidJSON = "invalid_json"
            case notAnObject = "not_an_object"
            case unsupportedEnvelope = "unsupported_envelope"
            case invalidEnvelope = "invalid_envelope"
            case missingField = "missing_field"
            case invalidField = "invalid_field"
            case invalidTimestamp = "invalid_timestamp"
            case missingTrait = "missing_trait"
            case invalidTrait = "invalid_trait"
            case invalidTime = "invalid_time"
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The body is larger than the configured maximum; it was not parsed.
        package static let bodyTooLarge = Code(.bodyTooLarge)
        /// The body is not UTF-8 text (binary bytes).
        package static let invalidUTF8 = Code(.invalidUTF8)
        /// The body, or the JSON text inside `oslo.message`, is not JSON.
        package static let invalidJSON = Code(.invalidJSON)
        /// The body, or the notification inside the envelope, is JSON but not an object.
        package static let notAnObject = Code(.notAnObject)
        /// The envelope's `oslo.version` is not a 2.0 version.
        package static let unsupportedEnvelope = Code(.unsupportedEnvelope)
        /// The envelope is malformed: `oslo.message` is not a string, or only one of the two envelope keys is there.
        package static let invalidEnvelope = Code(.invalidEnvelope)
        /// A required notification field (`message_id`, `event_type`, `timestamp`, `payload`) is missing.
        package static let missingField = Code(.missingField)
        /// A notification field has the wrong type or an unacceptable value (an empty or overlong id, …).
        package static let invalidField = Code(.invalidField)
        /// The notification's `timestamp` is not a timestamp.
        package static let invalidTimestamp = Code(.invalidTimestamp)
        /// A matching definition's required trait (`resource_ref`, `user_id`) is found by none of its paths.
        package static let missingTrait = Code(.missingTrait)
        /// A trait's value cannot be converted to its type, or is not an acceptable id.
        package static let invalidTrait = Code(.invalidTrait)
        /// A time field named by the definition holds something that is not a timestamp.
        package static let invalidTime = Code(.invalidTime)

        /// The code as written in logs and in the table of rejected notifications, e.g. `missing_field`.
        package var description: String { self.base.rawValue }
    }

    /// The reason.
    package var code: Code
    /// What is wrong, for the admin: names the field, trait or path.
    package var message: String
    /// The notification's `message_id`, once it is known.
    package var messageID: String?
    /// The notification's `event_type`, once it is known.
    package var eventType: String?

    /// Creates a rejection.
    /// - Parameters:
    ///   - code: The reason.
    ///   - message: What is wrong.
    ///   - messageID: The message id, if known.
    ///   - eventType: The event type, if known.
    package init(_ code: Code, _ message: String, messageID: String? = nil, eventType: String? = nil) {
        self.code = code
        self.message = message
        self.messageID = messageID
        self.eventType = eventType
    }

    /// `code: message`.
    package var description: String { "\(self.code): \(self.message)" }

    /// A value quoted for a message: short, on one line.
    /// - Parameter text: The text.
    /// - Returns: The text in single quotes, cut at 64 characters, with control characters escaped.
    static func quoted(_ text: String) -> String {
        let limit = 64
        var shown = ""
        for scalar in text.unicodeScalars.prefix(limit) {
            shown += scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return text.unicodeScalars.count <= limit ? "'\(shown)'" : "'\(shown)…'"
    }
}

extension NotificationRejection {
    /// The rejection of a body whose envelope cannot be read.
    /// - Parameters:
    ///   - error: What the envelope reader said.
    ///   - bytes: The body (binary bytes are told apart from bad JSON).
    init(_ error: MessagingError, bytes: [UInt8]) {
        switch error.code {
        case .notJSON:
            if String(validating: bytes, as: UTF8.self) == nil {
                self.init(.invalidUTF8, "the body is not UTF-8 text (binary bytes)")
            } else {
                self.init(.invalidJSON, error.message)
            }
        case .notAnObject: self.init(.notAnObject, error.message)
        case .unsupportedEnvelope: self.init(.unsupportedEnvelope, error.message)
        default: self.init(.invalidEnvelope, error.message)
        }
    }
}
