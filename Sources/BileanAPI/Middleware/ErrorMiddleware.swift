package import Hummingbird
import Logging

/// Renders every error as the OpenStack error JSON. A 500 says nothing of its cause to the client; the cause
/// (SQL, hosts, stack) goes to the log with the request id.
package struct ErrorMiddleware: RouterMiddleware {
    package typealias Context = APIRequestContext

    /// Creates the middleware.
    package init() {}

    package func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let (body, headers, serverFault) = ErrorRendering.render(error)
            if serverFault {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            } else {
                context.logger.debug("request rejected", metadata: ["error": "\(body.message)"])
            }
            var response = JSONResponse.make(body.status, body.json)
            for field in headers { response.headers.append(field) }
            return response
        }
    }
}
