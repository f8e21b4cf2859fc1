import BileanAPIModels
package import BileanCore
import Hummingbird

/// `/v1/rerating`: shadow re-rating. A preview prices draft rules over a past window beside what was billed, and
/// bills nothing; an apply records a preview's differences as `rerate` consumptions, once per preview.
package struct ReratingController: Sendable {
    let engine: any AccountsService

    /// Creates the controller.
    package init(engine: any AccountsService) {
        self.engine = engine
    }

    /// Adds the routes.
    package func addRoutes(to routes: RouteTable) {
        routes.add("/rerating/preview", [.post: self.preview])
        routes.add("/rerating/apply", [.post: self.apply])
    }

    @Sendable func preview(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.reratingPreview, project: nil)
        var request = request
        let body = try ReratingPreviewRequestBody(body: try await request.jsonBody(context: context))
        let preview = try await self.engine.previewRerating(body.request)
        return JSONResponse.ok("preview", preview.apiBody)
    }

    @Sendable func apply(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.reratingApply, project: nil)
        var request = request
        let body = try ReratingApplyRequestBody(body: try await request.jsonBody(context: context))
        let rerating = try await self.engine.applyRerating(previewID: body.previewID, reason: body.reason)
        return JSONResponse.ok("rerating", rerating.apiBody)
    }
}
