import ArgumentParser
import BileanClient
import Foundation

/// The options every command takes: where the API is, who calls it, and how to print.
///
/// Two modes, as in ``BileanHTTPClient/Configuration/connect(options:environment:transport:currentDirectory:timeout:)``:
/// Keystone login when `--os-auth-url`, `OS_AUTH_URL`, `--os-cloud` or `OS_CLOUD` is set, else the `noauth`
/// headers of a server without Keystone.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: [.customLong("bilean-url"), .customLong("os-bilean-url")],
        help: ArgumentHelp(
            "The Bilean API URL, with or without /v1 (default: $BILEAN_URL, $OS_BILEAN_URL, else the catalog's billing endpoint after a Keystone login, else http://127.0.0.1:8770).",
            valueName: "url"
        )
    )
    var bileanURL: String?

    @Option(
        name: .customLong("os-cloud"),
        help: ArgumentHelp(
            "A cloud of clouds.yaml to log in to Keystone with ($OS_CLIENT_CONFIG_FILE, else ./clouds.yaml, ~/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml; default: $OS_CLOUD). Options and OS_* variables override it.",
            valueName: "name"
        )
    )
    var cloud: String?

    @Option(
        name: .customLong("os-auth-url"),
        help: ArgumentHelp(
            "Keystone's URL, with or without /v3; setting it (or --os-cloud) logs in to Keystone (default: $OS_AUTH_URL).",
            valueName: "url"
        )
    )
    var authURL: String?

    @Option(
        name: .customLong("os-username"),
        help: ArgumentHelp("The Keystone user (default: $OS_USERNAME).", valueName: "name")
    )
    var username: String?

    @Option(
        name: .customLong("os-password"),
        help: ArgumentHelp("The Keystone user's password (default: $OS_PASSWORD).", valueName: "password")
    )
    var password: String?

    @Option(
        name: .customLong("os-project-name"),
        help: ArgumentHelp(
            "The project to log in to Keystone for (default: $OS_PROJECT_NAME).",
            valueName: "name"
        )
    )
    var projectName: String?

    @Option(
        name: .customLong("os-project-id"),
        help: ArgumentHelp(
            "The project: with Keystone, the one to log in for (wins over a project name); without it, sent as X-Project-Id (default: $OS_PROJECT_ID).",
            valueName: "id"
        )
    )
    var projectID: String?

    @Option(
        name: .customLong("os-user-domain-name"),
        help: ArgumentHelp(
            "The Keystone user's domain (default: $OS_USER_DOMAIN_NAME, else Default).",
            valueName: "name"
        )
    )
    var userDomainName: String?

    @Option(
        name: .customLong("os-user-domain-id"),
        help: ArgumentHelp(
            "The Keystone user's domain, by id (default: $OS_USER_DOMAIN_ID).",
            valueName: "id"
        )
    )
    var userDomainID: String?

    @Option(
        name: .customLong("os-project-domain-name"),
        help: ArgumentHelp(
            "The domain of the project named by --os-project-name (default: $OS_PROJECT_DOMAIN_NAME, else Default).",
            valueName: "name"
        )
    )
    var projectDomainName: String?

    @Option(
        name: .customLong("os-project-domain-id"),
        help: ArgumentHelp(
            "The domain of the project named by --os-project-name, by id (default: $OS_PROJECT_DOMAIN_ID).",
            valueName: "id"
        )
    )
    var projectDomainID: String?

    @Option(
        name: .customLong("os-region-name"),
        help: ArgumentHelp(
            "The region of the catalog's billing endpoint (default: $OS_REGION_NAME, else any).",
            valueName: "region"
        )
    )
    var regionName: String?

    @Option(
        name: .customLong("os-interface"),
        help: ArgumentHelp(
            "The interface of the catalog's billing endpoint: public, internal or admin (default: $OS_INTERFACE, else public).",
            valueName: "interface"
        )
    )
    var interface: String?

    @Option(
        name: [.customLong("os-token"), .customLong("os-auth-token")],
        help: ArgumentHelp(
            "A Keystone token: sent as X-Auth-Token without Keystone login; with it and no user name, exchanged for a token of the project (default: $OS_TOKEN, else $OS_AUTH_TOKEN).",
            valueName: "token"
        )
    )
    var token: String?

    @Option(
        name: .customLong("os-roles"),
        help: ArgumentHelp(
            "Comma-separated roles, sent as X-Roles for a server without Keystone; ignored with Keystone login (default: $OS_ROLES).",
            valueName: "roles"
        )
    )
    var roles: String?

    @Option(
        name: [.customShort("f"), .customLong("format")],
        help: ArgumentHelp("How to print results.", valueName: "format")
    )
    var format: OutputFormat = .table

    /// The connection options as given on the command line.
    var connectionOptions: ConnectionOptions {
        ConnectionOptions(
            bileanURL: self.bileanURL,
            token: self.token.map(Secret.init),
            projectID: self.projectID,
            roles: self.roles,
            cloud: self.cloud,
            authURL: self.authURL,
            username: self.username,
            password: self.password.map(Secret.init),
            projectName: self.projectName,
            userDomainName: self.userDomainName,
            userDomainID: self.userDomainID,
            projectDomainName: self.projectDomainName,
            projectDomainID: self.projectDomainID,
            regionName: self.regionName,
            interface: self.interface
        )
    }

    /// Runs a command's work with a client, through ``Console/run(_:)`` (so a ``BileanClientError`` is printed as
    /// `ERROR: <message>` and exits with status 1); the HTTP client is shut down afterwards.
    ///
    /// With Keystone (`--os-auth-url`, `OS_AUTH_URL`, `--os-cloud` or `OS_CLOUD` set), logs in first and calls
    /// Bilean with the token at the explicit URL or the catalog's billing endpoint; otherwise sends the
    /// `noauth` headers as given.
    /// - Parameter body: The work.
    func run(_ body: (BileanHTTPClient) async throws -> Void) async throws {
        try await Console.run {
            try await AsyncHTTPTransport.withTransport { transport in
                let configuration = try await BileanHTTPClient.Configuration.connect(
                    options: self.connectionOptions,
                    environment: ProcessInfo.processInfo.environment,
                    transport: transport
                )
                try await body(BileanHTTPClient(configuration: configuration, transport: transport))
            }
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}
