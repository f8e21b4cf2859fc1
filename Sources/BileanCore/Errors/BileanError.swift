/// The error every Bilean domain and engine operation throws.
///
/// A `BileanError` carries a ``Code`` (which the API maps to an HTTP status), a message that is safe to show
/// to a client, and, for invalid input, the name of the offending field. Details that must not reach a client
/// (SQL, hosts, tokens) go to `underlying`, which only the log sees.
package struct BileanError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is. A struct over a private enum so that new codes can be added.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidInput
            case notFound
            case conflict
            case forbidden
            case internalError
            case unavailable
            case timedOut
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The request or the data is malformed or out of range (HTTP 400).
        package static let invalidInput = Code(.invalidInput)
        /// The object does not exist (HTTP 404).
        package static let notFound = Code(.notFound)
        /// The operation conflicts with the current state (HTTP 409).
        package static let conflict = Code(.conflict)
        /// The caller may not do this (HTTP 403).
        package static let forbidden = Code(.forbidden)
        /// Something failed inside Bilean (HTTP 500); the message is generic.
        package static let internalError = Code(.internalError)
        /// No billing engine is there to answer (HTTP 503): nothing consumes the RPC topic.
        package static let unavailable = Code(.unavailable)
        /// The billing engine did not answer in time (HTTP 504); the operation may still complete.
        package static let timedOut = Code(.timedOut)

        package var description: String { self.base.rawValue }
    }

    /// The kind of failure.
    package var code: Code
    /// A message that is safe to show to a client.
    package var message: String
    /// The input field that is wrong, for ``Code/invalidInput``.
    package var field: String?
    /// The error that caused this one, for the log only.
    package var underlying: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A client-safe message.
    ///   - field: The offending input field, if any.
    ///   - underlying: The cause, logged but never shown to a client.
    package init(_ code: Code, _ message: String, field: String? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.field = field
        self.underlying = underlying
    }

    /// An invalid-input error naming its field.
    package static func invalid(_ field: String, _ message: String) -> BileanError {
        BileanError(.invalidInput, message, field: field)
    }

    /// A not-found error for an object kind and id, e.g. `User not found: 42`.
    package static func notFound(_ kind: String, _ id: String) -> BileanError {
        BileanError(.notFound, "\(kind) not found: \(id)")
    }

    /// A conflict error.
    package static func conflict(_ message: String) -> BileanError {
        BileanError(.conflict, message)
    }

    package var description: String {
        if let field { return "\(self.code): \(field): \(self.message)" }
        return "\(self.code): \(self.message)"
    }

    package var debugDescription: String {
        var text = self.description
        if let underlying { text += " (underlying: \(String(reflecting: underlying)))" }
        return text
    }
}
