import ArgumentParser
import BileanClient
import Foundation

/// The options every command takes: where the API is, who calls it, and how to print.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: [.customLong("bilean-url"), .customLong("os-bilean-url")],
        help: ArgumentHelp(
            "The Bilean API URL, with or without /v1 (default: $BILEAN_URL, $OS_BILEAN_URL, else http://127.0.0.1:8770).",
            valueName: "url"
        )
    )
    var bileanURL: String?

    @Option(
        name: [.customLong("os-token"), .customLong("os-auth-token")],
        help: ArgumentHelp(
            "A Keystone token, sent as X-Auth-Token (default: $OS_TOKEN, else $OS_AUTH_TOKEN). Keystone password login comes later.",
            valueName: "token"
        )
    )
    var token: String?

    @Option(
        name: .customLong("os-project-id"),
        help: ArgumentHelp(
            "The project, sent as X-Project-Id for a server without Keystone (default: $OS_PROJECT_ID).",
            valueName: "id"
        )
    )
    var projectID: String?

    @Option(
        name: .customLong("os-roles"),
        help: ArgumentHelp(
            "Comma-separated roles, sent as X-Roles for a server without Keystone (default: $OS_ROLES).",
            valueName: "roles"
        )
    )
    var roles: String?

    @Option(
        name: [.customShort("f"), .customLong("format")],
        help: ArgumentHelp("How to print results.", valueName: "format")
    )
    var format: OutputFormat = .table

    /// The client configuration of these options and the environment.
    /// - Throws: ``BileanClientError`` for a bad URL.
    func configuration() throws(BileanClientError) -> BileanHTTPClient.Configuration {
        try BileanHTTPClient.Configuration(
            url: self.bileanURL,
            token: self.token,
            projectID: self.projectID,
            roles: self.roles,
            environment: ProcessInfo.processInfo.environment
        )
    }

    /// Runs a command's work with a client, through ``Console/run(_:)`` (so a ``BileanClientError`` is printed as
    /// `ERROR: <message>` and exits with status 1); the HTTP client is shut down afterwards.
    /// - Parameter body: The work.
    func run(_ body: (BileanHTTPClient) async throws -> Void) async throws {
        try await Console.run {
            let configuration = try self.configuration()
            try await AsyncHTTPTransport.withTransport { transport in
                try await body(BileanHTTPClient(configuration: configuration, transport: transport))
            }
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}
