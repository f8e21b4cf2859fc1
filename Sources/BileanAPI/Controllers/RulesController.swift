import BileanAPIModels
package import BileanCore
import Hummingbird

/// `/v1/rules`: price lists, one resource type each.
package struct RulesController: Sendable {
    let engine: any AccountsService

    /// Creates the controller.
    package init(engine: any AccountsService) {
        self.engine = engine
    }

    /// Adds the routes.
    package func addRoutes(to routes: RouteTable) {
        routes.add("/rules", [.get: self.list, .post: self.create])
        routes.add("/rules/:id", [.get: self.show, .put: self.update, .delete: self.delete])
    }

    @Sendable func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.rulesIndex, project: nil)
        let parameters = try request.listParameters(.rules)
        let rules = try await self.engine.listRules(parameters.query)
        return JSONResponse.ok("rules", .array(rules.map(\.apiBody)))
    }

    @Sendable func show(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.rulesGet, project: nil)
        return JSONResponse.ok("rule", try await self.engine.rule(try context.pathID()).apiBody)
    }

    @Sendable func create(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.rulesCreate, project: nil)
        var request = request
        let body = try RuleCreateRequest(body: try await request.jsonBody(context: context))
        let rule = try await self.engine.createRule(name: body.name, spec: body.spec, metadata: body.metadata)
        return JSONResponse.make(.created, .object(["rule": rule.apiBody]))
    }

    @Sendable func update(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.rulesUpdate, project: nil)
        let id = try context.pathID()
        var request = request
        let body = try RuleUpdateRequest(body: try await request.jsonBody(context: context))
        return JSONResponse.ok("rule", try await self.engine.updateRule(id, body.update).apiBody)
    }

    @Sendable func delete(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.rulesDelete, project: nil)
        try await self.engine.deleteRule(try context.pathID())
        return Response(status: .noContent)
    }
}
