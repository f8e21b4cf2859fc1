/// The error every `BileanClient` operation throws.
///
/// The ``message`` is what the `bilean` CLI prints after `ERROR: `: the server's `error.message` for an HTTP
/// error, or a sentence naming the URL for a connection failure. It never holds a password or a token. The
/// cause of a connection failure is kept in ``underlying`` for debugging.
package struct BileanClientError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What kind of failure this is. A struct over a private enum so that new codes can be added.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalidInput
            case invalidURL
            case connectionFailed
            case httpError
            case invalidResponse
            case authenticationFailed
            case endpointNotFound
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// Local input is wrong (a spec file, a `K=V` list); nothing was sent.
        package static let invalidInput = Code(.invalidInput)
        /// The Bilean URL is not an `http` or `https` URL with a host.
        package static let invalidURL = Code(.invalidURL)
        /// The API could not be reached, or the request timed out.
        package static let connectionFailed = Code(.connectionFailed)
        /// The API answered with a status outside 2xx; ``BileanClientError/status`` holds it.
        package static let httpError = Code(.httpError)
        /// The API answered 2xx with a body the client cannot use.
        package static let invalidResponse = Code(.invalidResponse)
        /// Keystone refused the credentials (401): a wrong password, user, project or token.
        package static let authenticationFailed = Code(.authenticationFailed)
        /// The Keystone catalog has no Bilean (`billing`) endpoint for the interface and region.
        package static let endpointNotFound = Code(.endpointNotFound)

        package var description: String { self.base.rawValue }
    }

    /// The kind of failure.
    package var code: Code
    /// A message for the user.
    package var message: String
    /// The HTTP status, for ``Code/httpError``.
    package var status: Int?
    /// The cause, for debugging only.
    package var underlying: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A message for the user.
    ///   - status: The HTTP status of an HTTP error.
    ///   - underlying: The cause, if any.
    package init(_ code: Code, _ message: String, status: Int? = nil, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.status = status
        self.underlying = underlying
    }

    package var description: String {
        if let status { return "\(self.code) (HTTP \(status)): \(self.message)" }
        return "\(self.code): \(self.message)"
    }

    package var debugDescription: String {
        var text = self.description
        if let underlying { text += " (underlying: \(String(reflecting: underlying)))" }
        return text
    }
}
