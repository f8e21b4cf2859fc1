/// The connection options of the `bilean` command line, as given (`nil` when absent), before the environment
/// and `clouds.yaml` fill the gaps.
///
/// Every field matches an option of the OpenStack clients (`--os-auth-url`, `--os-username`, …); the
/// environment variable of each is named in ``BileanHTTPClient/Configuration/connect(options:environment:transport:currentDirectory:timeout:)``.
/// The password and the token are ``Secret``s, so printing the options never shows them.
package struct ConnectionOptions: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// `--bilean-url` / `--os-bilean-url`.
    package var bileanURL: String?
    /// `--os-token` / `--os-auth-token`: sent as is without Keystone, or the token to log in with (auth type
    /// `token`) when Keystone is used without a user name.
    package var token: Secret?
    /// `--os-project-id`: the `X-Project-Id` header without Keystone, the project to log in to with it.
    package var projectID: String?
    /// `--os-roles`: the `X-Roles` header without Keystone; unused with it.
    package var roles: String?
    /// `--os-cloud`: the cloud of `clouds.yaml`.
    package var cloud: String?
    /// `--os-auth-url`: Keystone's URL, with or without `/v3`.
    package var authURL: String?
    /// `--os-username`.
    package var username: String?
    /// `--os-password`.
    package var password: Secret?
    /// `--os-project-name`.
    package var projectName: String?
    /// `--os-user-domain-name`.
    package var userDomainName: String?
    /// `--os-user-domain-id`.
    package var userDomainID: String?
    /// `--os-project-domain-name`.
    package var projectDomainName: String?
    /// `--os-project-domain-id`.
    package var projectDomainID: String?
    /// `--os-region-name`: the region of the catalog endpoint.
    package var regionName: String?
    /// `--os-interface`: `public`, `internal` or `admin`.
    package var interface: String?

    /// Creates options; every one is absent unless given.
    /// - Parameters: One per property; see each property.
    package init(
        bileanURL: String? = nil,
        token: Secret? = nil,
        projectID: String? = nil,
        roles: String? = nil,
        cloud: String? = nil,
        authURL: String? = nil,
        username: String? = nil,
        password: Secret? = nil,
        projectName: String? = nil,
        userDomainName: String? = nil,
        userDomainID: String? = nil,
        projectDomainName: String? = nil,
        projectDomainID: String? = nil,
        regionName: String? = nil,
        interface: String? = nil
    ) {
        self.bileanURL = bileanURL
        self.token = token
        self.projectID = projectID
        self.roles = roles
        self.cloud = cloud
        self.authURL = authURL
        self.username = username
        self.password = password
        self.projectName = projectName
        self.userDomainName = userDomainName
        self.userDomainID = userDomainID
        self.projectDomainName = projectDomainName
        self.projectDomainID = projectDomainID
        self.regionName = regionName
        self.interface = interface
    }

    /// The cloud to read from `clouds.yaml`: `--os-cloud`, else `OS_CLOUD`; `nil` when neither is set.
    /// - Parameter environment: The process environment.
    /// - Returns: The cloud's name, or `nil`.
    package func cloudName(environment: [String: String]) -> String? {
        SettingLookup(environment).value(self.cloud, "OS_CLOUD")
    }

    /// Whether the CLI logs in to Keystone: `--os-auth-url`, `OS_AUTH_URL`, `--os-cloud` or `OS_CLOUD` is set
    /// (and not empty). Otherwise it sends the `noauth` headers (`X-Project-Id`, `X-Roles`) and the token as
    /// given, as it always did.
    /// - Parameter environment: The process environment.
    /// - Returns: `true` for Keystone.
    package func usesKeystone(environment: [String: String]) -> Bool {
        SettingLookup(environment).value(self.authURL, "OS_AUTH_URL") != nil
            || self.cloudName(environment: environment) != nil
    }

    /// The options given, with the password and the token shown as ``Secret/redacted``.
    package var description: String {
        let fields: [(String, String?)] = [
            ("bilean-url", self.bileanURL), ("os-token", self.token?.description), ("os-project-id", self.projectID),
            ("os-roles", self.roles), ("os-cloud", self.cloud), ("os-auth-url", self.authURL),
            ("os-username", self.username), ("os-password", self.password?.description),
            ("os-project-name", self.projectName), ("os-user-domain-name", self.userDomainName),
            ("os-user-domain-id", self.userDomainID), ("os-project-domain-name", self.projectDomainName),
            ("os-project-domain-id", self.projectDomainID), ("os-region-name", self.regionName),
            ("os-interface", self.interface),
        ]
        let given = fields.compactMap { name, value in value.map { "--\(name) \($0)" } }
        return "ConnectionOptions(\(given.joined(separator: " ")))"
    }

    /// The same as ``description``.
    package var debugDescription: String { self.description }
}
