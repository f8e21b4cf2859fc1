import Foundation

extension BileanHTTPClient.Configuration {
    /// The URL used when neither an option, the environment nor the Keystone catalog gives one.
    package static let defaultURL = "http://127.0.0.1:8770"
    /// The service type of Bilean in the Keystone catalog.
    package static let serviceType = "billing"

    /// The configuration of the CLI: logs in to Keystone first when the options or the environment ask for it.
    ///
    /// Keystone is used when `--os-auth-url`, `OS_AUTH_URL`, `--os-cloud` or `OS_CLOUD` is set
    /// (``ConnectionOptions/usesKeystone(environment:)``). Then the credentials come from the options, the
    /// environment and `clouds.yaml` (``KeystoneCredentials/init(options:environment:currentDirectory:)``), the
    /// login's token is sent as `X-Auth-Token`, no `X-Project-Id` or `X-Roles` is sent, and the URL is chosen
    /// by ``init(url:login:credentials:environment:)``. Otherwise nothing is sent to Keystone and the
    /// configuration is ``init(url:token:projectID:roles:environment:)``'s, as before Keystone login existed.
    /// - Parameters:
    ///   - options: The command-line options.
    ///   - environment: The process environment.
    ///   - transport: What sends the login request.
    ///   - currentDirectory: The current directory, where `clouds.yaml` is looked for first.
    ///   - timeout: The time the login may take.
    /// - Returns: The configuration.
    /// - Throws: ``BileanClientError`` for a bad URL, a missing or invalid `clouds.yaml` or setting, an unknown
    ///   cloud, a refused or failed login, or a catalog without a Bilean endpoint; its message is one line and
    ///   never holds the password or the token.
    package static func connect(
        options: ConnectionOptions,
        environment: [String: String],
        transport: any HTTPTransport,
        currentDirectory: String = FileManager.default.currentDirectoryPath,
        timeout: Duration = .seconds(60)
    ) async throws(BileanClientError) -> Self {
        guard options.usesKeystone(environment: environment) else {
            return try Self(
                url: options.bileanURL,
                token: options.token?.reveal,
                projectID: options.projectID,
                roles: options.roles,
                environment: environment
            )
        }
        let credentials = try KeystoneCredentials(
            options: options,
            environment: environment,
            currentDirectory: currentDirectory
        )
        // A bad explicit URL is reported before anything is sent.
        if let url = Self.explicitURL(options.bileanURL, environment: environment) {
            _ = try BileanEndpoint(url)
        }
        let login = try await KeystoneLogin.authenticate(credentials, transport: transport, timeout: timeout)
        return try Self(url: options.bileanURL, login: login, credentials: credentials, environment: environment)
    }

    /// A configuration from command-line options, falling back on the environment like the OpenStack clients,
    /// without Keystone login (the `noauth` identity headers).
    ///
    /// - URL: the option, else `BILEAN_URL`, else `OS_BILEAN_URL`, else ``defaultURL``.
    /// - Token: the option, else `OS_TOKEN`, else `OS_AUTH_TOKEN`.
    /// - Project: the option, else `OS_PROJECT_ID`. Roles: the option, else `OS_ROLES`.
    ///
    /// Empty values count as absent. The Keystone variables (`OS_AUTH_URL`, `OS_USERNAME`, …) are not read
    /// here; ``connect(options:environment:transport:currentDirectory:timeout:)`` decides whether to log in.
    /// - Parameters:
    ///   - url: `--bilean-url`, if given.
    ///   - token: `--os-token`, if given.
    ///   - projectID: `--os-project-id`, if given.
    ///   - roles: `--os-roles`, if given.
    ///   - environment: The process environment.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidURL``) for a bad URL.
    package init(
        url: String?,
        token: String?,
        projectID: String?,
        roles: String?,
        environment: [String: String]
    ) throws(BileanClientError) {
        let lookup = SettingLookup(environment)
        self.init(
            endpoint: try BileanEndpoint(Self.explicitURL(url, environment: environment) ?? Self.defaultURL),
            token: lookup.value(token, "OS_TOKEN", "OS_AUTH_TOKEN"),
            projectID: lookup.value(projectID, "OS_PROJECT_ID"),
            roles: lookup.value(roles, "OS_ROLES")
        )
    }

    /// A configuration after a Keystone login: the login's token as `X-Auth-Token`, no `X-Project-Id` or
    /// `X-Roles`.
    ///
    /// The URL is the explicit one (the option, else `BILEAN_URL`, else `OS_BILEAN_URL`) when given, else the
    /// catalog's endpoint of service type ``serviceType`` with the credentials' interface and, when they name
    /// one, region (matched against the region's name or id).
    /// - Parameters:
    ///   - url: `--bilean-url`, if given.
    ///   - login: The login.
    ///   - credentials: The credentials of the login (their interface and region).
    ///   - environment: The process environment.
    /// - Throws: ``BileanClientError``: ``BileanClientError/Code/invalidURL`` for a bad URL (explicit or from
    ///   the catalog); ``BileanClientError/Code/endpointNotFound`` naming the service type, the interface and
    ///   the region when there is no explicit URL and the catalog has no such endpoint.
    package init(
        url: String?,
        login: KeystoneLogin,
        credentials: KeystoneCredentials,
        environment: [String: String]
    ) throws(BileanClientError) {
        let chosen: String
        if let explicit = Self.explicitURL(url, environment: environment) {
            chosen = explicit
        } else if let fromCatalog = login.catalog.endpointURL(
            type: Self.serviceType,
            interface: credentials.interface,
            region: credentials.regionName
        ) {
            chosen = fromCatalog
        } else {
            let region = credentials.regionName.map { "region '\($0)'" } ?? "any region"
            throw BileanClientError(
                .endpointNotFound,
                "the Keystone catalog has no endpoint of service type '\(Self.serviceType)' with interface "
                    + "'\(credentials.interface)' in \(region); give the Bilean URL with --bilean-url or BILEAN_URL"
            )
        }
        self.init(endpoint: try BileanEndpoint(chosen), token: login.token.reveal)
    }

    /// The explicit Bilean URL: the option, else `BILEAN_URL`, else `OS_BILEAN_URL`; `nil` when none is set.
    /// - Parameters:
    ///   - option: `--bilean-url`, if given.
    ///   - environment: The process environment.
    /// - Returns: The URL as given.
    package static func explicitURL(_ option: String?, environment: [String: String]) -> String? {
        SettingLookup(environment).value(option, "BILEAN_URL", "OS_BILEAN_URL")
    }
}
