package import Hummingbird

/// Registers each route at `/v1/X` and at `/X` (the original client drops the version in token mode; see
/// CLIENT-COMPAT.md), and answers 405 with `Allow` for the other methods of a known path. It records every path
/// and method it gives a handler, so that tests can compare the routes with the OpenAPI document.
package final class RouteTable {
    /// A route handler.
    package typealias Handler = @Sendable (Request, APIRequestContext) async throws -> Response

    /// A path and a method that has a handler (the 405 answers are not routes).
    package struct Route: Sendable, Hashable, CustomStringConvertible {
        /// The method.
        package var method: HTTPRequest.Method
        /// The path as the router reads it, e.g. `/v1/users/:id`.
        package var path: String

        package var description: String { "\(self.method.rawValue) \(self.path)" }
    }

    /// The methods a 405 is answered for when a path does not accept them.
    static let knownMethods: [HTTPRequest.Method] = [.get, .post, .put, .patch, .delete]

    let router: Router<APIRequestContext>

    /// Every path and method given a handler so far, in the order added.
    package private(set) var registered: [Route] = []

    /// Creates a table that adds its routes to `router`.
    package init(router: Router<APIRequestContext>) {
        self.router = router
    }

    /// Adds the handlers of one path.
    /// - Parameters:
    ///   - path: The path below the version, e.g. `/users/:id`.
    ///   - handlers: One handler per accepted method.
    package func add(_ path: String, _ handlers: [HTTPRequest.Method: Handler]) {
        for prefix in ["/v1", ""] {
            self.addExact(prefix + path, handlers)
        }
    }

    /// Adds the handlers of one exact path (no `/v1` alias).
    package func addExact(_ path: String, _ handlers: [HTTPRequest.Method: Handler]) {
        let allowed = Self.knownMethods.filter { handlers[$0] != nil }
        for method in Self.knownMethods {
            if let handler = handlers[method] {
                self.router.on(RouterPath(path), method: method, use: handler)
                self.registered.append(Route(method: method, path: path))
            } else {
                self.router.on(RouterPath(path), method: method) { request, _ -> Response in
                    throw APIError.methodNotAllowed(request.method, allowed: allowed)
                }
            }
        }
    }
}
