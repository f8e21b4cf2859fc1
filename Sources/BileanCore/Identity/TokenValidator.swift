/// Validates the tokens callers present (`X-Auth-Token`): Keystone in production, a fake in unit tests.
package protocol TokenValidator: Sendable {
    /// Who a token speaks for.
    /// - Parameter token: The token, exactly as the caller sent it. Never log it.
    /// - Returns: The identity.
    /// - Throws: ``TokenValidationError``: ``TokenValidationError/Code/invalid`` for a token the identity service
    ///   refuses (missing, malformed, expired, revoked), ``TokenValidationError/Code/unavailable`` when it cannot
    ///   tell (unreachable, 5xx, the service's own credentials refused).
    func validate(_ token: String) async throws(TokenValidationError) -> TokenIdentity
}

/// Why a token could not be turned into an identity. The message never holds the token.
package struct TokenValidationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case invalid
            case unavailable
        }

        private let base: Base

        private init(_ base: Base) { self.base = base }

        /// The identity service refused the token: the caller gets 401.
        package static let invalid = Code(.invalid)
        /// The identity service could not be asked or did not answer usefully: the caller gets 503.
        package static let unavailable = Code(.unavailable)

        package var description: String { self.base.rawValue }
    }

    /// The kind of failure.
    package var code: Code
    /// Why, for the log (safe to show: no token, no password).
    package var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: Why.
    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { "\(self.code): \(self.message)" }
}
