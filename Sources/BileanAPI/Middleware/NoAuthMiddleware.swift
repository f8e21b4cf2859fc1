import Foundation
import HTTPTypes
package import Hummingbird

/// `auth_strategy = noauth`: trusts the `X-Project-Id` and `X-Roles` headers that keystonemiddleware would set;
/// a request with neither is the cloud admin. Only for an API bound to loopback.
package struct NoAuthMiddleware: RouterMiddleware {
    package typealias Context = APIRequestContext

    static let projectHeader = HTTPField.Name("X-Project-Id")!
    static let rolesHeader = HTTPField.Name("X-Roles")!

    /// The authorization rules.
    let policy: AccessPolicy

    /// Creates the middleware.
    /// - Parameter policy: The authorization rules (the defaults unless a policy file overrides them).
    package init(policy: AccessPolicy = .defaults) {
        self.policy = policy
    }

    package func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.policy = self.policy
        context.credentials = try Self.credentials(request.headers)
        return try await next(request, context)
    }

    /// The credentials the headers claim.
    /// - Throws: ``APIError`` 400 for a project id that is empty or longer than 255 characters.
    static func credentials(_ headers: HTTPFields) throws -> Credentials {
        let project = headers[Self.projectHeader]?.trimmingCharacters(in: .whitespaces)
        let roleHeader = headers[values: Self.rolesHeader].joined(separator: ",")
        let roles = Set(
            roleHeader.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { !$0.isEmpty }
        )
        // Only a request with neither header is the admin: a header that is present but empty (an unscoped token
        // behind keystonemiddleware) grants nothing.
        if headers[Self.projectHeader] == nil && headers[Self.rolesHeader] == nil { return .administrator }
        if let project, project.isEmpty || project.count > 255 {
            throw APIError(.badRequest, "X-Project-Id must be 1 to 255 characters")
        }
        return Credentials(projectID: project, roles: roles)
    }
}
