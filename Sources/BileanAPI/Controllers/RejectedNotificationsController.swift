import BileanAPIModels
package import BileanCore
import Hummingbird

/// `/v1/rejected-notifications`: the notifications the listener set aside, for the admin.
package struct RejectedNotificationsController: Sendable {
    let engine: any AccountsService

    /// Creates the controller.
    package init(engine: any AccountsService) {
        self.engine = engine
    }

    /// Adds the routes.
    package func addRoutes(to routes: RouteTable) {
        routes.add("/rejected-notifications", [.get: self.list])
        routes.add("/rejected-notifications/:id", [.get: self.show])
    }

    @Sendable func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.rejectedNotificationsIndex, project: nil)
        let parameters = try request.listParameters(.rejectedNotifications, window: true)
        let rejections = try await self.engine.listRejectedNotifications(parameters.query)
        return JSONResponse.ok("rejected_notifications", .array(rejections.map(\.apiBody)))
    }

    @Sendable func show(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        try context.authorize(.rejectedNotificationsGet, project: nil)
        let rejection = try await self.engine.rejectedNotification(try context.pathID())
        return JSONResponse.ok("rejected_notification", rejection.apiBody)
    }
}
