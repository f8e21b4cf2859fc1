/// The status and body of a response.
package struct HTTPResponseData: Sendable, Hashable {
    /// The status code.
    package var status: Int
    /// The body, decoded as UTF-8 (invalid bytes repaired).
    package var body: String

    /// Creates a response.
    package init(status: Int, body: String) {
        self.status = status
        self.body = body
    }
}
