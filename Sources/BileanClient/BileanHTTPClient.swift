package import BileanCore

/// The HTTP client of the Bilean REST API v1.
///
/// Every request goes to `<root>/v1/...` (see ``BileanEndpoint``) with `Accept: application/json`, the
/// caller's `X-Auth-Token`, `X-Project-Id` and `X-Roles` when they are set, and `Content-Type:
/// application/json` only when it has a body. A 2xx answer gives its JSON body (`nil` when empty, as for a
/// 204); anything else throws ``BileanClientError`` carrying the status and the server's `error.message`.
package struct BileanHTTPClient: Sendable {
    /// Where the API is and who calls it.
    package struct Configuration: Sendable, Hashable {
        /// The API's root URL.
        package var endpoint: BileanEndpoint
        /// The Keystone token sent as `X-Auth-Token`, if any.
        package var token: String?
        /// The project sent as `X-Project-Id` (trusted by a server running without Keystone), if any.
        package var projectID: String?
        /// The comma-separated roles sent as `X-Roles` (trusted by a server running without Keystone), if any.
        package var roles: String?
        /// The time one request may take, from connecting to reading the whole answer.
        package var timeout: Duration
        /// The `User-Agent` header.
        package var userAgent: String

        /// Creates a configuration; empty strings count as absent.
        /// - Parameters:
        ///   - endpoint: The API's root URL.
        ///   - token: The token, if any.
        ///   - projectID: The project id, if any.
        ///   - roles: The comma-separated roles, if any.
        ///   - timeout: The time one request may take (60 s by default).
        package init(
            endpoint: BileanEndpoint,
            token: String? = nil,
            projectID: String? = nil,
            roles: String? = nil,
            timeout: Duration = .seconds(60)
        ) {
            self.endpoint = endpoint
            self.token = token.flatMap { $0.isEmpty ? nil : $0 }
            self.projectID = projectID.flatMap { $0.isEmpty ? nil : $0 }
            self.roles = roles.flatMap { $0.isEmpty ? nil : $0 }
            self.timeout = timeout
            self.userAgent = "bilean"
        }
    }

    /// The page size used to fetch a whole list (the API's maximum `limit`).
    package static let pageSize = 1000

    /// Where the API is and who calls it.
    package let configuration: Configuration
    private let transport: any HTTPTransport

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: Where the API is and who calls it.
    ///   - transport: What sends the requests (``AsyncHTTPTransport`` in the CLI).
    package init(configuration: Configuration, transport: any HTTPTransport) {
        self.configuration = configuration
        self.transport = transport
    }

    /// `GET <root>/v1/<path>?<query>`.
    /// - Parameters:
    ///   - path: The path segments after `/v1` (each percent-encoded).
    ///   - query: The query parameters.
    /// - Returns: The JSON body, or `nil` when empty.
    /// - Throws: ``BileanClientError``.
    package func get(_ path: [String], query: QueryParameters = []) async throws(BileanClientError) -> JSONValue? {
        try await self.send("GET", path, query: query, body: nil)
    }

    /// `POST <root>/v1/<path>` with a JSON body.
    /// - Returns: The JSON body of the answer, or `nil` when empty.
    /// - Throws: ``BileanClientError``.
    package func post(_ path: [String], body: JSONValue) async throws(BileanClientError) -> JSONValue? {
        try await self.send("POST", path, query: [], body: body)
    }

    /// `PUT <root>/v1/<path>` with a JSON body.
    /// - Returns: The JSON body of the answer, or `nil` when empty.
    /// - Throws: ``BileanClientError``.
    package func put(_ path: [String], body: JSONValue) async throws(BileanClientError) -> JSONValue? {
        try await self.send("PUT", path, query: [], body: body)
    }

    /// `DELETE <root>/v1/<path>`.
    /// - Returns: The JSON body of the answer, or `nil` when empty (a 204).
    /// - Throws: ``BileanClientError``.
    @discardableResult
    package func delete(_ path: [String]) async throws(BileanClientError) -> JSONValue? {
        try await self.send("DELETE", path, query: [], body: nil)
    }

    /// The headers of a request.
    /// - Parameter hasBody: Whether the request has a (JSON) body.
    func headers(hasBody: Bool) -> [HTTPHeader] {
        var headers = [
            HTTPHeader("Accept", "application/json"), HTTPHeader("User-Agent", self.configuration.userAgent),
        ]
        if hasBody { headers.append(HTTPHeader("Content-Type", "application/json")) }
        if let token = self.configuration.token { headers.append(HTTPHeader("X-Auth-Token", token)) }
        if let project = self.configuration.projectID { headers.append(HTTPHeader("X-Project-Id", project)) }
        if let roles = self.configuration.roles { headers.append(HTTPHeader("X-Roles", roles)) }
        return headers
    }

    /// The request a call sends.
    func request(_ method: String, _ path: [String], query: QueryParameters, body: JSONValue?) -> HTTPRequestData {
        HTTPRequestData(
            method: method,
            url: self.configuration.endpoint.url(path, query: query),
            headers: self.headers(hasBody: body != nil),
            body: body.map(JSONWriter.compact)
        )
    }

    private func send(
        _ method: String,
        _ path: [String],
        query: QueryParameters,
        body: JSONValue?
    ) async throws(BileanClientError) -> JSONValue? {
        let request = self.request(method, path, query: query, body: body)
        let response: HTTPResponseData
        do {
            response = try await self.transport.send(request, timeout: self.configuration.timeout)
        } catch let error as BileanClientError {
            throw BileanClientError(
                .connectionFailed,
                "cannot reach the Bilean API at \(self.configuration.endpoint): \(error.message)",
                underlying: error.underlying ?? error
            )
        } catch {
            throw BileanClientError(
                .connectionFailed,
                "cannot reach the Bilean API at \(self.configuration.endpoint): \(error)",
                underlying: error
            )
        }
        guard (200..<300).contains(response.status) else {
            throw BileanClientError.http(
                status: response.status,
                body: response.body,
                request: "\(method) \(request.url)"
            )
        }
        if response.body.allSatisfy(\.isWhitespace) { return nil }
        do {
            return try JSONReader.parse(response.body)
        } catch {
            throw BileanClientError(
                .invalidResponse,
                "the Bilean API answered \(method) \(request.url) with a body that is not JSON (\(error.message))",
                underlying: error
            )
        }
    }
}

extension BileanHTTPClient.Configuration: CustomStringConvertible, CustomDebugStringConvertible {
    /// The endpoint and the identity headers, the token shown as ``Secret/redacted``.
    package var description: String {
        var parts = ["endpoint \(self.endpoint)"]
        if self.token != nil { parts.append("token \(Secret.redacted)") }
        if let projectID { parts.append("project \(projectID)") }
        if let roles { parts.append("roles \(roles)") }
        return "BileanHTTPClient.Configuration(\(parts.joined(separator: ", ")))"
    }

    /// The same as ``description``: the token is never shown.
    package var debugDescription: String { self.description }
}
