package import BileanCore
package import HTTPTypes

/// The OpenStack error body: `{"code", "title", "explanation", "error": {"type", "message"}}`.
package struct OpenStackErrorBody: Sendable, Hashable {
    /// The HTTP status.
    package var status: HTTPResponse.Status
    /// The error's type name, e.g. `InvalidInput`.
    package var type: String
    /// What went wrong, safe to show (the original client prints it as `ERROR: <message>`).
    package var message: String

    /// Creates a body.
    package init(status: HTTPResponse.Status, type: String, message: String) {
        self.status = status
        self.type = type
        self.message = message
    }

    /// The generic message of a 500: nothing of the cause reaches the client.
    package static let internalErrorMessage =
        "The server has either erred or is incapable of performing the requested operation."

    /// The JSON body.
    package var json: JSONValue {
        .object([
            "code": .number(String(self.status.code)),
            "title": .string(self.status.reasonPhrase),
            "explanation": .string(Self.explanation(self.status)),
            "error": .object(["type": .string(self.type), "message": .string(self.message)]),
        ])
    }

    /// webob's explanation of each status, as OpenStack services send it.
    static func explanation(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400:
            return "The server could not comply with the request since it is either malformed or otherwise incorrect."
        case 401: return "This server could not verify that you are authorized to access the document you requested."
        case 403: return "Access was denied to this resource."
        case 404: return "The resource could not be found."
        case 405: return "The method is not allowed for this resource."
        case 409: return "There was a conflict when trying to complete your request."
        case 413: return "The body of your request was too large for this server."
        case 415: return "The request media type is not supported by this server."
        case 500: return Self.internalErrorMessage
        case 503: return "The server is currently unavailable. Please try again at a later time."
        case 504: return "The gateway did not receive a timely response from the upstream server."
        default: return status.reasonPhrase
        }
    }

    /// The type name of a status without a more precise one.
    static func typeName(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: return "BadRequest"
        case 401: return "NotAuthenticated"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 409: return "Conflict"
        case 413: return "RequestEntityTooLarge"
        case 415: return "UnsupportedMediaType"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        case 504: return "GatewayTimeout"
        default: return "HTTPError"
        }
    }
}
