import BileanCore
import Hummingbird

/// The version document: `GET /` lists the versions (300 Multiple Choices, as OpenStack services answer),
/// `GET /v1` describes v1.
package struct VersionController: Sendable {
    /// Creates the controller.
    package init() {}

    /// Adds the routes.
    package func addRoutes(to routes: RouteTable) {
        routes.addExact("/", [.get: self.versions])
        routes.addExact("/v1", [.get: self.current])
    }

    @Sendable func versions(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        JSONResponse.make(.multipleChoices, .object(["versions": .array([Self.version(request)])]))
    }

    @Sendable func current(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        JSONResponse.ok("version", Self.version(request))
    }

    static func version(_ request: Request) -> JSONValue {
        let host = request.head.authority ?? "127.0.0.1:8770"
        return .object([
            "id": .string("v1.0"),
            "status": .string("CURRENT"),
            "updated": .string("2026-11-26T00:00:00Z"),
            "links": .array([.object(["rel": .string("self"), "href": .string("http://\(host)/v1/")])]),
            "media-types": .array([
                .object([
                    "base": .string("application/json"), "type": .string("application/vnd.openstack.billing-v1+json"),
                ])
            ]),
        ])
    }
}
