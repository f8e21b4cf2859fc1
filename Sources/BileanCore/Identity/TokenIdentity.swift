/// Who a Keystone token speaks for, as the identity service told: the user, the scope and the roles.
package struct TokenIdentity: Sendable, Hashable {
    /// The Keystone user's id.
    package var userID: String
    /// The user's domain id, if Keystone gave one.
    package var userDomainID: String?
    /// The project the token is scoped to, if any.
    package var projectID: String?
    /// The project's domain id, if the token is project-scoped.
    package var projectDomainID: String?
    /// The domain the token is scoped to, if it is domain-scoped.
    package var domainID: String?
    /// `all` for a system-scoped token, else `nil`.
    package var systemScope: String?
    /// The role names, as Keystone spells them.
    package var roles: [String]
    /// When Keystone stops accepting the token.
    package var expiresAt: BillingTime

    /// Creates an identity.
    /// - Parameters:
    ///   - userID: The user's id.
    ///   - userDomainID: The user's domain id.
    ///   - projectID: The project scope.
    ///   - projectDomainID: The project's domain id.
    ///   - domainID: The domain scope.
    ///   - systemScope: The system scope.
    ///   - roles: The role names.
    ///   - expiresAt: The token's expiry.
    package init(
        userID: String,
        userDomainID: String? = nil,
        projectID: String?,
        projectDomainID: String? = nil,
        domainID: String? = nil,
        systemScope: String? = nil,
        roles: [String],
        expiresAt: BillingTime
    ) {
        self.userID = userID
        self.userDomainID = userDomainID
        self.projectID = projectID
        self.projectDomainID = projectDomainID
        self.domainID = domainID
        self.systemScope = systemScope
        self.roles = roles
        self.expiresAt = expiresAt
    }
}
