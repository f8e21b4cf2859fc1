/// The service credentials with which Bilean calls Keystone, Nova and Cinder to carry out freezes (`[authentication]`
/// in `bilean.conf`), and where to find the services in the catalog.
///
/// Printing the credentials (`"\(credentials)"`, `String(reflecting:)`) never shows the password.
package struct OpenStackCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Keystone's URL, with or without a trailing `/v3` (`http://keystone:5000`, `http://keystone/identity/v3`).
    package var authURL: String
    /// The service user's name.
    package var username: String
    /// The service user's password.
    package var password: String
    /// The project the token is scoped to (usually `service`).
    package var projectName: String
    /// The domain of the user.
    package var userDomainName: String
    /// The domain of the project.
    package var projectDomainName: String
    /// The region of the endpoints, or `nil` for the first endpoint of the right interface in any region.
    package var regionName: String?
    /// The catalog interface of the endpoints: `public`, `internal` or `admin`.
    package var interface: String

    /// Creates credentials.
    /// - Parameters:
    ///   - authURL: Keystone's URL, with or without a trailing `/v3`.
    ///   - username: The service user's name.
    ///   - password: The service user's password.
    ///   - projectName: The project the token is scoped to.
    ///   - userDomainName: The domain of the user.
    ///   - projectDomainName: The domain of the project.
    ///   - regionName: The region of the endpoints, or `nil` for any.
    ///   - interface: The catalog interface of the endpoints: `public`, `internal` or `admin`.
    package init(
        authURL: String,
        username: String,
        password: String,
        projectName: String,
        userDomainName: String = "Default",
        projectDomainName: String = "Default",
        regionName: String? = nil,
        interface: String = "internal"
    ) {
        self.authURL = authURL
        self.username = username
        self.password = password
        self.projectName = projectName
        self.userDomainName = userDomainName
        self.projectDomainName = projectDomainName
        self.regionName = regionName
        self.interface = interface
    }

    /// Keystone's v3 API: ``authURL`` without trailing `/` and `/v3`, then `/v3`.
    var identityURL: String {
        var base = self.authURL.trimmingTrailingSlashes()
        if base.hasSuffix("/v3") { base.removeLast(3) }
        return base.trimmingTrailingSlashes() + "/v3"
    }

    /// The URL of Keystone's token API: ``identityURL`` then `/auth/tokens`.
    var tokensURL: String { self.identityURL + "/auth/tokens" }

    /// The user, project and Keystone URL, without the password.
    package var description: String {
        "\(self.username)@\(self.userDomainName) in project \(self.projectName)@\(self.projectDomainName) "
            + "at \(self.authURL)"
    }

    /// The same as ``description``: the password is never shown.
    package var debugDescription: String {
        "OpenStackCredentials(\(self.description), password: <redacted>)"
    }

    /// What `dump` and debuggers show: every field but the password.
    package var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "authURL": self.authURL,
                "username": self.username,
                "password": "<redacted>",
                "projectName": self.projectName,
                "userDomainName": self.userDomainName,
                "projectDomainName": self.projectDomainName,
                "regionName": self.regionName as Any,
                "interface": self.interface,
            ]
        )
    }
}

extension String {
    /// The text without its trailing `/` characters.
    func trimmingTrailingSlashes() -> String {
        var text = self
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}
