/// A password or a token: a string that no description, debug description or mirror ever shows.
///
/// `String(describing:)`, `String(reflecting:)`, string interpolation and `dump` all print `<redacted>`, so a
/// value holding a secret (``KeystoneCredentials``, ``KeystoneLogin``) can be printed or logged safely. Only
/// ``reveal`` gives the text, at the one place it is sent.
package struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// What every description shows instead of the secret.
    package static let redacted = "<redacted>"

    private let text: String

    /// Wraps a secret.
    /// - Parameter text: The password or token.
    package init(_ text: String) {
        self.text = text
    }

    /// The secret itself, for the request that carries it. Never print it.
    package var reveal: String { self.text }

    package var description: String { Self.redacted }

    package var debugDescription: String { Self.redacted }

    package var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
