import BileanCore
import Foundation
import HTTPTypes
package import Hummingbird
import Logging

/// Gives every request an id `req-<uuid>`: in the log metadata (`request.id`), in the context, and in the
/// `x-openstack-request-id` header of every response, errors included. Logs one line per request.
package struct RequestIDMiddleware: RouterMiddleware {
    package typealias Context = APIRequestContext

    /// The response header.
    package static let header = HTTPField.Name("x-openstack-request-id")!

    /// Creates the middleware.
    package init() {}

    package func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.requestID = Self.newID()
        context.logger[metadataKey: "request.id"] = .string(context.requestID)
        let started = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[Self.header] = context.requestID
        let elapsed = ContinuousClock.now - started
        context.logger.info(
            "\(request.method.rawValue) \(request.uri.path) \(response.status.code)",
            metadata: ["duration": "\(elapsed)"]
        )
        return response
    }

    /// `req-` and a random (version 4) UUID in lower case (``RandomID``: not Foundation's `UUID()`, which opens,
    /// reads and closes `/dev/urandom` each time, about 6 % of a small request, perf).
    static func newID() -> String {
        "req-" + RandomID.uuid()
    }
}
