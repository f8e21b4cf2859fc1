package import Hummingbird

/// Puts the configured body limit into the context, for ``Hummingbird/Request/jsonBody(context:)``.
package struct BodyLimitMiddleware: RouterMiddleware {
    package typealias Context = APIRequestContext

    let maximumBodySize: Int

    /// Creates the middleware.
    package init(maximumBodySize: Int) {
        self.maximumBodySize = maximumBodySize
    }

    package func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.maximumBodySize = self.maximumBodySize
        return try await next(request, context)
    }
}
