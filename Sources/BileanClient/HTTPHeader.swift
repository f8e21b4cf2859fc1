/// An HTTP header.
package struct HTTPHeader: Sendable, Hashable {
    /// The headers whose values are credentials, never printed (lowercase).
    package static let secretNames: Set<String> = ["x-auth-token", "x-subject-token", "authorization"]

    /// The name.
    package var name: String
    /// The value.
    package var value: String

    /// Creates a header.
    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }

    /// Whether the value is a credential (a token), which must never be printed.
    package var isSecret: Bool {
        Self.secretNames.contains(self.name.lowercased())
    }

    /// The header as `Name: value`, for messages.
    var text: String { "\(self.name): \(self.value)" }

    /// The header with its value replaced by ``Secret/redacted`` when it is a credential.
    /// - Parameter header: The header.
    /// - Returns: The header safe to print.
    static func redactingSecrets(_ header: HTTPHeader) -> HTTPHeader {
        header.isSecret ? HTTPHeader(header.name, Secret.redacted) : header
    }
}
