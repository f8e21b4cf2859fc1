package import Hummingbird

/// The request context of every API route: the request id and the caller's credentials.
package struct APIRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// `req-<uuid>`, sent back in `x-openstack-request-id` (set by ``RequestIDMiddleware``).
    package var requestID: String
    /// Who is calling (set by the authentication middleware; `nil` before it ran).
    package var credentials: Credentials?
    /// The largest request body accepted.
    package var maximumBodySize: Int

    package init(source: Source) {
        self.coreContext = .init(source: source)
        self.requestID = ""
        self.credentials = nil
        self.maximumBodySize = APIConfiguration.defaultMaximumBodySize
    }

    /// The caller's credentials.
    /// - Throws: ``APIError`` 401 when no authentication middleware ran (a wiring error, never silently admin).
    package func requireCredentials() throws -> Credentials {
        guard let credentials = self.credentials else {
            throw APIError(.unauthorized, "Authentication required")
        }
        return credentials
    }
}
