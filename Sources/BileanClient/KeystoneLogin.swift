import BileanCore
import Foundation

/// A Keystone v3 login: the token, scoped to the project, and the catalog that came with it.
///
/// ``authenticate(_:transport:timeout:)`` sends `POST <auth URL>/v3/auth/tokens` (the password or the token
/// method, scoped to the project) and reads the token from the `X-Subject-Token` header and the catalog from
/// `token.catalog`. Building the request (``request(for:)``) and reading the answer
/// (``init(response:credentials:)``) are pure, so tests feed them directly. Printing a login never shows the
/// token, and no error ever holds the password or the token.
package struct KeystoneLogin: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The token, sent to Bilean as `X-Auth-Token`.
    package var token: Secret
    /// The service catalog.
    package var catalog: ServiceCatalog

    /// Creates a login.
    /// - Parameters:
    ///   - token: The token.
    ///   - catalog: The catalog.
    package init(token: Secret, catalog: ServiceCatalog) {
        self.token = token
        self.catalog = catalog
    }

    /// Logs in.
    /// - Parameters:
    ///   - credentials: Who logs in, where, and to which project.
    ///   - transport: What sends the request.
    ///   - timeout: The time the login may take.
    /// - Returns: The token and the catalog.
    /// - Throws: ``BileanClientError``, with a one-line message: ``BileanClientError/Code/authenticationFailed``
    ///   for a 401 (`Keystone refused the credentials (HTTP 401): <Keystone's message>`),
    ///   ``BileanClientError/Code/httpError`` for another status outside 2xx,
    ///   ``BileanClientError/Code/connectionFailed`` when Keystone cannot be reached, and
    ///   ``BileanClientError/Code/invalidResponse`` for an answer that is not a token.
    package static func authenticate(
        _ credentials: KeystoneCredentials,
        transport: any HTTPTransport,
        timeout: Duration = .seconds(60)
    ) async throws(BileanClientError) -> KeystoneLogin {
        let request = Self.request(for: credentials)
        let response: HTTPResponseData
        do {
            response = try await transport.send(request, timeout: timeout)
        } catch {
            let reason = (error as? BileanClientError)?.message ?? String(describing: error)
            throw BileanClientError(
                .connectionFailed,
                Self.safe("cannot reach Keystone at \(credentials.authURL): \(reason)", credentials),
                underlying: (error as? BileanClientError)?.underlying ?? error
            )
        }
        return try KeystoneLogin(response: response, credentials: credentials)
    }

    /// The login request: `POST <auth URL>/v3/auth/tokens` with the JSON body
    /// `{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name", "domain", "password"}}},
    /// "scope": {"project": {"id"}}}}` (or `{"project": {"name", "domain"}}`; or the `token` method with
    /// `{"token": {"id"}}`).
    /// - Parameter credentials: The credentials.
    /// - Returns: The request.
    package static func request(for credentials: KeystoneCredentials) -> HTTPRequestData {
        let identity: JSONValue
        switch credentials.method {
        case .password(let username, let userDomain, let password):
            identity = .object([
                "methods": .array([.string("password")]),
                "password": .object([
                    "user": .object([
                        "name": .string(username),
                        "domain": userDomain.json,
                        "password": .string(password.reveal),
                    ])
                ]),
            ])
        case .token(let token):
            identity = .object([
                "methods": .array([.string("token")]),
                "token": .object(["id": .string(token.reveal)]),
            ])
        }
        let project: JSONValue
        switch credentials.scope {
        case .projectID(let id):
            project = .object(["id": .string(id)])
        case .projectName(let name, let domain):
            project = .object(["name": .string(name), "domain": domain.json])
        }
        let body = JSONValue.object([
            "auth": .object(["identity": identity, "scope": .object(["project": project])])
        ])
        return HTTPRequestData(
            method: "POST",
            url: credentials.tokensURL,
            headers: [
                HTTPHeader("Accept", "application/json"), HTTPHeader("Content-Type", "application/json"),
                HTTPHeader("User-Agent", "bilean"),
            ],
            body: JSONWriter.compact(body)
        )
    }

    /// Reads Keystone's answer to the login request.
    /// - Parameters:
    ///   - response: The answer.
    ///   - credentials: The credentials sent (for messages, and to keep their secret out of them).
    /// - Throws: ``BileanClientError``; see ``authenticate(_:transport:timeout:)``.
    package init(response: HTTPResponseData, credentials: KeystoneCredentials) throws(BileanClientError) {
        let request = "POST \(credentials.tokensURL)"
        guard (200..<300).contains(response.status) else {
            if response.status == 401 {
                let detail = Self.keystoneMessage(response.body).map { ": \($0)" } ?? ""
                throw BileanClientError(
                    .authenticationFailed,
                    Self.safe("Keystone refused the credentials (HTTP 401)\(detail)", credentials),
                    status: 401
                )
            }
            let message: String
            if let detail = Self.keystoneMessage(response.body) {
                message = "Keystone login failed (HTTP \(response.status), \(request)): \(detail)"
            } else {
                let detail = BileanClientError.message(status: response.status, body: response.body, request: request)
                message = "Keystone login failed: \(detail)"
            }
            throw BileanClientError(.httpError, Self.safe(message, credentials), status: response.status)
        }
        guard let token = response.header("X-Subject-Token"), !token.isEmpty else {
            throw BileanClientError(
                .invalidResponse,
                "Keystone answered \(request) with HTTP \(response.status) but no X-Subject-Token header"
            )
        }
        let body: JSONValue
        do {
            body = try JSONReader.parse(response.body)
        } catch {
            throw BileanClientError(
                .invalidResponse,
                "Keystone answered \(request) with a body that is not JSON (\(error.message))",
                underlying: error
            )
        }
        guard let tokenObject = body["token"], tokenObject.objectValue != nil else {
            throw BileanClientError(.invalidResponse, "Keystone's answer to \(request) has no token object")
        }
        let catalog: ServiceCatalog
        switch tokenObject["catalog"] {
        case .none, .null?: catalog = ServiceCatalog()
        case let json?: catalog = try ServiceCatalog(json: json)
        }
        self.init(token: Secret(token), catalog: catalog)
    }

    /// The catalog's service types; never the token.
    package var description: String {
        "Keystone login (token \(Secret.redacted), catalog: \(self.catalog.serviceTypes.joined(separator: ", ")))"
    }

    /// The same as ``description``: the token is never shown.
    package var debugDescription: String { self.description }

    /// Keystone's `error.message`, on one line, or `nil` when the body is not an OpenStack error.
    static func keystoneMessage(_ body: String) -> String? {
        guard let parsed = try? JSONReader.parse(body),  // Not JSON: the caller quotes the raw text instead.
            let message = parsed["error"]?["message"]?.stringValue
        else { return nil }
        let oneLine = message.split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        guard !oneLine.isEmpty else { return nil }
        guard oneLine.count > BileanClientError.maximumQuotedBody else { return oneLine }
        return "\(oneLine.prefix(BileanClientError.maximumQuotedBody))…"
    }

    /// The message with the credentials' secret replaced, should Keystone (or a proxy) ever echo it.
    static func safe(_ message: String, _ credentials: KeystoneCredentials) -> String {
        let secret = credentials.secret.reveal
        guard !secret.isEmpty else { return message }
        return message.replacingOccurrences(of: secret, with: Secret.redacted)
    }
}
