import Hummingbird
import NIOCore

/// `GET /v1/openapi.json`: the OpenAPI 3.1 document of v1 (``OpenAPIDocument``), public like the version document.
package struct OpenAPIController: Sendable {
    /// The document's bytes, made once.
    static let body = ByteBuffer(string: OpenAPIDocument.json)

    /// Creates the controller.
    package init() {}

    /// Adds the route.
    package func addRoutes(to routes: RouteTable) {
        routes.add("/openapi.json", [.get: self.document])
    }

    @Sendable func document(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: Self.body))
    }
}
