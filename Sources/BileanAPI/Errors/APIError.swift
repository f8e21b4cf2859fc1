package import HTTPTypes

/// An HTTP-level failure of the API that is not a billing error: 401, 405, 413, 415.
package struct APIError: Error, Sendable, CustomStringConvertible {
    /// The status to answer with.
    package var status: HTTPResponse.Status
    /// A message that is safe to show to the client.
    package var message: String
    /// Extra response headers (`Allow` for a 405).
    package var headers: HTTPFields

    /// Creates an error.
    package init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    /// A 405 naming the methods the path accepts.
    package static func methodNotAllowed(_ method: HTTPRequest.Method, allowed: [HTTPRequest.Method]) -> APIError {
        let list = allowed.map(\.rawValue).joined(separator: ", ")
        return APIError(
            .methodNotAllowed,
            "The method \(method.rawValue) is not allowed for this resource (allowed: \(list)).",
            headers: [.allow: list]
        )
    }

    package var description: String { "\(self.status.code) \(self.message)" }
}
