package import AsyncHTTPClient
package import BileanCore
package import Logging
package import NIOCore
import NIOHTTP1

/// Carries out freeze actions with the service credentials: stops or deletes Nova servers, deletes Cinder volumes.
///
/// | resource | stop | delete |
/// |---|---|---|
/// | `os.nova.server` | `POST /servers/{id}/action` `{"os-stop": null}`; 409 counts as done | `DELETE /servers/{id}` |
/// | `os.cinder.volume` | not applicable | `DELETE /volumes/{id}`; 400 and 409 are retried |
/// | anything else | not applicable | not applicable |
///
/// 404 means the resource is already gone. The endpoints come from the token's catalog (``OpenStackCredentials``
/// give the interface and region). A 401 drops the token and retries once with a new one. 409, 429, 5xx,
/// connection failures and timeouts are retryable errors; other answers outside 2xx are not.
package final class OpenStackCloud: CloudActionExecutor {
    /// The resource type of Nova servers.
    package static let novaServerType = "os.nova.server"
    /// The resource type of Cinder volumes.
    package static let cinderVolumeType = "os.cinder.volume"

    /// The credentials.
    package let credentials: OpenStackCredentials
    /// The Keystone session, shared by every action.
    package let session: KeystoneSession
    private let httpClient: HTTPClient
    private let logger: Logger
    private let timeout: TimeAmount

    /// Creates the executor; nothing is sent before the first action.
    /// - Parameters:
    ///   - credentials: The service credentials.
    ///   - httpClient: The HTTP client (owned by the caller; the shared one by default).
    ///   - logger: The logger.
    ///   - timeout: The time each request (Keystone's included) may take.
    package init(
        credentials: OpenStackCredentials,
        httpClient: HTTPClient = .shared,
        logger: Logger,
        timeout: TimeAmount = .seconds(30)
    ) {
        self.credentials = credentials
        self.httpClient = httpClient
        self.logger = logger
        self.timeout = timeout
        self.session = KeystoneSession(
            credentials: credentials,
            httpClient: httpClient,
            logger: logger,
            timeout: timeout
        )
    }

    /// Performs an action once.
    /// - Parameter action: The action.
    /// - Returns: What the cloud answered.
    /// - Throws: ``CloudActionError``; see the type's documentation for which are retryable.
    package func perform(_ action: CloudAction) async throws(CloudActionError) -> CloudActionResult {
        var logger = self.logger
        logger[metadataKey: "resource.id"] = .string(action.resourceID)
        logger[metadataKey: "action.id"] = .string(action.id)
        switch action.resourceType {
        case Self.novaServerType:
            switch action.kind {
            case .stop: return try await self.stopServer(action.resourceID, logger: logger)
            case .delete: return try await self.deleteServer(action.resourceID, logger: logger)
            }
        case Self.cinderVolumeType:
            switch action.kind {
            case .stop: return .notApplicable("a volume cannot be stopped; it is left as it is")
            case .delete: return try await self.deleteVolume(action.resourceID, logger: logger)
            }
        default:
            return .notApplicable("no freeze action for \(action.resourceType)")
        }
    }

    // MARK: Actions

    /// `os-stop`: 2xx (202) is done; 409 (already stopped, or in a state that cannot stop) is done too.
    private func stopServer(_ id: String, logger: Logger) async throws(CloudActionError) -> CloudActionResult {
        let operation = "os-stop"
        let answer = try await self.send(
            .POST,
            to: .nova,
            path: ["servers", id, "action"],
            body: ByteBuffer(string: #"{"os-stop": null}"#),
            operation: operation,
            logger: logger
        )
        switch answer.status {
        case 200..<300:
            return .done("server stopped")
        case 404:
            return .alreadyGone
        case 409:
            let message = CloudActionError.serviceMessage(in: answer.body).map { ": \($0)" } ?? ""
            return .done("server could not be stopped in its current state (409)\(message)")
        default:
            throw CloudActionError.http(status: answer.status, body: answer.body, service: "Nova", operation: operation)
        }
    }

    /// `DELETE /servers/{id}`: 2xx (204, 202) is done.
    private func deleteServer(_ id: String, logger: Logger) async throws(CloudActionError) -> CloudActionResult {
        let operation = "the deletion of the server"
        let answer = try await self.send(
            .DELETE,
            to: .nova,
            path: ["servers", id],
            body: nil,
            operation: operation,
            logger: logger
        )
        switch answer.status {
        case 200..<300:
            return .done("server deleted")
        case 404:
            return .alreadyGone
        default:
            throw CloudActionError.http(status: answer.status, body: answer.body, service: "Nova", operation: operation)
        }
    }

    /// `DELETE /volumes/{id}`: 2xx (202, 204) is done; 400 and 409 (still attached, or busy while its server is
    /// being deleted) are retried.
    private func deleteVolume(_ id: String, logger: Logger) async throws(CloudActionError) -> CloudActionResult {
        let operation = "the deletion of the volume"
        let answer = try await self.send(
            .DELETE,
            to: .cinder,
            path: ["volumes", id],
            body: nil,
            operation: operation,
            logger: logger
        )
        switch answer.status {
        case 200..<300:
            return .done("volume deleted")
        case 404:
            return .alreadyGone
        case 400, 409:
            throw CloudActionError(
                retryable: true,
                CloudActionError.answered(answer.status, body: answer.body, service: "Cinder", to: operation)
            )
        default:
            throw CloudActionError.http(
                status: answer.status,
                body: answer.body,
                service: "Cinder",
                operation: operation
            )
        }
    }

    // MARK: Requests

    /// A service of the catalog and the headers its requests carry.
    private struct Service: Sendable {
        /// The name in messages.
        var name: String
        /// The catalog types, preferred first.
        var types: [String]
        /// Extra request headers.
        var headers: [(name: String, value: String)]

        static let nova = Service(
            name: "Nova",
            types: ["compute"],
            headers: [(name: "X-OpenStack-Nova-API-Version", value: "2.1")]
        )
        static let cinder = Service(name: "Cinder", types: ["block-storage", "volumev3", "volume"], headers: [])
    }

    /// A complete answer.
    private struct Answer: Sendable {
        var status: Int
        var body: ByteBuffer
    }

    /// Sends a request with the session's token; after a 401, once more with a new token.
    /// - Parameters:
    ///   - method: The method.
    ///   - service: The service.
    ///   - path: The path segments after the endpoint's URL, each percent-encoded here.
    ///   - body: The JSON body, if any.
    ///   - operation: What is asked, for messages.
    ///   - logger: The logger.
    /// - Returns: The answer, whatever its status (but 401).
    /// - Throws: ``CloudActionError`` for Keystone's failures, a service missing from the catalog, an empty id,
    ///   a failed request or a second 401.
    private func send(
        _ method: HTTPMethod,
        to service: Service,
        path: [String],
        body: ByteBuffer?,
        operation: String,
        logger: Logger
    ) async throws(CloudActionError) -> Answer {
        guard path.allSatisfy({ !$0.isEmpty }) else {
            throw CloudActionError(retryable: false, "the resource id is empty")
        }
        let encodedPath = path.map { "/" + Self.percentEncode($0) }.joined()
        let firstToken = try await self.session.token()
        let first = try await self.sendOnce(method, to: service, path: encodedPath, token: firstToken, body, logger)
        guard first.status == 401 else { return first }
        await self.session.invalidate(firstToken)
        logger.notice("\(service.name) refused the Keystone token (401); authenticating again")

        let secondToken = try await self.session.token()
        let second = try await self.sendOnce(method, to: service, path: encodedPath, token: secondToken, body, logger)
        guard second.status == 401 else { return second }
        await self.session.invalidate(secondToken)
        throw CloudActionError(retryable: true, "\(service.name) refused a new Keystone token (401) for \(operation)")
    }

    /// Sends a request once with a token.
    /// - Parameters:
    ///   - method: The method.
    ///   - service: The service.
    ///   - encodedPath: The percent-encoded path after the endpoint's URL (`/servers/a%2Fb`).
    ///   - body: The JSON body, if any.
    ///   - token: The token, whose catalog gives the endpoint.
    ///   - logger: The logger.
    /// - Returns: The answer, whatever its status.
    /// - Throws: ``CloudActionError`` for a service missing from the catalog or a failed request.
    private func sendOnce(
        _ method: HTTPMethod,
        to service: Service,
        path encodedPath: String,
        token: KeystoneToken,
        _ body: ByteBuffer?,
        _ logger: Logger
    ) async throws(CloudActionError) -> Answer {
        guard
            let base = token.endpoint(
                types: service.types,
                interface: self.credentials.interface,
                region: self.credentials.regionName
            )
        else {
            let region = self.credentials.regionName.map { " in region \($0)" } ?? ""
            throw CloudActionError(
                retryable: false,
                "Keystone's catalog has no \(self.credentials.interface) endpoint\(region) for \(service.name) "
                    + "(service type \(service.types.joined(separator: ", ")))"
            )
        }
        let url = base + encodedPath
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "X-Auth-Token", value: token.value)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "bilean")
        for header in service.headers {
            request.headers.add(name: header.name, value: header.value)
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(body)
        }

        let answer: Answer
        do {
            let response = try await self.httpClient.execute(request, timeout: self.timeout)
            let bytes = try await response.body.collect(upTo: KeystoneSession.maximumBodyBytes)
            answer = Answer(status: Int(response.status.code), body: bytes)
        } catch {
            throw CloudActionError.transport(error, service: service.name, timeout: self.timeout)
        }
        logger.debug(
            "\(service.name) answered",
            metadata: ["http.method": "\(method.rawValue)", "http.url": "\(url)", "http.status": "\(answer.status)"]
        )
        return answer
    }

    /// Percent-encodes a path segment: every UTF-8 byte but the RFC 3986 unreserved characters
    /// (`A-Z a-z 0-9 - . _ ~`), so `/`, `?`, `%`, space and non-ASCII are all encoded; `.` and `..` (which a URL
    /// parser would resolve) are encoded too.
    /// - Parameter segment: The segment (a resource id).
    /// - Returns: The encoded segment, with uppercase hexadecimal digits.
    static func percentEncode(_ segment: String) -> String {
        if segment == "." || segment == ".." {
            return String(repeating: "%2E", count: segment.utf8.count)
        }
        var output = ""
        for byte in segment.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                output += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return output
    }
}
