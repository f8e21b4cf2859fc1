package import BileanCore
import Foundation
import HTTPTypes
package import Hummingbird
import Logging

/// `auth_strategy = keystone`: what keystonemiddleware's `auth_token` does. Each request's `X-Auth-Token` is
/// validated (through a cache) and the caller's project, user and roles are taken from the token.
///
/// - A missing, invalid or expired token: 401 with `WWW-Authenticate: Keystone uri="…"`.
/// - Keystone unreachable or failing: 503. Never a 401, and never a pass.
/// - The paths of ``PublicPaths`` (version documents, health, metrics, the API description, the dashboard) need
///   no token.
package struct KeystoneAuthMiddleware: RouterMiddleware {
    package typealias Context = APIRequestContext

    static let tokenHeader = HTTPField.Name("X-Auth-Token")!
    static let wwwAuthenticateHeader = HTTPField.Name("WWW-Authenticate")!

    let validator: any TokenValidator
    let policy: AccessPolicy
    let wwwAuthenticate: String

    /// Creates the middleware.
    /// - Parameters:
    ///   - validator: Validates tokens (Keystone, through its cache).
    ///   - policy: The authorization rules.
    ///   - wwwAuthenticateURI: Where a client gets a token (`[keystone_authtoken] www_authenticate_uri`).
    package init(validator: any TokenValidator, policy: AccessPolicy, wwwAuthenticateURI: String) {
        self.validator = validator
        self.policy = policy
        self.wwwAuthenticate = "Keystone uri=\"\(wwwAuthenticateURI)\""
    }

    package func handle(
        _ request: Request,
        context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.policy = self.policy
        if PublicPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        guard let token = request.headers[Self.tokenHeader]?.trimmingCharacters(in: .whitespaces), !token.isEmpty
        else {
            throw self.unauthorized()
        }
        let identity: TokenIdentity
        do {
            identity = try await self.validator.validate(token)
        } catch {
            if error.code == .unavailable {
                context.logger.warning(
                    "cannot validate a token: the identity service is unavailable",
                    metadata: ["error": "\(error.message)"]
                )
                throw APIError(
                    .serviceUnavailable,
                    "The identity service cannot validate the token right now; try again later."
                )
            }
            throw self.unauthorized()
        }
        context.credentials = Credentials(
            projectID: identity.projectID,
            roles: Set(identity.roles.map { $0.lowercased() }),
            userID: identity.userID,
            userDomainID: identity.userDomainID,
            projectDomainID: identity.projectDomainID,
            domainID: identity.domainID,
            systemScope: identity.systemScope
        )
        context.logger[metadataKey: "auth.user_id"] = .string(identity.userID)
        if let project = identity.projectID { context.logger[metadataKey: "auth.project_id"] = .string(project) }
        return try await next(request, context)
    }

    private func unauthorized() -> APIError {
        APIError(
            .unauthorized,
            "The request you have made requires authentication.",
            headers: [Self.wwwAuthenticateHeader: self.wwwAuthenticate]
        )
    }
}
