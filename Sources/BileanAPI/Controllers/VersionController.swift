import BileanCore
import Hummingbird

/// The version document: `GET /` lists the versions (300 Multiple Choices, as OpenStack services answer),
/// `GET /v1` describes v1.
package struct VersionController: Sendable {
    /// `[bilean_api] public_endpoint`, without a trailing slash; `nil`: links from the request's `Host`.
    let publicEndpoint: String?

    /// Creates the controller.
    /// - Parameter publicEndpoint: The URL the links start with (``APIConfiguration/publicEndpoint``); `nil`:
    ///   `http://` and the request's `Host`.
    package init(publicEndpoint: String? = nil) {
        self.publicEndpoint = publicEndpoint
    }

    /// Adds the routes.
    package func addRoutes(to routes: RouteTable) {
        routes.addExact("/", [.get: self.versions])
        routes.addExact("/v1", [.get: self.current])
    }

    @Sendable func versions(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let version = Self.version(request, publicEndpoint: self.publicEndpoint)
        return JSONResponse.make(.multipleChoices, .object(["versions": .array([version])]))
    }

    @Sendable func current(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        JSONResponse.ok("version", Self.version(request, publicEndpoint: self.publicEndpoint))
    }

    static func version(_ request: Request, publicEndpoint: String?) -> JSONValue {
        let base = Self.baseURL(request, publicEndpoint: publicEndpoint)
        return .object([
            "id": .string("v1.0"),
            "status": .string("CURRENT"),
            "updated": .string("2026-11-26T00:00:00Z"),
            "links": .array([
                .object(["rel": .string("self"), "href": .string("\(base)/v1/")]),
                .object([
                    "rel": .string("describedby"), "type": .string(OpenAPIDocument.mediaType),
                    "href": .string("\(base)/v1/openapi.json"),
                ]),
            ]),
            "media-types": .array([
                .object([
                    "base": .string("application/json"), "type": .string("application/vnd.openstack.billing-v1+json"),
                ])
            ]),
        ])
    }

    /// Where the links start: the configured public endpoint, as other OpenStack APIs do behind a proxy, or else
    /// `http://` and the request's `Host`.
    static func baseURL(_ request: Request, publicEndpoint: String?) -> String {
        if let publicEndpoint { return publicEndpoint }
        return "http://\(request.head.authority ?? "127.0.0.1:8770")"
    }
}
