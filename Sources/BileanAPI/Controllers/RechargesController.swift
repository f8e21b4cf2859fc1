import BileanAPIModels
package import BileanCore
import Hummingbird

/// `/v1/recharges`: the money put on accounts, so that the ledger can be checked from the API alone.
package struct RechargesController: Sendable {
    let engine: any AccountsService

    /// Creates the controller.
    package init(engine: any AccountsService) {
        self.engine = engine
    }

    /// Adds the routes.
    package func addRoutes(to routes: RouteTable) {
        routes.add("/recharges", [.get: self.list])
    }

    @Sendable func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let parameters = try request.listParameters(.recharges, own: ["user_id"], window: true)
        var query = parameters.query
        query.userID = try context.listScope(.rechargesIndex, requested: parameters.extra["user_id"])
        let recharges = try await self.engine.listRecharges(query)
        return JSONResponse.ok("recharges", .array(recharges.map(\.apiBody)))
    }
}
