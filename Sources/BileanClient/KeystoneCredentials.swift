import BileanCore
import Foundation

/// What the CLI logs in to Keystone v3 with: the auth URL, a password or a token, and the project to scope to.
///
/// Built from the options, the environment and `clouds.yaml` by
/// ``init(options:environment:cloud:)``. Printing credentials never shows the password or the token
/// (they are ``Secret``s).
package struct KeystoneCredentials: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A Keystone domain, by id or by name.
    package enum Domain: Sendable, Hashable, CustomStringConvertible {
        /// The domain's id (`default`).
        case id(String)
        /// The domain's name (`Default`).
        case name(String)

        /// `{"id": …}` or `{"name": …}`, as Keystone's authentication body wants it.
        var json: JSONValue {
            switch self {
            case .id(let id): return .object(["id": .string(id)])
            case .name(let name): return .object(["name": .string(name)])
            }
        }

        package var description: String {
            switch self {
            case .id(let id): return "id \(id)"
            case .name(let name): return "name \(name)"
            }
        }
    }

    /// How the user proves who they are.
    package enum Method: Sendable, Hashable, CustomStringConvertible {
        /// Keystone's `password` method: a user, its domain and its password.
        case password(username: String, userDomain: Domain, password: Secret)
        /// Keystone's `token` method: an existing token, exchanged for one scoped to the project.
        case token(Secret)

        package var description: String {
            switch self {
            case .password(let username, let userDomain, _):
                return "password of \(username) (domain \(userDomain)), password \(Secret.redacted)"
            case .token:
                return "token \(Secret.redacted)"
            }
        }
    }

    /// The project the token is scoped to.
    package enum Scope: Sendable, Hashable, CustomStringConvertible {
        /// A project by id (a project id is unique across domains).
        case projectID(String)
        /// A project by name within its domain.
        case projectName(String, domain: Domain)

        package var description: String {
            switch self {
            case .projectID(let id): return "project id \(id)"
            case .projectName(let name, let domain): return "project \(name) (domain \(domain))"
            }
        }
    }

    /// The domain used when none is given, as a name (the domain Keystone's bootstrap creates).
    package static let defaultDomain = Domain.name("Default")
    /// The catalog interface used when none is given.
    package static let defaultInterface = "public"
    /// The interfaces a catalog endpoint can have.
    package static let interfaces: Set<String> = ["public", "internal", "admin"]

    /// Keystone's root URL: without a trailing `/` and without `/v3`.
    package let authURL: String
    /// How the user proves who they are.
    package var method: Method
    /// The project to scope the token to.
    package var scope: Scope
    /// The region of the Bilean endpoint in the catalog, or `nil` for any.
    package var regionName: String?
    /// The interface of the Bilean endpoint in the catalog: `public`, `internal` or `admin`.
    package var interface: String
    /// The `clouds.yaml` cloud these come from, if any (for messages).
    package var cloud: String?

    /// Creates credentials.
    /// - Parameters:
    ///   - authURL: Keystone's URL, with or without `/v3` and a trailing `/` (`http://h:5000/v3/`).
    ///   - method: The password or the token.
    ///   - scope: The project.
    ///   - regionName: The region of the Bilean endpoint, or `nil` for any.
    ///   - interface: `public` (the default), `internal` or `admin`; `publicURL`, `internalURL` and
    ///     `adminURL` are accepted too.
    ///   - cloud: The `clouds.yaml` cloud these come from, if any.
    /// - Throws: ``BileanClientError``: ``BileanClientError/Code/invalidURL`` for an auth URL that is not an
    ///   `http` or `https` URL with a host, ``BileanClientError/Code/invalidInput`` for another interface.
    package init(
        authURL: String,
        method: Method,
        scope: Scope,
        regionName: String? = nil,
        interface: String = KeystoneCredentials.defaultInterface,
        cloud: String? = nil
    ) throws(BileanClientError) {
        self.authURL = try Self.normalizedAuthURL(authURL)
        self.method = method
        self.scope = scope
        self.regionName = SettingLookup.nonEmpty(regionName)
        self.interface = try Self.normalizedInterface(interface)
        self.cloud = cloud
    }

    /// `<auth URL>/v3/auth/tokens`, where the login is sent.
    package var tokensURL: String { self.authURL + "/v3/auth/tokens" }

    /// The secret these credentials hold: the password or the token.
    var secret: Secret {
        switch self.method {
        case .password(_, _, let password): return password
        case .token(let token): return token
        }
    }

    /// The auth URL, the method, the scope, the region and the interface; never the password or the token.
    package var description: String {
        var text = "Keystone \(self.authURL), \(self.method), \(self.scope), interface \(self.interface)"
        if let regionName { text += ", region \(regionName)" }
        if let cloud { text += ", cloud \(cloud)" }
        return text
    }

    /// The same as ``description``: secrets are never shown.
    package var debugDescription: String { self.description }

    /// An auth URL without a trailing `/` and without `/v3` (`http://h:5000/v3/` → `http://h:5000`).
    /// - Parameter text: The URL as given.
    /// - Returns: The root URL.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidURL``) for anything but an `http` or
    ///   `https` URL with a host and without a query, a fragment or credentials.
    static func normalizedAuthURL(_ text: String) throws(BileanClientError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func invalid(_ reason: String) -> BileanClientError {
            BileanClientError(.invalidURL, "invalid Keystone auth URL '\(text)': \(reason)")
        }
        _ = try URLComponents.httpService(trimmed, invalid: invalid)
        var url = trimmed
        while url.hasSuffix("/") { url.removeLast() }
        if url.hasSuffix("/v3") { url.removeLast(3) }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// `public`, `internal` or `admin`, also from the old names `publicURL`, `internalURL` and `adminURL`.
    /// - Parameter text: The interface as given.
    /// - Returns: The interface.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidInput``) for any other value.
    static func normalizedInterface(_ text: String) throws(BileanClientError) -> String {
        var interface = text.trimmingCharacters(in: .whitespaces)
        if interface.hasSuffix("URL") { interface.removeLast(3) }
        guard Self.interfaces.contains(interface) else {
            throw BileanClientError(
                .invalidInput,
                "invalid interface '\(text)': use public, internal or admin"
            )
        }
        return interface
    }
}
