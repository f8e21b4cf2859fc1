package import BileanCore
package import Hummingbird

/// Runs the rest of the request with ``CallerContext/current`` set: the request id and the authenticated caller,
/// which the RPC engine client sends with each call (oslo's `_context_*` keys). After the authentication
/// middleware.
package struct CallerContextMiddleware: RouterMiddleware {
    package typealias Context = APIRequestContext

    /// Creates the middleware.
    package init() {}

    package func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let credentials = context.credentials
        let caller = CallerContext(
            requestID: context.requestID.isEmpty ? nil : context.requestID,
            projectID: credentials?.projectID,
            userID: credentials?.userID,
            roles: credentials.map { $0.roles.sorted() } ?? [],
            isAdmin: credentials?.isAdmin ?? false
        )
        return try await CallerContext.$current.withValue(caller) {
            try await next(request, context)
        }
    }
}
