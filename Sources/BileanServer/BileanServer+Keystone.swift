package import BileanAPI
import BileanCore
package import BileanOpenStack
import Foundation
package import NIOCore

extension BileanServer {
    /// What Bilean needs to talk to Keystone: the service credentials (`[keystone_authtoken]`) and the settings of
    /// token validation.
    package struct KeystoneSetup: Sendable {
        /// The service user, its project, and where Keystone is.
        package var credentials: OpenStackCredentials
        /// `www_authenticate_uri` (default `auth_url`), sent with every 401.
        package var wwwAuthenticateURI: String
        /// The token cache and request settings.
        package var validator: KeystoneTokenValidator.Configuration
        /// `http_connect_timeout`, seconds.
        package var connectTimeout: Int64
        /// `cafile`.
        package var caFile: String?
        /// `insecure`.
        package var insecure: Bool
    }

    /// The Keystone setup, when the role validates tokens (`auth_strategy = keystone`) or syncs projects
    /// (`[keystone_sync] interval`).
    /// - Parameters:
    ///   - role: The role.
    ///   - configuration: bilean.conf.
    /// - Returns: The setup, or `nil` when the role does not talk to Keystone for these.
    /// - Throws: ``StartupError`` naming the missing `[keystone_authtoken]` options.
    package static func keystoneSetup(
        role: ServerRole,
        configuration: BileanConfiguration
    ) throws(StartupError) -> KeystoneSetup? {
        let validates = role.servesAPI && configuration.api.authStrategy == .keystone
        let syncs = role.schedules && configuration.keystoneSyncInterval > 0
        guard validates || syncs else { return nil }
        let auth = configuration.keystoneAuthtoken
        let credentials = try Self.serviceCredentials(
            configuration,
            interface: auth["interface"] ?? "internal",
            neededBy: validates ? "auth_strategy = keystone" : "[keystone_sync] interval"
        )
        var validator = KeystoneTokenValidator.Configuration()
        if let seconds = auth["token_cache_time"].flatMap({ Int($0) }) { validator.cacheTime = TimeInterval(seconds) }
        let connectTimeout = auth["http_connect_timeout"].flatMap { Int64($0) } ?? 10
        return KeystoneSetup(
            credentials: credentials,
            wwwAuthenticateURI: auth["www_authenticate_uri"] ?? auth["auth_uri"] ?? credentials.authURL,
            validator: validator,
            connectTimeout: connectTimeout,
            caFile: auth["cafile"],
            insecure: auth["insecure"] == "true"
        )
    }

    /// The service user of `[keystone_authtoken]`, with which Bilean validates tokens, lists projects and carries
    /// out freeze actions.
    /// - Parameters:
    ///   - configuration: bilean.conf.
    ///   - interface: The catalog interface of the endpoints the caller uses.
    ///   - neededBy: What needs them, for the error (`auth_strategy = keystone`).
    /// - Returns: The credentials.
    /// - Throws: ``StartupError`` naming the missing options.
    static func serviceCredentials(
        _ configuration: BileanConfiguration,
        interface: String,
        neededBy: String
    ) throws(StartupError) -> OpenStackCredentials {
        let auth = configuration.keystoneAuthtoken
        let required = ["auth_url", "username", "password", "project_name"]
        let missing = required.filter { (auth[$0] ?? "").isEmpty }
        guard missing.isEmpty, let authURL = auth["auth_url"], let username = auth["username"],
            let password = auth["password"], let projectName = auth["project_name"]
        else {
            throw StartupError(
                description: "\(neededBy) needs the service credentials in [keystone_authtoken]: missing "
                    + missing.joined(separator: ", ")
            )
        }
        return OpenStackCredentials(
            authURL: authURL,
            username: username,
            password: password,
            projectName: projectName,
            userDomainName: auth["user_domain_name"] ?? "Default",
            projectDomainName: auth["project_domain_name"] ?? "Default",
            regionName: auth["region_name"],
            interface: interface
        )
    }

    /// The API's settings with the policy file read, and the `noauth` address check.
    /// - Parameters:
    ///   - role: The role.
    ///   - configuration: bilean.conf.
    /// - Returns: The API's settings.
    /// - Throws: ``StartupError`` for `noauth` on an address other than loopback (unless
    ///   `allow_insecure_noauth`), or a policy file that cannot be used (file, line and rule).
    package static func apiConfiguration(
        role: ServerRole,
        configuration: BileanConfiguration
    ) throws(StartupError) -> APIConfiguration {
        var api = configuration.api
        guard role.servesAPI else { return api }
        if api.authStrategy == .noauth && !Self.isLoopback(configuration.bindHost) && !configuration.allowInsecureNoauth
        {
            throw StartupError(
                description: "auth_strategy = noauth on \(configuration.bindHost), which is not a loopback address: "
                    + "anyone who reaches it would be the cloud admin. Use auth_strategy = keystone, bind to "
                    + "127.0.0.1, or set [DEFAULT] allow_insecure_noauth = true"
            )
        }
        let path: String?
        let required: Bool
        if let file = configuration.policyFile {
            required = true
            if file.hasPrefix("/") {
                path = file
            } else {
                let directory = configuration.configurationDirectory ?? FileManager.default.currentDirectoryPath
                path = URL(fileURLWithPath: directory).appendingPathComponent(file).path
            }
        } else {
            required = false
            path = configuration.configurationDirectory.map {
                URL(fileURLWithPath: $0).appendingPathComponent("policy.yaml").path
            }
        }
        if let path {
            do {
                api.policy = try AccessPolicy.load(path: path, required: required) {
                    FileManager.default.fileExists(atPath: $0)
                }
            } catch {
                throw StartupError(description: "[oslo_policy] policy_file: \(error)")
            }
        }
        return api
    }

    /// The defaults of the policy rules as a commented `policy.yaml`.
    package static func samplePolicy() -> String {
        AccessPolicy.sampleFile()
    }
}
