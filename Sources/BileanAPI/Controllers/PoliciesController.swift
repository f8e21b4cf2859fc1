import BileanAPIModels
package import BileanCore
import Hummingbird

/// `/v1/policies`: named sets of rules, one per resource type; the default policy bills users without one.
package struct PoliciesController: Sendable {
    let engine: any AccountsService

    /// Creates the controller.
    package init(engine: any AccountsService) {
        self.engine = engine
    }

    /// Adds the routes.
    package func addRoutes(to routes: RouteTable) {
        routes.add("/policies", [.get: self.list, .post: self.create])
        routes.add("/policies/:id", [.get: self.show, .put: self.update, .delete: self.delete])
        routes.add("/policies/:id/action", [.post: self.action])
    }

    @Sendable func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.policiesIndex, project: nil)
        let parameters = try request.listParameters(.policies)
        let policies = try await self.engine.listPolicies(parameters.query)
        return JSONResponse.ok("policies", .array(policies.map(\.apiBody)))
    }

    @Sendable func show(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.policiesGet, project: nil)
        return JSONResponse.ok("policy", try await self.engine.policy(try context.pathID()).apiBody)
    }

    @Sendable func create(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.policiesCreate, project: nil)
        var request = request
        let body = try PolicyCreateRequest(body: try await request.jsonBody(context: context))
        let policy = try await self.engine.createPolicy(name: body.name, ruleIDs: body.ruleIDs, metadata: body.metadata)
        return JSONResponse.make(.created, .object(["policy": policy.apiBody]))
    }

    @Sendable func update(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.policiesUpdate, project: nil)
        let id = try context.pathID()
        var request = request
        let body = try PolicyUpdateRequest(body: try await request.jsonBody(context: context))
        return JSONResponse.ok("policy", try await self.engine.updatePolicy(id, body.update).apiBody)
    }

    @Sendable func delete(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.policiesDelete, project: nil)
        try await self.engine.deletePolicy(try context.pathID())
        return Response(status: .noContent)
    }

    @Sendable func action(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.policiesAction, project: nil)
        let id = try context.pathID()
        var request = request
        let policy: Policy
        switch try PolicyAction(body: try await request.jsonBody(context: context)) {
        case .addRules(let ids): policy = try await self.engine.addRules(policyID: id, ruleIDs: ids)
        case .removeRules(let ids): policy = try await self.engine.removeRules(policyID: id, ruleIDs: ids)
        }
        return JSONResponse.ok("policy", policy.apiBody)
    }
}
