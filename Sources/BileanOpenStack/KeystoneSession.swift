package import AsyncHTTPClient
package import BileanCore
package import Foundation
package import Logging
package import NIOCore
import NIOHTTP1

/// A Keystone v3 token scoped to the service project, with the catalog that came with it.
///
/// Printing a token never shows its value.
package struct KeystoneToken: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// One endpoint of a catalog entry.
    package struct Endpoint: Sendable, Hashable, Decodable {
        /// `public`, `internal` or `admin`.
        package var interface: String
        /// The region's name, if any.
        package var region: String?
        /// The region's id, if any.
        package var regionID: String?
        /// The endpoint's URL.
        package var url: String

        enum CodingKeys: String, CodingKey {
            case interface
            case region
            case regionID = "region_id"
            case url
        }

        /// Creates an endpoint.
        /// - Parameters:
        ///   - interface: `public`, `internal` or `admin`.
        ///   - region: The region's name.
        ///   - regionID: The region's id.
        ///   - url: The URL.
        package init(interface: String, region: String? = nil, regionID: String? = nil, url: String) {
            self.interface = interface
            self.region = region
            self.regionID = regionID
            self.url = url
        }
    }

    /// One service of the catalog.
    package struct CatalogEntry: Sendable, Hashable, Decodable {
        /// The service type (`compute`, `block-storage`, `volumev3`, …).
        package var type: String
        /// The service name (`nova`, `cinderv3`, …), if any.
        package var name: String?
        /// The endpoints.
        package var endpoints: [Endpoint]

        /// Creates an entry.
        /// - Parameters:
        ///   - type: The service type.
        ///   - name: The service name.
        ///   - endpoints: The endpoints.
        package init(type: String, name: String? = nil, endpoints: [Endpoint]) {
            self.type = type
            self.name = name
            self.endpoints = endpoints
        }
    }

    /// The token, sent as `X-Auth-Token`. Never log it.
    package var value: String
    /// When Keystone stops accepting it.
    package var expiresAt: Date
    /// When Keystone issued it, if it said.
    package var issuedAt: Date?
    /// The service catalog.
    package var catalog: [CatalogEntry]

    /// Creates a token.
    /// - Parameters:
    ///   - value: The token.
    ///   - expiresAt: When it expires.
    ///   - issuedAt: When it was issued, if known.
    ///   - catalog: The service catalog.
    package init(value: String, expiresAt: Date, issuedAt: Date? = nil, catalog: [CatalogEntry]) {
        self.value = value
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.catalog = catalog
    }

    /// How long before its expiry the token is replaced: a tenth of its lifetime, at most
    /// ``KeystoneSession/refreshMargin`` (a lifetime that is not known counts as long).
    package var refreshMargin: TimeInterval {
        guard let issuedAt else { return KeystoneSession.refreshMargin }
        let lifetime = self.expiresAt.timeIntervalSince(issuedAt)
        return min(KeystoneSession.refreshMargin, max(0, lifetime / 10))
    }

    /// The URL of a service's endpoint.
    ///
    /// The service types are tried in the order given; within the first type that has an endpoint with the
    /// interface (and the region, when one is given, matched against the region's name or id), the first such
    /// endpoint wins.
    /// - Parameters:
    ///   - types: The service types, preferred first (`["block-storage", "volumev3", "volume"]`).
    ///   - interface: `public`, `internal` or `admin`.
    ///   - region: The region, or `nil` for any.
    /// - Returns: The endpoint's URL without trailing `/`, or `nil` when the catalog has none.
    package func endpoint(types: [String], interface: String, region: String?) -> String? {
        for type in types {
            for entry in self.catalog where entry.type == type {
                for endpoint in entry.endpoints where endpoint.interface == interface {
                    if let region, endpoint.region != region, endpoint.regionID != region { continue }
                    let url = endpoint.url.trimmingTrailingSlashes()
                    if !url.isEmpty { return url }
                }
            }
        }
        return nil
    }

    /// The expiry and the catalog's service types, without the token.
    package var description: String {
        let types = self.catalog.map(\.type).joined(separator: ", ")
        return "Keystone token expiring at \(BillingTime(date: self.expiresAt).iso8601) for [\(types)]"
    }

    /// The same as ``description``: the token is never shown.
    package var debugDescription: String { self.description }
}

/// The service user's Keystone session: authenticates with v3 password auth and caches the scoped token.
///
/// The token is reused until a tenth of its lifetime is left, at most ``refreshMargin`` before it expires. Concurrent callers share one authentication.
/// After a service answers 401, the caller ``invalidate(_:)``s the token and asks for a new one. Neither the
/// password nor the token ever appears in an error or a log line.
package actor KeystoneSession {
    /// The most time before its expiry at which a token is replaced (a tenth of its lifetime when that is less).
    package static let refreshMargin: TimeInterval = 60
    /// The largest answer read from Keystone, Nova or Cinder.
    package static let maximumBodyBytes = 4 * 1024 * 1024

    /// The credentials.
    package nonisolated let credentials: OpenStackCredentials
    private let httpClient: HTTPClient
    private let logger: Logger
    private let timeout: TimeAmount
    private let now: @Sendable () -> Date

    /// The current token, if any.
    private var cached: KeystoneToken?
    /// The authentication under way, shared by every caller that needs a token meanwhile.
    private var pending: Task<Result<KeystoneToken, CloudActionError>, Never>?

    /// Creates a session; nothing is sent until ``token()``.
    /// - Parameters:
    ///   - credentials: The service credentials.
    ///   - httpClient: The HTTP client (owned by the caller).
    ///   - logger: The logger.
    ///   - timeout: The time an authentication request may take.
    ///   - now: The current time (tests move it).
    package init(
        credentials: OpenStackCredentials,
        httpClient: HTTPClient,
        logger: Logger,
        timeout: TimeAmount = .seconds(30),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.credentials = credentials
        self.httpClient = httpClient
        self.logger = logger
        self.timeout = timeout
        self.now = now
    }

    /// A valid token: the cached one while it has more than its ``KeystoneToken/refreshMargin`` left, else a new one.
    /// - Returns: The token and its catalog.
    /// - Throws: ``CloudActionError``: retryable for a refused password (401, which the operator may fix),
    ///   connection failures, timeouts, 429 and 5xx; not retryable for other 4xx and an answer that is not a
    ///   token.
    package func token() async throws(CloudActionError) -> KeystoneToken {
        if let cached = self.cached, cached.expiresAt.timeIntervalSince(self.now()) > cached.refreshMargin {
            return cached
        }
        let task: Task<Result<KeystoneToken, CloudActionError>, Never>
        if let pending = self.pending {
            task = pending
        } else {
            task = Task { await self.authenticate() }
            self.pending = task
        }
        let result = await task.value
        // The first caller to resume after the authentication records its outcome.
        if self.pending == task {
            self.pending = nil
            if case .success(let token) = result { self.cached = token }
        }
        return try result.get()
    }

    /// Drops the cached token, so that the next ``token()`` authenticates again.
    /// - Parameter token: The token a service refused; the cache is kept when it already holds a newer one.
    ///   `nil` drops whatever is cached.
    package func invalidate(_ token: KeystoneToken? = nil) {
        guard let token else {
            self.cached = nil
            return
        }
        if self.cached?.value == token.value { self.cached = nil }
    }

    /// One authentication, as a result (a `Task` cannot throw a typed error).
    private nonisolated func authenticate() async -> Result<KeystoneToken, CloudActionError> {
        do throws(CloudActionError) {
            return .success(try await self.requestToken())
        } catch {
            self.logger.warning(
                "Keystone authentication failed",
                metadata: ["keystone.url": "\(self.credentials.tokensURL)", "error": "\(error.message)"]
            )
            return .failure(error)
        }
    }

    /// `POST /v3/auth/tokens` with the password method, scoped to the project.
    private nonisolated func requestToken() async throws(CloudActionError) -> KeystoneToken {
        let credentials = self.credentials
        let requestBody = try Self.authenticationBody(credentials)
        var request = HTTPClientRequest(url: credentials.tokensURL)
        request.method = .POST
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "bilean")
        request.body = .bytes(requestBody)

        let status: Int
        let subjectToken: String?
        let body: ByteBuffer
        do {
            let response = try await self.httpClient.execute(request, timeout: self.timeout)
            status = Int(response.status.code)
            subjectToken = response.headers.first(name: "X-Subject-Token")
            body = try await response.body.collect(upTo: Self.maximumBodyBytes)
        } catch {
            throw CloudActionError.transport(error, service: "Keystone", timeout: self.timeout)
        }

        switch status {
        case 200..<300:
            break
        case 401:
            throw CloudActionError(retryable: true, "Keystone refused the service credentials (401)")
        default:
            throw CloudActionError.http(status: status, body: body, service: "Keystone", operation: "authentication")
        }
        guard let subjectToken, !subjectToken.isEmpty else {
            throw CloudActionError(retryable: false, "Keystone's answer (\(status)) has no X-Subject-Token header")
        }

        let decoded: TokenAnswer
        do {
            decoded = try JSONDecoder().decode(TokenAnswer.self, from: Data(body.readableBytesView))
        } catch {
            self.logger.debug("Keystone's token answer cannot be decoded", metadata: ["error": "\(error)"])
            throw CloudActionError(
                retryable: false,
                "Keystone's answer (\(status)) is not a token: the JSON object token.expires_at is missing or invalid"
            )
        }
        let expiresAt: BillingTime
        do {
            expiresAt = try BillingTime(parsing: decoded.token.expiresAt, field: "token.expires_at")
        } catch {
            throw CloudActionError(
                retryable: false,
                "Keystone's token.expires_at is not a timestamp: '\(String(decoded.token.expiresAt.prefix(64)))'"
            )
        }
        let catalog = decoded.token.catalog ?? []
        let issuedAt = decoded.token.issuedAt.flatMap { text in
            (try? BillingTime(parsing: text, field: "token.issued_at"))?.date
        }
        self.logger.debug(
            "Keystone token obtained",
            metadata: [
                "keystone.expires_at": "\(expiresAt.iso8601)",
                "keystone.catalog": "\(catalog.map(\.type).joined(separator: ","))",
            ]
        )
        return KeystoneToken(value: subjectToken, expiresAt: expiresAt.date, issuedAt: issuedAt, catalog: catalog)
    }

    /// The JSON body of the password authentication.
    private static func authenticationBody(_ credentials: OpenStackCredentials) throws(CloudActionError) -> ByteBuffer {
        let body = AuthenticationBody(
            auth: .init(
                identity: .init(
                    methods: ["password"],
                    password: .init(
                        user: .init(
                            name: credentials.username,
                            domain: .init(name: credentials.userDomainName),
                            password: credentials.password
                        )
                    )
                ),
                scope: .init(
                    project: .init(name: credentials.projectName, domain: .init(name: credentials.projectDomainName))
                )
            )
        )
        do {
            let data = try JSONEncoder().encode(body)
            return ByteBuffer(bytes: data)
        } catch {
            // Strings always encode; this is not reachable, but never quote the body (it holds the password).
            throw CloudActionError(retryable: false, "cannot encode the Keystone authentication request")
        }
    }
}

// MARK: - JSON bodies

/// `{"auth": {"identity": {"methods": ["password"], "password": {"user": …}}, "scope": {"project": …}}}`.
private struct AuthenticationBody: Encodable {
    struct Domain: Encodable {
        var name: String
    }

    struct User: Encodable {
        var name: String
        var domain: Domain
        var password: String
    }

    struct Password: Encodable {
        var user: User
    }

    struct Identity: Encodable {
        var methods: [String]
        var password: Password
    }

    struct Project: Encodable {
        var name: String
        var domain: Domain
    }

    struct Scope: Encodable {
        var project: Project
    }

    struct Auth: Encodable {
        var identity: Identity
        var scope: Scope
    }

    var auth: Auth
}

/// The part of Keystone's token answer that Bilean reads.
private struct TokenAnswer: Decodable {
    struct Token: Decodable {
        var expiresAt: String
        var issuedAt: String?
        var catalog: [KeystoneToken.CatalogEntry]?

        enum CodingKeys: String, CodingKey {
            case expiresAt = "expires_at"
            case issuedAt = "issued_at"
            case catalog
        }
    }

    var token: Token
}

// MARK: - Errors of OpenStack calls

extension CloudActionError {
    /// The longest service message quoted in an error.
    static let maximumServiceMessage = 300

    /// The retryable error for a request that got no complete answer.
    /// - Parameters:
    ///   - error: What the HTTP client threw.
    ///   - service: `Keystone`, `Nova` or `Cinder`.
    ///   - timeout: The request's timeout, for the message.
    /// - Returns: The error.
    static func transport(_ error: any Error, service: String, timeout: TimeAmount) -> CloudActionError {
        let reason: String
        switch error {
        case is NIOTooManyBytesError:
            reason = "the answer is larger than \(KeystoneSession.maximumBodyBytes) bytes"
        case let error as HTTPClientError
        where error == .deadlineExceeded || error == .readTimeout || error == .writeTimeout:
            reason = "no complete answer within \(timeout.nanoseconds / 1_000_000_000) s"
        case let error as HTTPClientError where error == .connectTimeout:
            reason = "the connection timed out"
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            reason = "the server closed the connection"
        case is CancellationError:
            reason = "the request was cancelled"
        default:
            reason = Self.oneLine(String(describing: error))
        }
        return CloudActionError(retryable: true, "cannot reach \(service): \(reason)")
    }

    /// The error for an answer outside 2xx that the caller has no special case for: retryable for 409, 429 and
    /// 5xx, not retryable for the other statuses.
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - body: The answer's body (an OpenStack error JSON gives the message).
    ///   - service: `Keystone`, `Nova` or `Cinder`.
    ///   - operation: What was asked (`os-stop`, `the deletion of the server`).
    /// - Returns: The error.
    static func http(status: Int, body: ByteBuffer, service: String, operation: String) -> CloudActionError {
        let retryable = status >= 500 || status == 429 || status == 409
        let message = Self.answered(status, body: body, service: service, to: operation)
        return CloudActionError(retryable: retryable, message)
    }

    /// `<service> answered <status> to <operation>[: <message>]`.
    static func answered(_ status: Int, body: ByteBuffer, service: String, to operation: String) -> String {
        let text = "\(service) answered \(status) to \(operation)"
        guard let message = Self.serviceMessage(in: body) else { return text }
        return "\(text): \(message)"
    }

    /// The message of an OpenStack error body, on one line and at most ``maximumServiceMessage`` characters.
    ///
    /// The body is a JSON object whose `error` member (Keystone) or, failing that, first member in key order
    /// (Nova, Cinder: `{"itemNotFound": {"message": "…", "code": 404}}`; Neutron: `{"NeutronError": {"type",
    /// "message", "detail"}}`) is an object with a string `message`, or, failing that, an object with a string
    /// `message` of its own (Glance's WebOb errors: `{"message": "…", "code": "403 Forbidden", "title": "…"}`).
    /// - Parameter body: The body.
    /// - Returns: The message, or `nil` for any other body.
    static func serviceMessage(in body: ByteBuffer) -> String? {
        guard body.readableBytes > 0 else { return nil }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        } catch {
            return nil  // Not JSON (a proxy's page): there is no service message to quote.
        }
        guard let object = parsed as? [String: Any] else { return nil }
        var candidates: [Any] = []
        if let error = object["error"] { candidates.append(error) }
        for key in object.keys.sorted() where key != "error" {
            if let value = object[key] { candidates.append(value) }
        }
        candidates.append(object)
        for candidate in candidates {
            guard let member = candidate as? [String: Any], let message = member["message"] as? String else {
                continue
            }
            // WebOb's text separates the explanation from the detail with HTML line breaks.
            let line = Self.oneLine(message.replacingOccurrences(of: "<br /><br />", with: " "))
            guard !line.isEmpty else { continue }
            guard line.count > Self.maximumServiceMessage else { return line }
            return String(line.prefix(Self.maximumServiceMessage)) + "…"
        }
        return nil
    }

    /// The text with control characters (newlines, NUL, …) turned into spaces and surrounding spaces removed.
    static func oneLine(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(scalar.properties.generalCategory == .control ? " " : scalar)
        }
        return String(scalars).trimmingCharacters(in: .whitespaces)
    }
}
