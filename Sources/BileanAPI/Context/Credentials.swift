/// Who is calling: a project and its roles, as Keystone (or `noauth`) tells.
package struct Credentials: Sendable, Hashable {
    /// The caller's project, if scoped to one.
    package var projectID: String?
    /// The caller's roles, lowercased.
    package var roles: Set<String>
    /// The Keystone user, when a token told (never in `noauth`).
    package var userID: String?
    /// The user's domain, when a token told.
    package var userDomainID: String?
    /// The project's domain, when a token told.
    package var projectDomainID: String?
    /// The domain scope of a domain-scoped token.
    package var domainID: String?
    /// `all` for a system-scoped token.
    package var systemScope: String?

    /// Creates credentials.
    package init(
        projectID: String?,
        roles: Set<String>,
        userID: String? = nil,
        userDomainID: String? = nil,
        projectDomainID: String? = nil,
        domainID: String? = nil,
        systemScope: String? = nil
    ) {
        self.projectID = projectID
        self.roles = roles
        self.userID = userID
        self.userDomainID = userDomainID
        self.projectDomainID = projectDomainID
        self.domainID = domainID
        self.systemScope = systemScope
    }

    /// The cloud administrator: `noauth` without headers, or any caller with the `admin` role.
    package static let administrator = Credentials(projectID: nil, roles: ["admin"])

    /// Whether the caller has the `admin` role.
    package var isAdmin: Bool { self.roles.contains("admin") }

    /// The attributes a policy's `KEY:VALUE` checks read, by oslo.context's names.
    var policyAttributes: [String: String] {
        var attributes = ["is_admin": self.isAdmin ? "True" : "False"]
        attributes["project_id"] = self.projectID
        attributes["user_id"] = self.userID
        attributes["user_domain_id"] = self.userDomainID
        attributes["project_domain_id"] = self.projectDomainID
        attributes["domain_id"] = self.domainID
        attributes["system_scope"] = self.systemScope
        return attributes
    }
}
