package import AsyncHTTPClient
package import BileanCore
package import Logging
package import NIOCore
import NIOHTTP1

/// Carries out freeze actions with the service credentials, and the thaw's restarts.
///
/// | resource type | action | request | answers |
/// |---|---|---|---|
/// | `os.nova.server` | stop | Nova `POST /servers/{id}/action` `{"os-stop": null}` | 409 (stopped): unchanged |
/// | `os.nova.server` | start | Nova `POST /servers/{id}/action` `{"os-start": null}` | 409 (running): unchanged |
/// | `os.nova.server` | delete | Nova `DELETE /servers/{id}` | |
/// | `os.cinder.volume` | delete | Cinder `DELETE /volumes/{id}` | 400 and 409 (attached, busy) are retried |
/// | `os.cinder.snapshot` | delete | Cinder `DELETE /snapshots/{id}` | 400 and 409 (busy) are retried |
/// | `os.glance.image` | delete | Glance `DELETE /v2/images/{id}` | 403 (protected) is not retried |
/// | `os.neutron.router` | delete | Neutron `DELETE /v2.0/routers/{id}`, its subnets detached first | 409 is retried |
/// | `os.neutron.floatingip` | release | Neutron `DELETE /v2.0/floatingips/{id}` | |
/// | any other pair | | none | not applicable |
///
/// 404 means the resource is already gone. The endpoints come from the token's catalog (``OpenStackCredentials``
/// give the interface and region; Neutron's `v2.0` and Glance's `v2` are added unless the endpoint ends with them).
/// A 401 drops the token and retries once with a new one. 409, 429, 5xx, connection failures and timeouts are
/// retryable errors; other answers outside 2xx are not.
package final class OpenStackCloud: CloudActionExecutor {
    /// The resource type of Nova servers.
    package static let novaServerType = "os.nova.server"
    /// The resource type of Cinder volumes.
    package static let cinderVolumeType = "os.cinder.volume"
    /// The resource type of Cinder snapshots.
    package static let cinderSnapshotType = "os.cinder.snapshot"
    /// The resource type of Glance images.
    package static let glanceImageType = "os.glance.image"
    /// The resource type of Neutron routers.
    package static let neutronRouterType = "os.neutron.router"
    /// The resource type of Neutron floating IPs.
    package static let neutronFloatingIPType = "os.neutron.floatingip"

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
    /// - Returns: What the cloud answered; ``CloudActionResult/notApplicable(_:)``, without any request, for a pair
    ///   of resource type and action that the table above does not list.
    /// - Throws: ``CloudActionError``; see the type's documentation for which are retryable.
    package func perform(_ action: CloudAction) async throws(CloudActionError) -> CloudActionResult {
        var logger = self.logger
        logger[metadataKey: "resource.id"] = .string(action.resourceID)
        logger[metadataKey: "action.id"] = .string(action.id)
        let id = action.resourceID
        switch action.resourceType {
        case Self.novaServerType:
            switch action.kind {
            case .stop: return try await self.stopServer(id, logger: logger)
            case .start: return try await self.startServer(id, logger: logger)
            case .delete: return try await self.deleteServer(id, logger: logger)
            case .release: return Self.notApplicable(action.kind, to: "a server")
            }
        case Self.cinderVolumeType:
            switch action.kind {
            case .delete: return try await self.deleteVolume(id, logger: logger)
            case .stop, .start, .release: return Self.notApplicable(action.kind, to: "a volume")
            }
        case Self.cinderSnapshotType:
            switch action.kind {
            case .delete: return try await self.deleteSnapshot(id, logger: logger)
            case .stop, .start, .release: return Self.notApplicable(action.kind, to: "a snapshot")
            }
        case Self.glanceImageType:
            switch action.kind {
            case .delete: return try await self.deleteImage(id, logger: logger)
            case .stop, .start, .release: return Self.notApplicable(action.kind, to: "an image")
            }
        case Self.neutronRouterType:
            switch action.kind {
            case .delete: return try await self.deleteRouter(id, logger: logger)
            case .stop, .start, .release: return Self.notApplicable(action.kind, to: "a router")
            }
        case Self.neutronFloatingIPType:
            switch action.kind {
            case .release: return try await self.releaseFloatingIP(id, logger: logger)
            case .stop, .start, .delete: return Self.notApplicable(action.kind, to: "a floating IP")
            }
        default:
            return .notApplicable("no freeze action for \(action.resourceType)")
        }
    }

    /// The answer to a pair the executor does not carry out: `a volume cannot be stopped; it is left as it is`.
    private static func notApplicable(_ kind: CloudAction.Kind, to resource: String) -> CloudActionResult {
        let participle: String
        switch kind {
        case .stop: participle = "stopped"
        case .start: participle = "started"
        case .delete: participle = "deleted"
        case .release: participle = "released"
        }
        return .notApplicable("\(resource) cannot be \(participle); it is left as it is")
    }

    // MARK: Requests

    /// A service of the catalog and the headers its requests carry.
    struct Service: Sendable {
        /// The name in messages.
        var name: String
        /// The catalog types, preferred first.
        var types: [String]
        /// Extra request headers.
        var headers: [(name: String, value: String)]
        /// The API version's path segment, added after the endpoint's URL unless it already ends with it (Neutron
        /// and Glance register unversioned endpoints); `nil`: the endpoint is the versioned API.
        var version: String? = nil

        static let nova = Service(
            name: "Nova",
            types: ["compute"],
            headers: [(name: "X-OpenStack-Nova-API-Version", value: "2.1")]
        )
        static let cinder = Service(name: "Cinder", types: ["block-storage", "volumev3", "volume"], headers: [])
        static let glance = Service(name: "Glance", types: ["image"], headers: [], version: "v2")
        static let neutron = Service(name: "Neutron", types: ["network"], headers: [], version: "v2.0")

        /// The API's root: the endpoint's URL, with ``version`` added unless it ends with it.
        func root(_ endpoint: String) -> String {
            guard let version = self.version, !endpoint.hasSuffix("/" + version) else { return endpoint }
            return endpoint + "/" + version
        }
    }

    /// A complete answer.
    struct Answer: Sendable {
        var status: Int
        var body: ByteBuffer
    }

    /// Deletes a resource: 2xx is done, 404 is already gone, `retrying` statuses are retryable errors, and any
    /// other status is ``CloudActionError/http(status:body:service:operation:)``.
    /// - Parameters:
    ///   - path: The path segments after the API's root.
    ///   - service: The service.
    ///   - operation: What is asked, for messages (`the deletion of the volume`).
    ///   - done: The text of the result when it is done (`volume deleted`).
    ///   - retrying: Statuses that mean "not yet" for this resource (a volume still attached: 400, 409).
    ///   - logger: The logger.
    /// - Returns: ``CloudActionResult/done(_:)`` or ``CloudActionResult/alreadyGone``.
    /// - Throws: ``CloudActionError``.
    func delete(
        _ path: [String],
        on service: Service,
        operation: String,
        done: String,
        retrying: Set<Int> = [],
        logger: Logger
    ) async throws(CloudActionError) -> CloudActionResult {
        let answer = try await self.send(
            .DELETE,
            to: service,
            path: path,
            body: nil,
            operation: operation,
            logger: logger
        )
        switch answer.status {
        case 200..<300:
            return .done(done)
        case 404:
            return .alreadyGone
        case let status where retrying.contains(status):
            throw CloudActionError(
                retryable: true,
                CloudActionError.answered(status, body: answer.body, service: service.name, to: operation)
            )
        default:
            throw CloudActionError.http(
                status: answer.status,
                body: answer.body,
                service: service.name,
                operation: operation
            )
        }
    }

    /// Sends a request with the session's token; after a 401, once more with a new token.
    /// - Parameters:
    ///   - method: The method.
    ///   - service: The service.
    ///   - path: The path segments after the API's root, each percent-encoded here.
    ///   - query: The query's names and values, each percent-encoded here.
    ///   - body: The JSON body, if any.
    ///   - operation: What is asked, for messages.
    ///   - logger: The logger.
    /// - Returns: The answer, whatever its status (but 401).
    /// - Throws: ``CloudActionError`` for Keystone's failures, a service missing from the catalog, an empty id,
    ///   a failed request or a second 401.
    func send(
        _ method: HTTPMethod,
        to service: Service,
        path: [String],
        query: [(name: String, value: String)] = [],
        body: ByteBuffer?,
        operation: String,
        logger: Logger
    ) async throws(CloudActionError) -> Answer {
        guard path.allSatisfy({ !$0.isEmpty }) else {
            throw CloudActionError(retryable: false, "the resource id is empty")
        }
        var encodedPath = path.map { "/" + Self.percentEncode($0) }.joined()
        if !query.isEmpty {
            encodedPath +=
                "?"
                + query.map { Self.percentEncode($0.name) + "=" + Self.percentEncode($0.value) }
                .joined(separator: "&")
        }
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
    ///   - encodedPath: The percent-encoded path and query after the API's root (`/servers/a%2Fb`).
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
        let url = service.root(base) + encodedPath
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
