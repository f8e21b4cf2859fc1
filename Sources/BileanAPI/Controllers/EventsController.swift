import BileanAPIModels
package import BileanCore
import Hummingbird

/// `/v1/events`: the audit trail.
package struct EventsController: Sendable {
    let engine: any AccountsService

    /// Creates the controller.
    package init(engine: any AccountsService) {
        self.engine = engine
    }

    /// Adds the routes.
    package func addRoutes(to routes: RouteTable) {
        routes.add("/events", [.get: self.list])
    }

    @Sendable func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let parameters = try request.listParameters(.events, own: ["user_id"], window: true)
        var query = parameters.query
        query.userID = try context.listScope(.eventsIndex, requested: parameters.extra["user_id"])
        let events = try await self.engine.listEvents(query)
        return JSONResponse.ok("events", .array(events.map(\.apiBody)))
    }
}
