/// The API's settings (`[bilean_api]`, `[DEFAULT] auth_strategy`, `[keystone_authtoken] www_authenticate_uri` and
/// `[oslo_policy]` in bilean.conf).
package struct APIConfiguration: Sendable, Hashable {
    /// How callers are authenticated.
    package enum AuthStrategy: String, Sendable, Hashable, CaseIterable {
        /// Trust `X-Project-Id` / `X-Roles`; a request without them is admin. For a loopback all-in-one only.
        case noauth
        /// Validate `X-Auth-Token` against Keystone.
        case keystone
    }

    /// The default largest request body: 1 MiB.
    package static let defaultMaximumBodySize = 1 << 20

    /// How callers are authenticated.
    package var authStrategy: AuthStrategy = .noauth
    /// The largest request body accepted (413 above it).
    package var maximumBodySize: Int = APIConfiguration.defaultMaximumBodySize
    /// The authorization rules: the defaults, or a policy file over them.
    package var policy: AccessPolicy = .defaults
    /// Where a client gets a token, sent in `WWW-Authenticate` with a 401 (Keystone only).
    package var wwwAuthenticateURI = ""
    /// `[bilean_api] public_endpoint`: the URL clients reach the API at (behind a proxy or a load balancer), without
    /// a trailing slash; the version document's links start with it. `nil`: they start with `http://` and the
    /// request's `Host`.
    package var publicEndpoint: String?

    /// The defaults: `noauth`, 1 MiB bodies, the default policy.
    package init() {}
}
