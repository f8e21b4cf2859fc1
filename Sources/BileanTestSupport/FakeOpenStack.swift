import BileanCore
package import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A small Keystone, Nova, Cinder, Glance and Neutron on a local port, for the tests of the freeze actions (the
/// real services cannot run here).
///
/// - Keystone: `POST /identity/v3/auth/tokens` with v3 password auth, checking the user name, password and project
///   name; answers 201 with `X-Subject-Token` and a token whose catalog lists `compute` (`/compute/v2.1`),
///   `block-storage` (`/volume/v3/<projectID>`), `image` (`/image`) and `network` (`/networking`), the last two
///   unversioned as DevStack registers them, with the `public`, `internal` and `admin` interfaces in `RegionOne`.
/// - Nova: `POST /compute/v2.1/servers/{id}/action` with `os-stop` (202, or 409 when already `SHUTOFF`) or
///   `os-start` (202, or 409 when already `ACTIVE`), `GET /compute/v2.1/servers/{id}` (its `status`; a server
///   set to another state, e.g. `RESIZE`, answers 409 to both actions) and `DELETE /compute/v2.1/servers/{id}` (204).
/// - Cinder: `DELETE /volume/v3/{project}/volumes/{id}` and `DELETE /volume/v3/{project}/snapshots/{id}` (202).
/// - Glance: `DELETE /image/v2/images/{id}` (204, or 403 for a protected image, with WebOb's JSON error
///   `{"message", "code", "title"}`).
/// - Neutron: `GET /networking/v2.0/ports?device_id={router}` (the router's interface and gateway ports),
///   `PUT /networking/v2.0/routers/{id}/remove_router_interface` `{"port_id"}` (200), `DELETE
///   /networking/v2.0/routers/{id}` (204, or 409 `RouterInUse` while a subnet is attached) and `DELETE
///   /networking/v2.0/floatingips/{id}` (204); errors as `{"NeutronError": {"type", "message", "detail"}}`.
///
/// Unknown resources answer 404 with the service's error JSON (`{"itemNotFound": {"message", "code"}}` for Nova and
/// Cinder). Every call but Keystone's needs an unexpired token issued by this fake (401 otherwise). Ids in paths are
/// percent-decoded. Every request is recorded in ``requests``.
package final class FakeOpenStack: Sendable {
    /// One request the fake answered.
    package struct Request: Sendable, Hashable, CustomStringConvertible {
        /// The method (`POST`, `DELETE`, …).
        package var method: String
        /// The path as sent (still percent-encoded), without the query.
        package var path: String
        /// The query as sent (still percent-encoded), empty without one.
        package var query: String
        /// Whether `X-Auth-Token` held a valid token of this fake.
        package var hadValidToken: Bool
        /// The status answered.
        package var status: Int

        /// Creates a record.
        /// - Parameters:
        ///   - method: The method.
        ///   - path: The path as sent.
        ///   - query: The query as sent.
        ///   - hadValidToken: Whether a valid token was sent.
        ///   - status: The status answered.
        package init(method: String, path: String, query: String = "", hadValidToken: Bool, status: Int) {
            self.method = method
            self.path = path
            self.query = query
            self.hadValidToken = hadValidToken
            self.status = status
        }

        package var description: String {
            "\(self.method) \(self.path)\(self.query.isEmpty ? "" : "?" + self.query) → \(self.status)"
        }
    }

    /// The fake could not start.
    package struct StartError: Error, CustomStringConvertible {
        package var description: String { "the fake OpenStack did not start listening" }
    }

    /// The service user's name that Keystone accepts.
    package let username: String
    /// The service user's password that Keystone accepts.
    package let password: String
    /// The project name that Keystone accepts.
    package let projectName: String
    /// The project's id (in Cinder's URL).
    package let projectID: String
    /// The local port.
    package let port: Int

    private let backend: FakeOpenStackBackend
    private let server: Task<Void, Never>

    private init(identity: FakeOpenStackIdentity, port: Int, backend: FakeOpenStackBackend, server: Task<Void, Never>) {
        self.username = identity.username
        self.password = identity.password
        self.projectName = identity.projectName
        self.projectID = identity.projectID
        self.port = port
        self.backend = backend
        self.server = server
    }

    /// Keystone's URL: `http://127.0.0.1:PORT/identity/v3`.
    package var authURL: String { "http://127.0.0.1:\(self.port)/identity/v3" }

    /// Nova's URL in the catalog.
    package var computeURL: String { "http://127.0.0.1:\(self.port)/compute/v2.1" }

    /// Cinder's URL in the catalog.
    package var volumeURL: String { "http://127.0.0.1:\(self.port)/volume/v3/\(self.projectID)" }

    /// Glance's URL in the catalog (unversioned).
    package var imageURL: String { "http://127.0.0.1:\(self.port)/image" }

    /// Neutron's URL in the catalog (unversioned).
    package var networkURL: String { "http://127.0.0.1:\(self.port)/networking" }

    /// Starts a fake on a free port of 127.0.0.1; ``shutdown()`` stops it.
    /// - Parameters:
    ///   - username: The user name Keystone accepts.
    ///   - password: The password Keystone accepts.
    ///   - projectName: The project name Keystone accepts.
    /// - Returns: The running fake.
    /// - Throws: ``StartError`` when the server did not start listening.
    package static func start(
        username: String = "bilean",
        password: String = "secret",
        projectName: String = "service"
    ) async throws -> FakeOpenStack {
        let identity = FakeOpenStackIdentity(
            username: username,
            password: password,
            projectName: projectName,
            projectID: FakeOpenStackState.randomHex()
        )
        let backend = FakeOpenStackBackend(identity: identity)
        let logger = TestDatabase.logger
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = Application(
            responder: CallbackResponder<BasicRequestContext> { request, _ in
                await backend.respond(to: request)
            },
            configuration: ApplicationConfiguration(
                address: .hostname("127.0.0.1", port: 0),
                serverName: "fake-openstack"
            ),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                backend.setPort(port)
                portContinuation.yield(port)
            },
            logger: logger
        )
        // Not fire-and-forget: the fake keeps the task and `shutdown()` cancels and awaits it.
        let server = Task {
            do {
                try await application.run()
            } catch {
                logger.debug("the fake OpenStack stopped", metadata: ["error": "\(error)"])
            }
            portContinuation.finish()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            server.cancel()
            await server.value
            throw StartError()
        }
        return FakeOpenStack(identity: identity, port: port, backend: backend, server: server)
    }

    /// Stops the server (open connections are closed) and waits until it has stopped.
    package func shutdown() async {
        self.server.cancel()
        await self.server.value
    }

    // MARK: State

    /// How long the tokens issued from now on live, in seconds (3600 by default).
    package var tokenLifetime: TimeInterval {
        get { self.backend.state.withLock { $0.tokenLifetime } }
        set { self.backend.state.withLock { $0.tokenLifetime = newValue } }
    }

    /// Adds a Nova server.
    /// - Parameters:
    ///   - id: Its id.
    ///   - state: `ACTIVE` or `SHUTOFF`.
    package func addServer(_ id: String, state: String = "ACTIVE") {
        self.backend.state.withLock { $0.servers[id] = state }
    }

    /// Adds a Cinder volume.
    /// - Parameter id: Its id.
    package func addVolume(_ id: String) {
        self.backend.state.withLock { _ = $0.volumes.insert(id) }
    }

    /// Adds a Cinder snapshot.
    /// - Parameter id: Its id.
    package func addSnapshot(_ id: String) {
        self.backend.state.withLock { _ = $0.snapshots.insert(id) }
    }

    /// Adds a Glance image.
    /// - Parameters:
    ///   - id: Its id.
    ///   - protected: Whether it is protected (Glance refuses to delete it: 403).
    package func addImage(_ id: String, protected: Bool = false) {
        self.backend.state.withLock { $0.images[id] = protected }
    }

    /// Adds a Neutron router.
    /// - Parameters:
    ///   - id: Its id.
    ///   - interfaces: The ids of the ports that attach its subnets.
    ///   - gateway: Whether it has an external gateway (a port that goes with the router).
    package func addRouter(_ id: String, interfaces: [String] = [], gateway: Bool = true) {
        self.backend.state.withLock {
            $0.routers[id] = FakeOpenStackState.Router(interfaces: Set(interfaces), gateway: gateway)
        }
    }

    /// Adds a Neutron floating IP.
    /// - Parameter id: Its id.
    package func addFloatingIP(_ id: String) {
        self.backend.state.withLock { _ = $0.floatingIPs.insert(id) }
    }

    /// Whether a snapshot exists.
    /// - Parameter id: Its id.
    /// - Returns: `false` when it was deleted or never existed.
    package func snapshotExists(_ id: String) -> Bool {
        self.backend.state.withLock { $0.snapshots.contains(id) }
    }

    /// Whether an image exists.
    /// - Parameter id: Its id.
    /// - Returns: `false` when it was deleted or never existed.
    package func imageExists(_ id: String) -> Bool {
        self.backend.state.withLock { $0.images[id] != nil }
    }

    /// A router's interface ports.
    /// - Parameter id: Its id.
    /// - Returns: The port ids, sorted, or `nil` when it was deleted or never existed.
    package func routerInterfaces(_ id: String) -> [String]? {
        self.backend.state.withLock { $0.routers[id].map { $0.interfaces.sorted() } }
    }

    /// Whether a floating IP is still allocated.
    /// - Parameter id: Its id.
    /// - Returns: `false` when it was released or never existed.
    package func floatingIPExists(_ id: String) -> Bool {
        self.backend.state.withLock { $0.floatingIPs.contains(id) }
    }

    /// A server's state.
    /// - Parameter id: Its id.
    /// - Returns: `ACTIVE`, `SHUTOFF`, or `nil` when it was deleted or never existed.
    package func serverState(_ id: String) -> String? {
        self.backend.state.withLock { $0.servers[id] }
    }

    /// Whether a volume exists.
    /// - Parameter id: Its id.
    /// - Returns: `false` when it was deleted or never existed.
    package func volumeExists(_ id: String) -> Bool {
        self.backend.state.withLock { $0.volumes.contains(id) }
    }

    /// Makes the next `count` requests whose path (as sent, percent-encoded) contains `fragment` answer `status`
    /// with an OpenStack error JSON, before any other check (the token's included).
    /// - Parameters:
    ///   - count: How many requests fail.
    ///   - status: The status, 100–599.
    ///   - fragment: The text the path must contain (`/servers/`, `auth/tokens`).
    package func failNext(_ count: Int, status: Int, onPathContaining fragment: String) {
        precondition((100...599).contains(status), "an HTTP status is 100-599")
        guard count > 0 else { return }
        self.backend.state.withLock {
            $0.failures.append(FakeOpenStackState.Failure(remaining: count, status: status, fragment: fragment))
        }
    }

    /// Makes a caller's token that `GET /v3/auth/tokens` validates (the service token must be valid).
    /// - Parameters:
    ///   - token: The caller's token.
    ///   - project: Its project scope.
    ///   - roles: Its role names.
    ///   - expiresIn: Seconds from now to its expiry.
    package func addUserToken(_ token: String, project: String?, roles: [String], expiresIn: TimeInterval = 3600) {
        self.backend.state.withLock {
            $0.userTokens[token] = FakeOpenStackState.UserToken(
                project: project,
                roles: roles,
                expiresAt: Date().addingTimeInterval(expiresIn)
            )
        }
    }

    /// How many token validations (`GET /v3/auth/tokens`) Keystone answered.
    package var validationCount: Int {
        self.backend.state.withLock { state in
            state.requests.filter { $0.method == "GET" && $0.path.hasSuffix("/auth/tokens") }.count
        }
    }

    /// Revokes every token issued so far: they all answer 401 from now on (new authentications work).
    package func expireTokens() {
        self.backend.state.withLock { $0.tokens.removeAll() }
    }

    /// The requests answered so far, in order.
    package var requests: [Request] {
        self.backend.state.withLock { $0.requests }
    }

    /// How many tokens Keystone issued (successful authentications).
    package var authenticationCount: Int {
        self.backend.state.withLock { $0.authenticationCount }
    }
}

// MARK: - Server

/// Who Keystone accepts.
private struct FakeOpenStackIdentity: Sendable {
    var username: String
    var password: String
    var projectName: String
    var projectID: String
}

/// Reads requests and answers them from the state, under its lock (nothing awaits while holding it).
private final class FakeOpenStackBackend: Sendable {
    static let authTokenHeader = HTTPField.Name("X-Auth-Token")!
    static let subjectTokenHeader = HTTPField.Name("X-Subject-Token")!
    static let maximumBodyBytes = 1024 * 1024

    let identity: FakeOpenStackIdentity
    let state: Mutex<FakeOpenStackState>

    init(identity: FakeOpenStackIdentity) {
        self.identity = identity
        self.state = Mutex(FakeOpenStackState())
    }

    func setPort(_ port: Int) {
        self.state.withLock { $0.port = port }
    }

    func respond(to request: Request) async -> Response {
        var request = request
        let method = request.method.rawValue
        let path = request.uri.path
        let query = request.uri.query ?? ""
        let token = request.headers[Self.authTokenHeader]
        let subject = request.headers[Self.subjectTokenHeader]
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Self.maximumBodyBytes)
        } catch {
            let answer = FakeOpenStackState.fault(413, message: "Request body too large")
            self.state.withLock {
                $0.requests.append(
                    FakeOpenStack.Request(
                        method: method,
                        path: path,
                        query: query,
                        hadValidToken: false,
                        status: answer.status
                    )
                )
            }
            return answer.response
        }
        let now = Date()
        let identity = self.identity
        let answer = self.state.withLock { state in
            state.answer(
                method: method,
                path: path,
                query: query,
                token: token,
                subjectToken: subject,
                body: body,
                now: now,
                identity: identity
            )
        }
        return answer.response
    }
}

/// An answer of the fake.
private struct FakeAnswer: Sendable {
    var status: Int
    var json: String?
    var subjectToken: String?

    init(status: Int, json: String? = nil, subjectToken: String? = nil) {
        self.status = status
        self.json = json
        self.subjectToken = subjectToken
    }

    var response: Response {
        var headers = HTTPFields()
        if let subjectToken = self.subjectToken {
            headers[FakeOpenStackBackend.subjectTokenHeader] = subjectToken
        }
        let status = HTTPResponse.Status(code: self.status)
        guard let json = self.json else {
            return Response(status: status, headers: headers)
        }
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
    }
}

/// Keystone's tokens, the services' resources, the injected failures and the request log.
private struct FakeOpenStackState {
    /// A pending injected failure.
    struct Failure {
        var remaining: Int
        var status: Int
        var fragment: String
    }

    var port = 0
    var tokenLifetime: TimeInterval = 3_600
    /// Token → expiry.
    var tokens: [String: Date] = [:]
    /// Server id → `ACTIVE` or `SHUTOFF`.
    var servers: [String: String] = [:]
    var volumes: Set<String> = []
    var snapshots: Set<String> = []
    /// Image id → whether it is protected.
    var images: [String: Bool] = [:]
    /// A Neutron router.
    struct Router {
        /// The ports attaching its subnets.
        var interfaces: Set<String>
        /// Whether it has an external gateway port.
        var gateway: Bool
    }

    var routers: [String: Router] = [:]
    var floatingIPs: Set<String> = []
    var failures: [Failure] = []
    /// A caller's token that validation knows.
    struct UserToken {
        var project: String?
        var roles: [String]
        var expiresAt: Date
    }

    var userTokens: [String: UserToken] = [:]
    var requests: [FakeOpenStack.Request] = []
    var authenticationCount = 0

    /// Answers a request and records it.
    mutating func answer(
        method: String,
        path: String,
        query: String = "",
        token: String?,
        subjectToken: String? = nil,
        body: ByteBuffer,
        now: Date,
        identity: FakeOpenStackIdentity
    ) -> FakeAnswer {
        var hadValidToken = false
        if let token, let expiry = self.tokens[token], expiry > now { hadValidToken = true }
        let answer = self.route(
            method: method,
            path: path,
            query: query,
            hadValidToken: hadValidToken,
            subjectToken: subjectToken,
            body: body,
            now: now,
            identity: identity
        )
        self.requests.append(
            FakeOpenStack.Request(
                method: method,
                path: path,
                query: query,
                hadValidToken: hadValidToken,
                status: answer.status
            )
        )
        return answer
    }

    private mutating func route(
        method: String,
        path: String,
        query: String,
        hadValidToken: Bool,
        subjectToken: String?,
        body: ByteBuffer,
        now: Date,
        identity: FakeOpenStackIdentity
    ) -> FakeAnswer {
        if let index = self.failures.firstIndex(where: { path.contains($0.fragment) }) {
            let status = self.failures[index].status
            self.failures[index].remaining -= 1
            if self.failures[index].remaining <= 0 { self.failures.remove(at: index) }
            if path.hasPrefix("/identity/") {
                return Self.keystoneError(status, title: "Injected", message: "Injected failure (HTTP \(status))")
            }
            return Self.fault(status, message: "Injected failure (HTTP \(status))")
        }

        var segments: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            guard let decoded = String(raw).removingPercentEncoding else {
                return Self.fault(400, message: "Malformed request url")
            }
            segments.append(decoded)
        }

        if segments == ["identity", "v3", "auth", "tokens"] {
            if method == "GET" {
                return self.validate(subjectToken, serviceTokenValid: hadValidToken, now: now)
            }
            guard method == "POST" else { return Self.fault(405, message: "Method not allowed") }
            return self.authenticate(body: body, now: now, identity: identity)
        }
        guard hadValidToken else {
            return Self.keystoneError(
                401,
                title: "Unauthorized",
                message: "The request you have made requires authentication."
            )
        }
        if segments.count == 5, segments[0] == "compute", segments[1] == "v2.1", segments[2] == "servers",
            segments[4] == "action", method == "POST"
        {
            return self.serverAction(segments[3], body: body)
        }
        if segments.count == 4, segments[0] == "compute", segments[1] == "v2.1", segments[2] == "servers",
            method == "DELETE"
        {
            return self.deleteServer(segments[3])
        }
        if segments.count == 4, segments[0] == "compute", segments[1] == "v2.1", segments[2] == "servers",
            method == "GET"
        {
            guard let state = self.servers[segments[3]] else {
                return Self.fault(404, message: "Instance \(segments[3]) could not be found.")
            }
            return FakeAnswer(status: 200, json: Self.json(["server": ["id": segments[3], "status": state]]))
        }
        if segments.count == 5, segments[0] == "volume", segments[1] == "v3", segments[3] == "volumes",
            method == "DELETE"
        {
            return self.deleteVolume(segments[4], project: segments[2], identity: identity)
        }
        if segments.count == 5, segments[0] == "volume", segments[1] == "v3", segments[3] == "snapshots",
            method == "DELETE"
        {
            return self.deleteSnapshot(segments[4], project: segments[2], identity: identity)
        }
        if segments.count == 4, segments[0] == "image", segments[1] == "v2", segments[2] == "images",
            method == "DELETE"
        {
            return self.deleteImage(segments[3])
        }
        if segments.count >= 3, segments[0] == "networking", segments[1] == "v2.0" {
            return self.neutron(method: method, Array(segments.dropFirst(2)), query: query, body: body)
        }
        return Self.fault(404, message: "The resource could not be found.")
    }

    // MARK: Keystone

    /// `GET /v3/auth/tokens`: 401 without a valid service token, 404 for an unknown or expired subject token.
    private func validate(_ subject: String?, serviceTokenValid: Bool, now: Date) -> FakeAnswer {
        guard serviceTokenValid else {
            return Self.keystoneError(
                401,
                title: "Unauthorized",
                message: "The request you have made requires authentication."
            )
        }
        guard let subject, let token = self.userTokens[subject], token.expiresAt > now else {
            return Self.keystoneError(404, title: "Not Found", message: "Could not find token.")
        }
        var body: [String: Any] = [
            "expires_at": BillingTime(date: token.expiresAt).iso8601,
            "issued_at": BillingTime(date: now).iso8601,
            "user": ["id": "user-\(token.project ?? "none")", "domain": ["id": "default"]],
            "roles": token.roles.map { ["id": $0, "name": $0] },
        ]
        if let project = token.project { body["project"] = ["id": project, "domain": ["id": "default"]] }
        return FakeAnswer(status: 200, json: Self.json(["token": body]))
    }

    private mutating func authenticate(body: ByteBuffer, now: Date, identity: FakeOpenStackIdentity) -> FakeAnswer {
        guard
            let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any],
            let auth = object["auth"] as? [String: Any],
            let identityObject = auth["identity"] as? [String: Any],
            let methods = identityObject["methods"] as? [Any],
            methods.contains(where: { ($0 as? String) == "password" }),
            let passwordObject = identityObject["password"] as? [String: Any],
            let userObject = passwordObject["user"] as? [String: Any],
            let name = userObject["name"] as? String,
            let password = userObject["password"] as? String,
            let scope = auth["scope"] as? [String: Any],
            let projectObject = scope["project"] as? [String: Any],
            let projectName = projectObject["name"] as? String
        else {
            return Self.keystoneError(400, title: "Bad Request", message: "Expecting to find auth in request body.")
        }
        guard name == identity.username, password == identity.password, projectName == identity.projectName else {
            return Self.keystoneError(
                401,
                title: "Unauthorized",
                message: "The request you have made requires authentication."
            )
        }
        let token = "gAAAAA" + Self.randomHex() + Self.randomHex()
        let expiresAt = now.addingTimeInterval(self.tokenLifetime)
        self.tokens[token] = expiresAt
        self.authenticationCount += 1

        let domain: [String: Any] = ["id": "default", "name": "Default"]
        let userID = "u-" + identity.username
        let user: [String: Any] = ["id": userID, "name": identity.username, "domain": domain]
        let project: [String: Any] = ["id": identity.projectID, "name": identity.projectName, "domain": domain]
        let role: [String: Any] = ["id": "r-admin", "name": "admin"]
        let tokenObject: [String: Any] = [
            "methods": ["password"] as [Any],
            "issued_at": BillingTime(date: now).iso8601,
            "expires_at": BillingTime(date: expiresAt).iso8601,
            "user": user,
            "project": project,
            "roles": [role] as [Any],
            "catalog": self.catalog(identity: identity),
        ]
        return FakeAnswer(status: 201, json: Self.json(["token": tokenObject]), subjectToken: token)
    }

    private func catalog(identity: FakeOpenStackIdentity) -> [Any] {
        let base = "http://127.0.0.1:\(self.port)"
        func endpoints(_ url: String) -> [Any] {
            ["public", "internal", "admin"].map { (interface: String) -> Any in
                [
                    "id": "\(interface)-\(url)",
                    "interface": interface,
                    "region": "RegionOne",
                    "region_id": "RegionOne",
                    "url": url,
                ] as [String: Any]
            }
        }
        let compute: [String: Any] = [
            "type": "compute",
            "name": "nova",
            "id": "svc-nova",
            "endpoints": endpoints("\(base)/compute/v2.1"),
        ]
        let volume: [String: Any] = [
            "type": "block-storage",
            "name": "cinderv3",
            "id": "svc-cinder",
            "endpoints": endpoints("\(base)/volume/v3/\(identity.projectID)"),
        ]
        let image: [String: Any] = [
            "type": "image",
            "name": "glance",
            "id": "svc-glance",
            "endpoints": endpoints("\(base)/image"),
        ]
        let network: [String: Any] = [
            "type": "network",
            "name": "neutron",
            "id": "svc-neutron",
            "endpoints": endpoints("\(base)/networking"),
        ]
        return [compute, volume, image, network]
    }

    // MARK: Nova

    private mutating func serverAction(_ id: String, body: ByteBuffer) -> FakeAnswer {
        guard
            let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any],
            object.count == 1,
            let action = object.keys.first,
            action == "os-stop" || action == "os-start"
        else {
            return Self.fault(400, message: "Invalid input for field/attribute action.")
        }
        guard let state = self.servers[id] else {
            return Self.fault(404, message: "Instance \(id) could not be found.")
        }
        let (from, to, verb, vmState) =
            action == "os-stop" ? ("ACTIVE", "SHUTOFF", "stop", "stopped") : ("SHUTOFF", "ACTIVE", "start", "active")
        guard state == from else {
            return Self.fault(409, message: "Cannot '\(verb)' instance \(id) while it is in vm_state \(vmState)")
        }
        self.servers[id] = to
        return FakeAnswer(status: 202)
    }

    private mutating func deleteServer(_ id: String) -> FakeAnswer {
        guard self.servers.removeValue(forKey: id) != nil else {
            return Self.fault(404, message: "Instance \(id) could not be found.")
        }
        return FakeAnswer(status: 204)
    }

    // MARK: Cinder

    private mutating func deleteVolume(_ id: String, project: String, identity: FakeOpenStackIdentity) -> FakeAnswer {
        guard project == identity.projectID, self.volumes.remove(id) != nil else {
            return Self.fault(404, message: "Volume \(id) could not be found.")
        }
        return FakeAnswer(status: 202)
    }

    private mutating func deleteSnapshot(_ id: String, project: String, identity: FakeOpenStackIdentity) -> FakeAnswer {
        guard project == identity.projectID, self.snapshots.remove(id) != nil else {
            return Self.fault(404, message: "Snapshot \(id) could not be found.")
        }
        return FakeAnswer(status: 202)
    }

    // MARK: Glance

    private mutating func deleteImage(_ id: String) -> FakeAnswer {
        guard let protected = self.images[id] else {
            return Self.webobError(404, title: "Not Found", message: "No image found with ID \(id)")
        }
        if protected {
            return Self.webobError(403, title: "Forbidden", message: "Image \(id) is protected and cannot be deleted.")
        }
        self.images[id] = nil
        return FakeAnswer(status: 204)
    }

    // MARK: Neutron

    /// `/networking/v2.0/<rest>`.
    private mutating func neutron(method: String, _ rest: [String], query: String, body: ByteBuffer) -> FakeAnswer {
        switch (method, rest.count, rest.first) {
        case ("GET", 1, "ports"):
            return self.listPorts(query: query)
        case ("PUT", 3, "routers") where rest[2] == "remove_router_interface":
            return self.removeRouterInterface(rest[1], body: body)
        case ("DELETE", 2, "routers"):
            let id = rest[1]
            guard let router = self.routers[id] else {
                return Self.neutronError(404, type: "RouterNotFound", message: "Router \(id) could not be found")
            }
            guard router.interfaces.isEmpty else {
                return Self.neutronError(
                    409,
                    type: "RouterInUse",
                    message: "Router \(id) still has ports"
                )
            }
            self.routers[id] = nil
            return FakeAnswer(status: 204)
        case ("DELETE", 2, "floatingips"):
            let id = rest[1]
            guard self.floatingIPs.remove(id) != nil else {
                return Self.neutronError(
                    404,
                    type: "FloatingIPNotFound",
                    message: "Floating IP \(id) could not be found"
                )
            }
            return FakeAnswer(status: 204)
        default:
            return Self.neutronError(404, type: "HTTPNotFound", message: "The resource could not be found.")
        }
    }

    /// `GET /v2.0/ports?device_id=…`: a router's ports (interfaces, then its gateway); every port without the filter.
    private func listPorts(query: String) -> FakeAnswer {
        var deviceIDs: Set<String> = []
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            if parts.count == 2, parts[0] == "device_id" { deviceIDs.insert(parts[1]) }
        }
        var ports: [Any] = []
        for (id, router) in self.routers.sorted(by: { $0.key < $1.key })
        where deviceIDs.isEmpty || deviceIDs.contains(id) {
            for port in router.interfaces.sorted() {
                ports.append(["id": port, "device_owner": "network:router_interface"] as [String: Any])
            }
            if router.gateway {
                ports.append(["id": "gw-\(id)", "device_owner": "network:router_gateway"] as [String: Any])
            }
        }
        return FakeAnswer(status: 200, json: Self.json(["ports": ports]))
    }

    /// `PUT /v2.0/routers/{id}/remove_router_interface` `{"port_id": …}`.
    private mutating func removeRouterInterface(_ id: String, body: ByteBuffer) -> FakeAnswer {
        guard
            let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any],
            let port = object["port_id"] as? String
        else {
            return Self.neutronError(400, type: "BadRequest", message: "Either subnet_id or port_id must be specified")
        }
        guard self.routers[id] != nil else {
            return Self.neutronError(404, type: "RouterNotFound", message: "Router \(id) could not be found")
        }
        guard self.routers[id]?.interfaces.remove(port) != nil else {
            return Self.neutronError(
                404,
                type: "RouterInterfaceNotFound",
                message: "Router \(id) does not have an interface with id \(port)"
            )
        }
        return FakeAnswer(status: 200, json: Self.json(["id": id, "port_id": port]))
    }

    // MARK: Bodies

    /// Nova's and Cinder's error body: `{"<fault>": {"message": …, "code": …}}`.
    static func fault(_ status: Int, message: String) -> FakeAnswer {
        let key: String
        switch status {
        case 400: key = "badRequest"
        case 401: key = "unauthorized"
        case 403: key = "forbidden"
        case 404: key = "itemNotFound"
        case 405: key = "HTTPMethodNotAllowed"
        case 409: key = "conflictingRequest"
        case 413, 429: key = "overLimit"
        case 501: key = "notImplemented"
        case 503: key = "serviceUnavailable"
        default: key = "computeFault"
        }
        let inner: [String: Any] = ["message": message, "code": status]
        return FakeAnswer(status: status, json: Self.json([key: inner]))
    }

    /// Neutron's error body: `{"NeutronError": {"type", "message", "detail"}}`.
    static func neutronError(_ status: Int, type: String, message: String) -> FakeAnswer {
        let inner: [String: Any] = ["type": type, "message": message, "detail": ""]
        return FakeAnswer(status: status, json: Self.json(["NeutronError": inner]))
    }

    /// Glance's error body, as WebOb renders it for `Accept: application/json`: `{"message", "code", "title"}`.
    static func webobError(_ status: Int, title: String, message: String) -> FakeAnswer {
        let body: [String: Any] = [
            "message": "The request could not be completed.<br /><br />\n\(message)\n\n   ",
            "code": "\(status) \(title)",
            "title": title,
        ]
        return FakeAnswer(status: status, json: Self.json(body))
    }

    /// Keystone's error body: `{"error": {"code", "title", "message"}}`.
    static func keystoneError(_ status: Int, title: String, message: String) -> FakeAnswer {
        let inner: [String: Any] = ["code": status, "title": title, "message": message]
        return FakeAnswer(status: status, json: Self.json(["error": inner]))
    }

    /// A JSON object's text, keys sorted.
    static func json(_ object: [String: Any]) -> String {
        guard
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]),
            let text = String(data: data, encoding: .utf8)
        else {
            preconditionFailure("the fake's bodies are valid JSON objects")
        }
        return text
    }

    /// 32 random lowercase hexadecimal digits.
    static func randomHex() -> String {
        UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }
}
