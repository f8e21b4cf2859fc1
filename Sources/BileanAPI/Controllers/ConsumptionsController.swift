import BileanAPIModels
package import BileanCore
import Hummingbird

/// `/v1/consumptions`: closed billing intervals, and costs per resource or type over a window, or per UTC day of
/// it (`interval=day`).
package struct ConsumptionsController: Sendable {
    let engine: any AccountsService

    /// Creates the controller.
    package init(engine: any AccountsService) {
        self.engine = engine
    }

    /// Adds the routes.
    package func addRoutes(to routes: RouteTable) {
        routes.add("/consumptions", [.get: self.list])
        routes.add("/consumptions/statistics", [.get: self.statistics])
    }

    @Sendable func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let parameters = try request.listParameters(.consumptions, own: ["user_id"], window: true)
        var query = parameters.query
        query.userID = try context.listScope(.consumptionsIndex, requested: parameters.extra["user_id"])
        let consumptions = try await self.engine.listConsumptions(query)
        return JSONResponse.ok("consumptions", .array(consumptions.map(\.apiBody)))
    }

    @Sendable func statistics(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let parameters = try request.listParameters(
            .statistics,
            own: ["user_id", "summary", "interval"],
            window: true,
            paging: false
        )
        var query = parameters.query
        query.userID = try context.listScope(.consumptionsStatistics, requested: parameters.extra["user_id"])
        let summary = try parameters.extra["summary"].map { try Request.boolean($0, name: "summary") } ?? false
        let rows: [ConsumptionStatistics]
        switch parameters.extra["interval"] {
        case nil:
            rows = try await self.engine.statistics(query, summary: summary)
        case "day":
            rows = try await self.engine.dailyStatistics(query, summary: summary)
        case .some:
            throw BileanError.invalid("interval", "'interval' must be 'day'")
        }
        return JSONResponse.ok("statistics", .array(rows.map(\.apiBody)))
    }
}
