package import BileanCore

/// One cloud of `clouds.yaml`: what the CLI reads of it, as openstacksdk reads it.
///
/// Read: `auth_type` (`password`, the default, or `token`; also `v3password` and `v3token`), the `auth` keys
/// `auth_url`, `username`, `password`, `token`, `project_id`, `project_name` (and the old `tenant_id`,
/// `tenant_name`), `user_domain_id`, `user_domain_name`, `project_domain_id`, `project_domain_name`,
/// `domain_id` and `domain_name` (the user's and the project's domain when those are not given), and the
/// top-level `region_name` (else the first of `regions`) and `interface` (else the old `endpoint_type`).
/// Other keys are ignored. Printing a cloud never shows its password or token.
package struct CloudConfig: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The `auth_type`s the CLI supports.
    package enum AuthType: String, Sendable, Hashable {
        /// Keystone's `password` method (`auth_type: password` or `v3password`).
        case password
        /// Keystone's `token` method (`auth_type: token` or `v3token`).
        case token
    }

    /// The cloud's name (its key under `clouds`).
    package var name: String
    /// `auth_type`, or `nil` when the cloud does not say.
    package var authType: AuthType?
    /// `auth.auth_url`.
    package var authURL: String?
    /// `auth.username`.
    package var username: String?
    /// `auth.password`.
    package var password: Secret?
    /// `auth.token`.
    package var token: Secret?
    /// `auth.project_id` (or `tenant_id`).
    package var projectID: String?
    /// `auth.project_name` (or `tenant_name`).
    package var projectName: String?
    /// `auth.user_domain_id`, else `auth.domain_id` when the user's domain is not named.
    package var userDomainID: String?
    /// `auth.user_domain_name`, else `auth.domain_name` when the user's domain has no id either.
    package var userDomainName: String?
    /// `auth.project_domain_id`, else `auth.domain_id` when the project's domain is not named.
    package var projectDomainID: String?
    /// `auth.project_domain_name`, else `auth.domain_name` when the project's domain has no id either.
    package var projectDomainName: String?
    /// `region_name`, else the first of `regions`.
    package var regionName: String?
    /// `interface`, else `endpoint_type`.
    package var interface: String?

    /// Creates a cloud with nothing set.
    /// - Parameter name: The cloud's name.
    package init(name: String) {
        self.name = name
    }

    /// Reads a cloud's mapping.
    /// - Parameters:
    ///   - name: The cloud's name.
    ///   - json: The mapping under `clouds.<name>`.
    ///   - source: What the text is, for messages (`the file /etc/openstack/clouds.yaml`).
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) when the cloud or its `auth`
    ///   is not a mapping, a value read is not a string (or a number), or the `auth_type` is not supported. The
    ///   message names the key, never the value.
    package init(name: String, json: JSONValue, source: String) throws(BileanClientError) {
        let place = "\(source): clouds.\(name)"
        guard json.objectValue != nil else {
            throw BileanClientError(.invalidInput, "\(place) must be a mapping, not \(json.typeName)")
        }
        let auth: JSONValue
        switch json["auth"] {
        case .none, .null?: auth = .object([:])
        case .object(let members)?: auth = .object(members)
        case let other?:
            throw BileanClientError(.invalidInput, "\(place).auth must be a mapping, not \(other.typeName)")
        }
        func text(_ value: JSONValue?, _ key: String) throws(BileanClientError) -> String? {
            switch value {
            case .none, .null?: return nil
            case .string(let text)?, .number(let text)?: return text.isEmpty ? nil : text
            case let other?:
                throw BileanClientError(.invalidInput, "\(place).\(key) must be a string, not \(other.typeName)")
            }
        }
        func authText(_ keys: String...) throws(BileanClientError) -> String? {
            for key in keys {
                if let value = try text(auth[key], "auth.\(key)") { return value }
            }
            return nil
        }

        self.name = name
        switch try text(json["auth_type"], "auth_type") {
        case nil: self.authType = nil
        case "password", "v3password": self.authType = .password
        case "token", "v3token": self.authType = .token
        case let other?:
            throw BileanClientError(
                .invalidInput,
                "\(place).auth_type '\(other)' is not supported: use password or token"
            )
        }
        self.authURL = try authText("auth_url")
        self.username = try authText("username")
        self.password = try authText("password").map(Secret.init)
        self.token = try authText("token").map(Secret.init)
        self.projectID = try authText("project_id", "tenant_id")
        self.projectName = try authText("project_name", "tenant_name")

        let domainID = try authText("domain_id")
        let domainName = try authText("domain_name")
        self.userDomainID = try authText("user_domain_id")
        self.userDomainName = try authText("user_domain_name")
        if self.userDomainID == nil && self.userDomainName == nil {
            self.userDomainID = domainID
            self.userDomainName = domainName
        }
        self.projectDomainID = try authText("project_domain_id")
        self.projectDomainName = try authText("project_domain_name")
        if self.projectDomainID == nil && self.projectDomainName == nil {
            self.projectDomainID = domainID
            self.projectDomainName = domainName
        }

        self.regionName = try text(json["region_name"], "region_name")
        if self.regionName == nil, let regions = json["regions"]?.arrayValue, let first = regions.first {
            // openstacksdk: each region is a name, or a mapping with a `name`.
            self.regionName = try text(first["name"] ?? first, "regions[0]")
        }
        self.interface = try text(json["interface"], "interface")
        if self.interface == nil { self.interface = try text(json["endpoint_type"], "endpoint_type") }
    }

    /// The cloud's settings, with the password and the token shown as ``Secret/redacted``.
    package var description: String {
        let fields: [(String, String?)] = [
            ("auth_type", self.authType?.rawValue), ("auth_url", self.authURL), ("username", self.username),
            ("password", self.password?.description), ("token", self.token?.description),
            ("project_id", self.projectID), ("project_name", self.projectName),
            ("user_domain_id", self.userDomainID), ("user_domain_name", self.userDomainName),
            ("project_domain_id", self.projectDomainID), ("project_domain_name", self.projectDomainName),
            ("region_name", self.regionName), ("interface", self.interface),
        ]
        let given = fields.compactMap { key, value in value.map { "\(key): \($0)" } }
        return "cloud \(self.name) {\(given.joined(separator: ", "))}"
    }

    /// The same as ``description``.
    package var debugDescription: String { self.description }
}
