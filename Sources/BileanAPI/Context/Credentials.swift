/// Who is calling: a project and its roles, as Keystone (or `noauth`) tells.
package struct Credentials: Sendable, Hashable {
    /// The caller's project, if scoped to one.
    package var projectID: String?
    /// The caller's roles, lowercased.
    package var roles: Set<String>

    /// Creates credentials.
    package init(projectID: String?, roles: Set<String>) {
        self.projectID = projectID
        self.roles = roles
    }

    /// The cloud administrator: `noauth` without headers, or any caller with the `admin` role.
    package static let administrator = Credentials(projectID: nil, roles: ["admin"])

    /// Whether the caller has the `admin` role.
    package var isAdmin: Bool { self.roles.contains("admin") }
}
