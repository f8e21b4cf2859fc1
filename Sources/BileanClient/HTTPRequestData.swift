/// One HTTP request of the Bilean client, ready to send.
package struct HTTPRequestData: Sendable, Hashable, CustomStringConvertible {
    /// The method: `GET`, `POST`, `PUT` or `DELETE`.
    package var method: String
    /// The absolute URL.
    package var url: String
    /// The headers, in order.
    package var headers: [HTTPHeader]
    /// The body, if any.
    package var body: String?

    /// Creates a request.
    package init(method: String, url: String, headers: [HTTPHeader], body: String?) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// The value of the first header with this name (compared case-insensitively), if any.
    package func header(_ name: String) -> String? {
        self.headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The method, the URL, the headers with token values redacted, and the body's size; never the body (a
    /// Keystone login holds the password) or a token.
    package var description: String {
        let headers = self.headers.map { HTTPHeader.redactingSecrets($0).text }.joined(separator: ", ")
        let body = self.body.map { " (\($0.utf8.count) bytes)" } ?? ""
        return "\(self.method) \(self.url) [\(headers)]\(body)"
    }
}
