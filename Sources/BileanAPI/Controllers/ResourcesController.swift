import BileanAPIModels
package import BileanCore
import Hummingbird

/// `/v1/resources`: billable cloud objects.
package struct ResourcesController: Sendable {
    let engine: any AccountsService

    /// Creates the controller.
    package init(engine: any AccountsService) {
        self.engine = engine
    }

    /// Adds the routes.
    package func addRoutes(to routes: RouteTable) {
        routes.add("/resources", [.get: self.list])
        routes.add("/resources/validate_creation", [.post: self.validateCreation])
        routes.add("/resources/:id", [.get: self.show])
    }

    @Sendable func list(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let parameters = try request.listParameters(.resources, own: ["user_id"])
        var query = parameters.query
        query.userID = try context.listScope(.resourcesIndex, requested: parameters.extra["user_id"])
        let resources = try await self.engine.listResources(query)
        return JSONResponse.ok("resources", .array(resources.map(\.apiBody)))
    }

    @Sendable func show(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try context.pathID()
        let credentials = try context.requireCredentials()
        let resource = try await self.engine.resource(id)
        // Judged after the lookup: another project's resource answers exactly as a missing one, so that its id
        // cannot be probed.
        guard context.policy.enforce(.resourcesGet, credentials, target: ["project_id": resource.userID]) else {
            throw BileanError.notFound("Resource", id)
        }
        return JSONResponse.ok("resource", resource.apiBody)
    }

    @Sendable func validateCreation(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        // Admin only: decided before the body is read, so that a member learns nothing from it.
        let credentials = try context.authorize(.resourcesValidateCreation, project: nil)
        var request = request
        let body = try ValidationRequest(body: try await request.jsonBody(context: context))
        guard let userID = body.userID ?? credentials.projectID else {
            throw BileanError.invalid("user_id", "'user_id' is required (the project that would own the resources)")
        }
        let valid = try await self.engine.validateCreation(userID: userID, resources: body.resources, count: body.count)
        return JSONResponse.ok("validation", .bool(valid))
    }
}
