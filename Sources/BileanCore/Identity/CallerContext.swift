/// Who asked for the work the current task does: the API request's id and the caller's project, user and roles.
///
/// The api sets it (``current``, a task-local value) around each request once the caller is authenticated; it
/// travels with the request's work and leaves the process with it, as the RPC context of the calls the api makes
/// to the engine, so that both sides log the same request id. Work that no request started (the listener's, the
/// scheduler's) has none.
package struct CallerContext: Sendable, Hashable {
    /// The API request id (`req-…`).
    package var requestID: String?
    /// The caller's project.
    package var projectID: String?
    /// The Keystone user, when a token told.
    package var userID: String?
    /// The caller's roles.
    package var roles: [String]
    /// Whether the caller has the `admin` role.
    package var isAdmin: Bool

    /// Creates a caller context.
    package init(
        requestID: String? = nil,
        projectID: String? = nil,
        userID: String? = nil,
        roles: [String] = [],
        isAdmin: Bool = false
    ) {
        self.requestID = requestID
        self.projectID = projectID
        self.userID = userID
        self.roles = roles
        self.isAdmin = isAdmin
    }

    /// The caller of the request the current task works for, if a request started it.
    @TaskLocal package static var current: CallerContext?
}
