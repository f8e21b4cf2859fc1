import BileanAPIModels
package import BileanCore
import Hummingbird

/// `/v1/users`: accounts, their real-time balances, recharges and policies.
package struct UsersController: Sendable {
    let engine: any AccountsService

    /// Creates the controller.
    package init(engine: any AccountsService) {
        self.engine = engine
    }

    /// Adds the routes.
    package func addRoutes(to routes: RouteTable) {
        routes.add("/users", [.get: self.list])
        routes.add("/users/:id", [.get: self.show])
        routes.add("/users/:id/action", [.post: self.action])
        routes.add("/users/:id/projection", [.get: self.projection])
    }

    @Sendable func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.usersIndex, project: nil)
        let parameters = try request.listParameters(.users)
        let users = try await self.engine.listUsers(parameters.query)
        return JSONResponse.ok("users", capacity: 512 * max(users.count, 1)) { writer in
            writer.beginArray()
            for user in users { user.writeAPIBody(to: &writer) }
            writer.endArray()
        }
    }

    @Sendable func show(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try context.pathID()
        try context.authorize(.usersGet, project: id)
        let user = try await self.engine.user(id)
        return JSONResponse.ok("user") { user.writeAPIBody(to: &$0) }
    }

    @Sendable func projection(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try context.pathID()
        try context.authorize(.usersProjection, project: id)
        var at: BillingTime?
        for (name, value) in Request.formDecoded(request.uri.query ?? "") {
            guard name == "at" else {
                throw BileanError.invalid(name, "Unknown parameter '\(name.prefix(64))' (known: at)")
            }
            at = try BillingTime(parsing: value, field: "at")
        }
        guard let at else { throw BileanError.invalid("at", "'at' is required (an ISO 8601 instant)") }
        let projection = try await self.engine.projection(userID: id, at: at)
        return JSONResponse.ok("projection", projection.apiBody)
    }

    @Sendable func action(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try context.pathID()
        try context.authorize(.usersAction, project: id)
        var request = request
        let action = try UserAction(body: try await request.jsonBody(context: context))
        let user: User
        switch action {
        case .recharge(let value, let kind, let metadata):
            user = try await self.engine.recharge(userID: id, value: value, kind: kind, metadata: metadata)
        case .attachPolicy(let policyID):
            user = try await self.engine.attachPolicy(userID: id, policyID: policyID)
        case .setCredit(let value):
            user = try await self.engine.setCredit(userID: id, value: value)
        }
        return JSONResponse.ok("user") { user.writeAPIBody(to: &$0) }
    }
}
