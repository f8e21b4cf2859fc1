import BileanCore
package import HTTPTypes
import Hummingbird
import NIOCore

/// Turns any error a handler throws into the OpenStack error body, and decides what the log sees.
package enum ErrorRendering {
    /// The status, body and extra headers for an error, and whether it is a server fault (logged as an error).
    /// - Parameter error: What a handler threw.
    /// - Returns: The body to send, its extra headers, and `true` for a 500.
    package static func render(_ error: any Error) -> (OpenStackErrorBody, HTTPFields, Bool) {
        switch error {
        case let error as BileanError:
            let status: HTTPResponse.Status
            let type: String
            switch error.code {
            case .invalidInput: (status, type) = (.badRequest, "InvalidInput")
            case .notFound: (status, type) = (.notFound, "NotFound")
            case .conflict: (status, type) = (.conflict, "Conflict")
            case .forbidden: (status, type) = (.forbidden, "Forbidden")
            case .unavailable:
                return (
                    OpenStackErrorBody(status: .serviceUnavailable, type: "ServiceUnavailable", message: error.message),
                    [:], true
                )
            case .timedOut:
                return (
                    OpenStackErrorBody(status: .gatewayTimeout, type: "GatewayTimeout", message: error.message), [:],
                    true
                )
            default:
                return (internalError, [:], true)
            }
            return (OpenStackErrorBody(status: status, type: type, message: error.message), [:], false)
        case let error as APIError:
            let body = OpenStackErrorBody(
                status: error.status,
                type: OpenStackErrorBody.typeName(error.status),
                message: error.message
            )
            return (body, error.headers, error.status.code >= 500)
        case let error as HTTPError:
            // Hummingbird's own: an unknown path (404) or a body over the limit (413).
            let message = error.body ?? OpenStackErrorBody.explanation(error.status)
            let body = OpenStackErrorBody(
                status: error.status,
                type: OpenStackErrorBody.typeName(error.status),
                message: error.status.code >= 500 ? OpenStackErrorBody.internalErrorMessage : message
            )
            return (body, error.headers, error.status.code >= 500)
        case is NIOTooManyBytesError:
            let body = OpenStackErrorBody(
                status: .contentTooLarge,
                type: OpenStackErrorBody.typeName(.contentTooLarge),
                message: "The request body is larger than this server accepts"
            )
            return (body, [:], false)
        default:
            return (internalError, [:], true)
        }
    }

    static let internalError = OpenStackErrorBody(
        status: .internalServerError,
        type: "InternalError",
        message: OpenStackErrorBody.internalErrorMessage
    )
}
