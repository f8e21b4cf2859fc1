import Foundation

extension KeystoneCredentials {
    /// One source of settings: the options, the environment or a cloud of `clouds.yaml`.
    private struct Layer {
        var authURL: String?
        var username: String?
        var password: Secret?
        var token: Secret?
        var projectID: String?
        var projectName: String?
        var userDomainID: String?
        var userDomainName: String?
        var projectDomainID: String?
        var projectDomainName: String?
        var regionName: String?
        var interface: String?
    }

    /// The credentials of the options, the environment and, when `--os-cloud` or `OS_CLOUD` names one, a cloud
    /// of `clouds.yaml` (found by ``CloudsFile``).
    /// - Parameters:
    ///   - options: The command-line options.
    ///   - environment: The process environment.
    ///   - currentDirectory: The current directory, where `clouds.yaml` is looked for first.
    /// - Throws: ``BileanClientError`` for a missing or invalid `clouds.yaml`, an unknown cloud, or the reasons
    ///   of ``init(options:environment:cloud:)``.
    package init(
        options: ConnectionOptions,
        environment: [String: String],
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws(BileanClientError) {
        var cloud: CloudConfig?
        if let name = options.cloudName(environment: environment) {
            cloud = try CloudsFile.cloud(named: name, environment: environment, currentDirectory: currentDirectory)
        }
        try self.init(options: options, environment: environment, cloud: cloud)
    }

    /// The credentials of the options, then the environment, then a cloud of `clouds.yaml`, as openstackclient
    /// merges them.
    ///
    /// Each setting comes from the first source that gives it: the option, else its `OS_*` variable, else the
    /// cloud. An id and a name of the same thing (the project, a domain) are taken together from the first
    /// source that gives either, and the id wins within one source.
    ///
    /// | setting | option | environment | `clouds.yaml` | default |
    /// |---|---|---|---|---|
    /// | auth URL | `--os-auth-url` | `OS_AUTH_URL` | `auth.auth_url` | required |
    /// | user | `--os-username` | `OS_USERNAME` | `auth.username` | required for password |
    /// | password | `--os-password` | `OS_PASSWORD` | `auth.password` | required for password |
    /// | token | `--os-token` | `OS_TOKEN`, `OS_AUTH_TOKEN` | `auth.token` | required for token |
    /// | project | `--os-project-id`, `--os-project-name` | `OS_PROJECT_ID`, `OS_PROJECT_NAME` | `auth.project_*` | required |
    /// | user domain | `--os-user-domain-id`, `--os-user-domain-name` | `OS_USER_DOMAIN_ID`, `OS_USER_DOMAIN_NAME` | `auth.user_domain_*` | name `Default` |
    /// | project domain | `--os-project-domain-id`, `--os-project-domain-name` | `OS_PROJECT_DOMAIN_ID`, `OS_PROJECT_DOMAIN_NAME` | `auth.project_domain_*` | name `Default` |
    /// | region | `--os-region-name` | `OS_REGION_NAME` | `region_name` | any |
    /// | interface | `--os-interface` | `OS_INTERFACE` | `interface` | `public` |
    ///
    /// The method is the cloud's `auth_type` when it has one. Otherwise, as openstackclient chooses it: the
    /// password when a user name is given, else the token when one is given, else the password.
    /// - Parameters:
    ///   - options: The command-line options.
    ///   - environment: The process environment.
    ///   - cloud: The cloud of `clouds.yaml`, if one is used.
    /// - Throws: ``BileanClientError``: ``BileanClientError/Code/invalidInput`` naming what is missing (the
    ///   auth URL, the user, the password, the token or the project) or an invalid interface;
    ///   ``BileanClientError/Code/invalidURL`` for an invalid auth URL.
    package init(
        options: ConnectionOptions,
        environment: [String: String],
        cloud: CloudConfig?
    ) throws(BileanClientError) {
        var layers = [Self.layer(options), Self.layer(SettingLookup(environment))]
        if let cloud { layers.append(Self.layer(cloud)) }
        func first<Value>(_ value: (Layer) -> Value?) -> Value? {
            for layer in layers {
                if let found = value(layer) { return found }
            }
            return nil
        }
        func missing(_ what: String, options: String, key: String) -> BileanClientError {
            let fromCloud = cloud.map { " or auth.\(key) in cloud '\($0.name)'" } ?? ""
            return BileanClientError(.invalidInput, "Keystone login needs \(what): give \(options)\(fromCloud)")
        }

        guard let authURL = first(\.authURL) else {
            throw missing("an auth URL", options: "--os-auth-url or OS_AUTH_URL", key: "auth_url")
        }

        let username = first(\.username)
        let token = first(\.token)
        let authType: CloudConfig.AuthType
        if let chosen = cloud?.authType {
            authType = chosen
        } else {
            authType = username == nil && token != nil ? .token : .password
        }
        let method: Method
        switch authType {
        case .password:
            guard let username else {
                throw missing("a user name", options: "--os-username or OS_USERNAME", key: "username")
            }
            guard let password = first(\.password) else {
                throw missing("a password", options: "--os-password or OS_PASSWORD", key: "password")
            }
            let userDomain = first { Self.domain(id: $0.userDomainID, name: $0.userDomainName) }
            method = .password(username: username, userDomain: userDomain ?? Self.defaultDomain, password: password)
        case .token:
            guard let token else {
                throw missing("a token", options: "--os-token or OS_TOKEN", key: "token")
            }
            method = .token(token)
        }

        let project: (id: String?, name: String?)? = first { layer in
            layer.projectID != nil || layer.projectName != nil ? (layer.projectID, layer.projectName) : nil
        }
        let scope: Scope
        switch project {
        case (let id?, _)?:
            scope = .projectID(id)
        case (nil, let name?)?:
            let domain = first { Self.domain(id: $0.projectDomainID, name: $0.projectDomainName) }
            scope = .projectName(name, domain: domain ?? Self.defaultDomain)
        case (nil, nil)?, nil:
            throw missing(
                "a project",
                options: "--os-project-name or --os-project-id (OS_PROJECT_NAME or OS_PROJECT_ID)",
                key: "project_name"
            )
        }

        try self.init(
            authURL: authURL,
            method: method,
            scope: scope,
            regionName: first(\.regionName),
            interface: first(\.interface) ?? Self.defaultInterface,
            cloud: cloud?.name
        )
    }

    /// A domain by id (preferred) or name, or `nil` when neither is given.
    private static func domain(id: String?, name: String?) -> Domain? {
        if let id { return .id(id) }
        if let name { return .name(name) }
        return nil
    }

    private static func layer(_ options: ConnectionOptions) -> Layer {
        Layer(
            authURL: SettingLookup.nonEmpty(options.authURL),
            username: SettingLookup.nonEmpty(options.username),
            password: options.password.flatMap { $0.reveal.isEmpty ? nil : $0 },
            token: options.token.flatMap { $0.reveal.isEmpty ? nil : $0 },
            projectID: SettingLookup.nonEmpty(options.projectID),
            projectName: SettingLookup.nonEmpty(options.projectName),
            userDomainID: SettingLookup.nonEmpty(options.userDomainID),
            userDomainName: SettingLookup.nonEmpty(options.userDomainName),
            projectDomainID: SettingLookup.nonEmpty(options.projectDomainID),
            projectDomainName: SettingLookup.nonEmpty(options.projectDomainName),
            regionName: SettingLookup.nonEmpty(options.regionName),
            interface: SettingLookup.nonEmpty(options.interface)
        )
    }

    private static func layer(_ environment: SettingLookup) -> Layer {
        Layer(
            authURL: environment.fromEnvironment(["OS_AUTH_URL"]),
            username: environment.fromEnvironment(["OS_USERNAME"]),
            password: environment.fromEnvironment(["OS_PASSWORD"]).map(Secret.init),
            token: environment.fromEnvironment(["OS_TOKEN", "OS_AUTH_TOKEN"]).map(Secret.init),
            projectID: environment.fromEnvironment(["OS_PROJECT_ID"]),
            projectName: environment.fromEnvironment(["OS_PROJECT_NAME"]),
            userDomainID: environment.fromEnvironment(["OS_USER_DOMAIN_ID"]),
            userDomainName: environment.fromEnvironment(["OS_USER_DOMAIN_NAME"]),
            projectDomainID: environment.fromEnvironment(["OS_PROJECT_DOMAIN_ID"]),
            projectDomainName: environment.fromEnvironment(["OS_PROJECT_DOMAIN_NAME"]),
            regionName: environment.fromEnvironment(["OS_REGION_NAME"]),
            interface: environment.fromEnvironment(["OS_INTERFACE"])
        )
    }

    private static func layer(_ cloud: CloudConfig) -> Layer {
        Layer(
            authURL: cloud.authURL,
            username: cloud.username,
            password: cloud.password,
            token: cloud.token,
            projectID: cloud.projectID,
            projectName: cloud.projectName,
            userDomainID: cloud.userDomainID,
            userDomainName: cloud.userDomainName,
            projectDomainID: cloud.projectDomainID,
            projectDomainName: cloud.projectDomainName,
            regionName: cloud.regionName,
            interface: cloud.interface
        )
    }
}
