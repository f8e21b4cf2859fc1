package import BileanCore
package import Hummingbird

/// The request context of every API route: the request id, the caller's credentials and the policy in force.
package struct APIRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// `req-<uuid>`, sent back in `x-openstack-request-id` (set by ``RequestIDMiddleware``).
    package var requestID: String
    /// Who is calling (set by the authentication middleware; `nil` before it ran).
    package var credentials: Credentials?
    /// The authorization rules (set by the authentication middleware; the defaults before it ran).
    package var policy: AccessPolicy
    /// The largest request body accepted.
    package var maximumBodySize: Int

    package init(source: Source) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.credentials = nil
        self.policy = AccessPolicy.defaults
        self.maximumBodySize = APIConfiguration.defaultMaximumBodySize
    }

    /// The caller's credentials.
    /// - Throws: ``APIError`` 401 when no authentication middleware ran (a wiring error, never silently admin);
    ///   ``BileanError`` (forbidden) for a caller that is neither scoped to a project nor an administrator.
    package func requireCredentials() throws -> Credentials {
        guard let credentials = self.credentials else {
            throw APIError(.unauthorized, "Authentication required")
        }
        guard credentials.projectID != nil || credentials.isAdmin else {
            throw BileanError(.forbidden, "The token has no project scope: use a project-scoped token.")
        }
        return credentials
    }

    /// Checks the policy for `action` on objects of `project` (``AccessPolicy/authorize(_:_:project:)``).
    /// - Parameters:
    ///   - action: The operation.
    ///   - project: The project whose objects are touched (`nil`: not about one project).
    /// - Returns: The caller's credentials.
    /// - Throws: ``APIError`` 401 or ``BileanError`` (forbidden).
    @discardableResult
    package func authorize(_ action: AccessPolicy.Action, project: String?) throws -> Credentials {
        let credentials = try self.requireCredentials()
        try self.policy.authorize(action, credentials, project: project)
        return credentials
    }

    /// The project a list is about (``AccessPolicy/listScope(_:_:requested:)``).
    /// - Parameters:
    ///   - action: The list operation.
    ///   - requested: The `user_id` the request names, if any.
    /// - Returns: The project to list (`nil`: all).
    /// - Throws: ``APIError`` 401 or ``BileanError`` (forbidden).
    package func listScope(_ action: AccessPolicy.Action, requested: String?) throws -> String? {
        try self.policy.listScope(action, try self.requireCredentials(), requested: requested)
    }
}
