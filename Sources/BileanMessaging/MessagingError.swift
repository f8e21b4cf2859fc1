/// The one error type of BileanMessaging's wire layer: a body or message that is not what oslo.messaging sends.
///
/// Like the AMQP module's error: a ``Code`` to switch on and a ``message`` that says what is wrong (it may quote a
/// short piece of the input, never a whole body, a token or a credential).
package struct MessagingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong. A struct over a private enum, so that codes can be added.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case notJSON
            case notAnObject
            case invalidEnvelope
            case unsupportedEnvelope
            case invalidRequest
            case invalidReply
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The body, or the JSON text inside `oslo.message`, is not JSON.
        package static let notJSON = Self(.notJSON)
        /// The body, or the message inside the envelope, is JSON but not an object.
        package static let notAnObject = Self(.notAnObject)
        /// The envelope is malformed: only one of its two keys, or `oslo.message` is not a string.
        package static let invalidEnvelope = Self(.invalidEnvelope)
        /// The envelope's `oslo.version` is not 2.0.
        package static let unsupportedEnvelope = Self(.unsupportedEnvelope)
        /// The message is not an RPC request: no `method`, or a member of the wrong type.
        package static let invalidRequest = Self(.invalidRequest)
        /// The message is not an RPC reply: a member of the wrong type.
        package static let invalidReply = Self(.invalidReply)

        /// The code's name, e.g. `invalidEnvelope`.
        package var description: String {
            switch self.base {
            case .notJSON: "notJSON"
            case .notAnObject: "notAnObject"
            case .invalidEnvelope: "invalidEnvelope"
            case .unsupportedEnvelope: "unsupportedEnvelope"
            case .invalidRequest: "invalidRequest"
            case .invalidReply: "invalidReply"
            }
        }
    }

    /// What is wrong.
    package var code: Code
    /// What exactly, e.g. `'method' is a number, not a string`.
    package var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: What is wrong.
    ///   - message: What exactly.
    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `MessagingError(code: …, message: …)`.
    package var description: String {
        "MessagingError(code: \(self.code), message: \(self.message))"
    }

    /// A short quotation of an input text for a message: at most 64 characters, control characters escaped.
    /// - Parameter text: The text.
    /// - Returns: The text in double quotes.
    package static func quoted(_ text: String) -> String {
        let short = text.count > 64 ? String(text.prefix(64)) + "…" : text
        let escaped = short.unicodeScalars.map { scalar -> String in
            scalar.value < 0x20 || scalar == "\"" || scalar == "\\" ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return "\"" + escaped.joined() + "\""
    }
}
