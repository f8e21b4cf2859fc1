extension BileanHTTPClient.Configuration {
    /// The URL used when neither an option nor the environment gives one.
    package static let defaultURL = "http://127.0.0.1:8770"

    /// A configuration from command-line options, falling back on the environment like the OpenStack clients.
    ///
    /// - URL: the option, else `BILEAN_URL`, else `OS_BILEAN_URL`, else ``defaultURL``.
    /// - Token: the option, else `OS_TOKEN`, else `OS_AUTH_TOKEN`.
    /// - Project: the option, else `OS_PROJECT_ID`. Roles: the option, else `OS_ROLES`.
    ///
    /// Empty values count as absent. Keystone password login (`OS_AUTH_URL`, `OS_USERNAME`, …) is not
    /// supported yet; those variables are ignored.
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
        func first(_ option: String?, _ names: String...) -> String? {
            if let option, !option.isEmpty { return option }
            for name in names {
                if let value = environment[name], !value.isEmpty { return value }
            }
            return nil
        }
        self.init(
            endpoint: try BileanEndpoint(first(url, "BILEAN_URL", "OS_BILEAN_URL") ?? Self.defaultURL),
            token: first(token, "OS_TOKEN", "OS_AUTH_TOKEN"),
            projectID: first(projectID, "OS_PROJECT_ID"),
            roles: first(roles, "OS_ROLES")
        )
    }
}
