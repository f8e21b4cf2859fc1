/// The status, headers and body of a response.
package struct HTTPResponseData: Sendable, Hashable, CustomStringConvertible {
    /// The status code.
    package var status: Int
    /// The headers, in the order received.
    package var headers: [HTTPHeader]
    /// The body, decoded as UTF-8 (invalid bytes repaired).
    package var body: String

    /// Creates a response.
    /// - Parameters:
    ///   - status: The status code.
    ///   - headers: The headers, in order (none by default).
    ///   - body: The body.
    package init(status: Int, headers: [HTTPHeader] = [], body: String) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the first header with this name (compared case-insensitively), if any.
    /// - Parameter name: The header's name (`X-Subject-Token`).
    /// - Returns: Its value, or `nil` when the response has no such header.
    package func header(_ name: String) -> String? {
        self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The status, the header names with the values of token headers redacted, and the body's size; never the
    /// body (a token answer) or a token.
    package var description: String {
        let headers = self.headers.map { HTTPHeader.redactingSecrets($0).text }.joined(separator: ", ")
        return "HTTP \(self.status) [\(headers)] (\(self.body.utf8.count) bytes)"
    }
}
