/// The API's settings (`[bilean_api]` and `[DEFAULT] auth_strategy` in bilean.conf).
package struct APIConfiguration: Sendable, Hashable {
    /// How callers are authenticated.
    package enum AuthStrategy: String, Sendable, Hashable, CaseIterable {
        /// Trust `X-Project-Id` / `X-Roles`; a request without them is admin. For a loopback all-in-one only.
        case noauth
        /// Validate `X-Auth-Token` against Keystone (not available in this build yet).
        case keystone
    }

    /// The default largest request body: 1 MiB.
    package static let defaultMaximumBodySize = 1 << 20

    /// How callers are authenticated.
    package var authStrategy: AuthStrategy = .noauth
    /// The largest request body accepted (413 above it).
    package var maximumBodySize: Int = APIConfiguration.defaultMaximumBodySize

    /// The defaults: `noauth`, 1 MiB bodies.
    package init() {}
}
