/// One HTTP request of the Bilean client, ready to send.
package struct HTTPRequestData: Sendable, Hashable {
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
}
