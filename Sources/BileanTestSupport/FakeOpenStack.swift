package import BileanCore
package import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A small Keystone, Nova, Cinder, Glance and Neutron on a local port, for the tests of the freeze actions and of
/// the inventory listings (the real services cannot run here).
///
/// - Keystone: `POST /identity/v3/auth/tokens` with v3 password auth, checking the user name, password and project
///   name; answers 201 with `X-Subject-Token` and a token whose catalog lists `compute` (`/compute/v2.1`),
///   `block-storage` (`/volume/v3/<projectID>`), `image` (`/image`) and `network` (`/networking`), the last two
///   unversioned as DevStack registers them, with the `public`, `internal` and `admin` interfaces in `RegionOne`.
/// - Nova: `POST /compute/v2.1/servers/{id}/action` with `os-stop` (202, or 409 when already `SHUTOFF`) or
///   `os-start` (202, or 409 when already `ACTIVE`), `GET /compute/v2.1/servers/{id}` (its `status`; a server
///   set to another state, e.g. `RESIZE`, answers 409 to both actions) and `DELETE /compute/v2.1/servers/{id}` (204; the server
///   moves to the `deleted=true` listing).
/// - Cinder: `DELETE /volume/v3/{project}/volumes/{id}` and `DELETE /volume/v3/{project}/snapshots/{id}` (202).
/// - Glance: `DELETE /image/v2/images/{id}` (204, or 403 for a protected image, with WebOb's JSON error
///   `{"message", "code", "title"}`).
/// - Neutron: `GET /networking/v2.0/ports?device_id={router}` (the router's interface and gateway ports),
///   `PUT /networking/v2.0/routers/{id}/remove_router_interface` `{"port_id"}` (200), `DELETE
///   /networking/v2.0/routers/{id}` (204, or 409 `RouterInUse` while a subnet is attached) and `DELETE
///   /networking/v2.0/floatingips/{id}` (204); errors as `{"NeutronError": {"type", "message", "detail"}}`.
/// - Listings, paged as the real APIs page (`limit`, capped at ``maximumPageSize``; `marker`, the last id of the
///   previous page; a full page has a next link, in each service's shape) from the resources the test adds:
///   Nova `GET /compute/v2.1/servers/detail` (`all_tenants`, `deleted=true`; the flavor as an object with
///   `original_name` from compute microversion 2.47; `servers_links`), Cinder `GET /volume/v3/{project}/volumes/detail`
///   and `…/snapshots/detail` (`all_tenants`; `volumes_links`, `snapshots_links`), Neutron `GET
///   /networking/v2.0/floatingips` and `…/routers` (`floatingips_links`, `routers_links`, with `previous` links) and
///   Glance `GET /image/v2/images` (`visibility=all` for community images, `os_hidden=true` for hidden ones; the
///   top-level `next`). Nova, Cinder and Glance list newest first, Neutron by id; an unknown marker is a 400.
///   Times are printed as each service prints them: `2026-12-01T10:00:00Z` (Nova's `created`, Neutron, Glance) or
///   `2026-12-01T10:00:00.123456` (Nova's `OS-SRV-USG` times, Cinder).
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

    /// The project that owns what is added without one.
    package static let defaultProject = "project-1"
    /// When what is added without times was created: 2026-12-01T10:00:00Z.
    package static let defaultTime = BillingTime(seconds: 1_796_119_200)

    /// The most items a listing page holds whatever `limit` asks, and the page size without `limit` (Nova's, Cinder's
    /// and Glance's `max_limit`; 1000 by default). A full page has a next link.
    package var maximumPageSize: Int {
        get { self.backend.state.withLock { $0.maximumPageSize } }
        set { self.backend.state.withLock { $0.maximumPageSize = max(1, newValue) } }
    }

    /// Whether the listings ignore `marker`, as a broken proxy dropping it would: every request gets the first page
    /// again, with the same next link, so following the links loops.
    package var ignoreMarkers: Bool {
        get { self.backend.state.withLock { $0.ignoreMarkers } }
        set { self.backend.state.withLock { $0.ignoreMarkers = newValue } }
    }

    /// Adds a Nova server.
    /// - Parameters:
    ///   - id: Its id.
    ///   - state: `ACTIVE` or `SHUTOFF`.
    ///   - project: Its project (`tenant_id`).
    ///   - flavor: Its flavor's name (`flavor.original_name` from compute microversion 2.47).
    ///   - created: When it was requested (`created`).
    ///   - launchedAt: When it first ran (`OS-SRV-USG:launched_at`); `nil` for a server that never ran.
    ///   - updated: When it last changed (`updated`); `created` when `nil`.
    package func addServer(
        _ id: String,
        state: String = "ACTIVE",
        project: String = FakeOpenStack.defaultProject,
        flavor: String = "m1.small",
        created: BillingTime = FakeOpenStack.defaultTime,
        launchedAt: BillingTime? = nil,
        updated: BillingTime? = nil
    ) {
        let server = FakeOpenStackState.Server(
            state: state,
            project: project,
            flavor: flavor,
            created: created,
            launchedAt: launchedAt,
            updated: updated ?? created
        )
        self.backend.state.withLock { $0.servers[id] = server }
    }

    /// Deletes a server as Nova does (`DELETE /servers/{id}` too, at the current time): it leaves the live listing
    /// and shows in the `deleted=true` one, `DELETED`, with its `OS-SRV-USG:terminated_at`.
    /// - Parameters:
    ///   - id: Its id.
    ///   - terminatedAt: When it ended (`null` when `nil`); its `updated` too, when given.
    /// - Returns: `false` when no live server has that id.
    @discardableResult
    package func deleteServerRecord(_ id: String, terminatedAt: BillingTime?) -> Bool {
        self.backend.state.withLock { $0.deleteServerRecord(id, at: terminatedAt) }
    }

    /// Adds a Cinder volume.
    /// - Parameters:
    ///   - id: Its id.
    ///   - project: Its project (`os-vol-tenant-attr:tenant_id`).
    ///   - size: Its size in GB.
    ///   - volumeType: Its type's name (`null` when `nil`).
    ///   - createdAt: `created_at`.
    ///   - updatedAt: `updated_at` (`null` when `nil`, as for a volume never updated).
    package func addVolume(
        _ id: String,
        project: String = FakeOpenStack.defaultProject,
        size: Int = 1,
        volumeType: String? = "lvmdriver-1",
        createdAt: BillingTime = FakeOpenStack.defaultTime,
        updatedAt: BillingTime? = nil
    ) {
        let volume = FakeOpenStackState.Volume(
            project: project,
            size: size,
            volumeType: volumeType,
            createdAt: createdAt,
            updatedAt: updatedAt
        )
        self.backend.state.withLock { $0.volumes[id] = volume }
    }

    /// Adds a Cinder snapshot.
    /// - Parameters:
    ///   - id: Its id.
    ///   - project: Its project (`os-extended-snapshot-attributes:project_id`).
    ///   - size: Its size in GB (its volume's).
    ///   - createdAt: `created_at`.
    ///   - updatedAt: `updated_at` (`null` when `nil`).
    package func addSnapshot(
        _ id: String,
        project: String = FakeOpenStack.defaultProject,
        size: Int = 1,
        createdAt: BillingTime = FakeOpenStack.defaultTime,
        updatedAt: BillingTime? = nil
    ) {
        let snapshot = FakeOpenStackState.Volume(
            project: project,
            size: size,
            volumeType: nil,
            createdAt: createdAt,
            updatedAt: updatedAt
        )
        self.backend.state.withLock { $0.snapshots[id] = snapshot }
    }

    /// Adds a Glance image.
    /// - Parameters:
    ///   - id: Its id.
    ///   - protected: Whether it is protected (Glance refuses to delete it: 403).
    ///   - owner: Its project (`owner`; `null` when `nil`).
    ///   - size: Its size in bytes (`null` when `nil`).
    ///   - status: `active`, `queued`, `saving`, `deactivated`, …
    ///   - visibility: `public`, `private`, `shared` or `community` (listed by default only with `visibility=all`).
    ///   - hidden: `os_hidden` (listed only with `os_hidden=true`).
    ///   - createdAt: `created_at`.
    ///   - updatedAt: `updated_at`; `createdAt` when `nil`.
    package func addImage(
        _ id: String,
        protected: Bool = false,
        owner: String? = FakeOpenStack.defaultProject,
        size: Int? = 1_024,
        status: String = "active",
        visibility: String = "private",
        hidden: Bool = false,
        createdAt: BillingTime = FakeOpenStack.defaultTime,
        updatedAt: BillingTime? = nil
    ) {
        let image = FakeOpenStackState.Image(
            protected: protected,
            owner: owner,
            size: size,
            status: status,
            visibility: visibility,
            hidden: hidden,
            createdAt: createdAt,
            updatedAt: updatedAt ?? createdAt
        )
        self.backend.state.withLock { $0.images[id] = image }
    }

    /// Adds a Neutron router.
    /// - Parameters:
    ///   - id: Its id.
    ///   - interfaces: The ids of the ports that attach its subnets.
    ///   - gateway: Whether it has an external gateway (a port that goes with the router).
    ///   - project: Its project (`project_id` and `tenant_id`).
    ///   - createdAt: `created_at`.
    ///   - updatedAt: `updated_at`; `createdAt` when `nil`.
    package func addRouter(
        _ id: String,
        interfaces: [String] = [],
        gateway: Bool = true,
        project: String = FakeOpenStack.defaultProject,
        createdAt: BillingTime = FakeOpenStack.defaultTime,
        updatedAt: BillingTime? = nil
    ) {
        let router = FakeOpenStackState.Router(
            interfaces: Set(interfaces),
            gateway: gateway,
            owner: FakeOpenStackState.NeutronOwner(project: project, createdAt: createdAt, updatedAt: updatedAt)
        )
        self.backend.state.withLock { $0.routers[id] = router }
    }

    /// Adds a Neutron floating IP.
    /// - Parameters:
    ///   - id: Its id.
    ///   - project: Its project (`project_id` and `tenant_id`).
    ///   - createdAt: `created_at`.
    ///   - updatedAt: `updated_at`; `createdAt` when `nil`.
    package func addFloatingIP(
        _ id: String,
        project: String = FakeOpenStack.defaultProject,
        createdAt: BillingTime = FakeOpenStack.defaultTime,
        updatedAt: BillingTime? = nil
    ) {
        let owner = FakeOpenStackState.NeutronOwner(project: project, createdAt: createdAt, updatedAt: updatedAt)
        self.backend.state.withLock { $0.floatingIPs[id] = owner }
    }

    /// Whether a snapshot exists.
    /// - Parameter id: Its id.
    /// - Returns: `false` when it was deleted or never existed.
    package func snapshotExists(_ id: String) -> Bool {
        self.backend.state.withLock { $0.snapshots[id] != nil }
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
        self.backend.state.withLock { $0.floatingIPs[id] != nil }
    }

    /// A server's state.
    /// - Parameter id: Its id.
    /// - Returns: `ACTIVE`, `SHUTOFF`, or `nil` when it was deleted or never existed.
    package func serverState(_ id: String) -> String? {
        self.backend.state.withLock { $0.servers[id]?.state }
    }

    /// Whether a volume exists.
    /// - Parameter id: Its id.
    /// - Returns: `false` when it was deleted or never existed.
    package func volumeExists(_ id: String) -> Bool {
        self.backend.state.withLock { $0.volumes[id] != nil }
    }

    /// Makes the next `count` requests whose path (as sent, percent-encoded) contains `fragment` answer `status`
    /// with an OpenStack error JSON, before any other check (the token's included), once `skipped` such requests
    /// have been answered as usual: `failNext(1, status: 503, onPathContaining: "/servers/detail", after: 1)` fails
    /// the second page of a listing. A 401 outside Keystone also revokes every token, as Keystone revoking the
    /// token would.
    /// - Parameters:
    ///   - count: How many requests fail.
    ///   - status: The status, 100–599.
    ///   - fragment: The text the path must contain (`/servers/`, `auth/tokens`).
    ///   - skipped: How many matching requests are answered as usual first.
    package func failNext(_ count: Int, status: Int, onPathContaining fragment: String, after skipped: Int = 0) {
        precondition((100...599).contains(status), "an HTTP status is 100-599")
        guard count > 0 else { return }
        let failure = FakeOpenStackState.Failure(
            remaining: count,
            status: status,
            fragment: fragment,
            skipped: max(0, skipped)
        )
        self.backend.state.withLock { $0.failures.append(failure) }
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
    static let apiVersionHeader = HTTPField.Name("OpenStack-API-Version")!
    static let novaVersionHeader = HTTPField.Name("X-OpenStack-Nova-API-Version")!
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
        let microversion = Self.computeMicroversion(request.headers)
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
                microversion: microversion,
                now: now,
                identity: identity
            )
        }
        return answer.response
    }

    /// The compute microversion asked for: `OpenStack-API-Version: compute 2.47`, else
    /// `X-OpenStack-Nova-API-Version: 2.47`; `nil` for none (2.1).
    static func computeMicroversion(_ headers: HTTPFields) -> (major: Int, minor: Int)? {
        var text: Substring?
        if let header = headers[Self.apiVersionHeader] {
            let words = header.split(separator: " ")
            if words.count == 2, words[0].lowercased() == "compute" { text = words[1] }
        }
        if text == nil, let header = headers[Self.novaVersionHeader] { text = Substring(header) }
        guard let parts = text?.split(separator: "."), parts.count == 2, let major = Int(parts[0]),
            let minor = Int(parts[1])
        else { return nil }
        return (major, minor)
    }
}

/// Why the fake refuses a listing request (400), in the service's words.
private struct ListingRefusal: Error {
    var message: String
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
        /// How many matching requests are still answered as usual first.
        var skipped = 0
    }

    /// A Nova server.
    struct Server {
        /// `ACTIVE`, `SHUTOFF`, … (`DELETED` once deleted).
        var state: String
        var project: String
        /// The flavor's name.
        var flavor: String
        var created: BillingTime
        var launchedAt: BillingTime?
        var updated: BillingTime
        var terminatedAt: BillingTime? = nil
    }

    /// A Cinder volume or snapshot.
    struct Volume {
        var project: String
        /// GB.
        var size: Int
        /// A volume's type (none for a snapshot).
        var volumeType: String?
        var createdAt: BillingTime
        var updatedAt: BillingTime?
    }

    /// A Glance image.
    struct Image {
        /// Whether Glance refuses to delete it.
        var protected: Bool
        var owner: String?
        /// Bytes.
        var size: Int?
        var status: String
        var visibility: String
        /// `os_hidden`.
        var hidden: Bool
        var createdAt: BillingTime
        var updatedAt: BillingTime
    }

    /// The owner and times of a Neutron object.
    struct NeutronOwner {
        var project: String
        var createdAt: BillingTime
        /// `createdAt` when `nil`.
        var updatedAt: BillingTime?
    }

    /// A Neutron router.
    struct Router {
        /// The ports attaching its subnets.
        var interfaces: Set<String>
        /// Whether it has an external gateway port.
        var gateway: Bool
        var owner: NeutronOwner
    }

    var port = 0
    var tokenLifetime: TimeInterval = 3_600
    /// Token → expiry.
    var tokens: [String: Date] = [:]
    var servers: [String: Server] = [:]
    /// The servers Nova lists with `deleted=true`.
    var deletedServers: [String: Server] = [:]
    var volumes: [String: Volume] = [:]
    var snapshots: [String: Volume] = [:]
    var images: [String: Image] = [:]
    var routers: [String: Router] = [:]
    var floatingIPs: [String: NeutronOwner] = [:]
    /// The most items a listing page holds.
    var maximumPageSize = 1_000
    /// Whether the listings ignore `marker`.
    var ignoreMarkers = false
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
        microversion: (major: Int, minor: Int)? = nil,
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
            microversion: microversion,
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
        microversion: (major: Int, minor: Int)?,
        now: Date,
        identity: FakeOpenStackIdentity
    ) -> FakeAnswer {
        if let index = self.failures.firstIndex(where: { path.contains($0.fragment) }) {
            if self.failures[index].skipped > 0 {
                self.failures[index].skipped -= 1
            } else {
                let status = self.failures[index].status
                self.failures[index].remaining -= 1
                if self.failures[index].remaining <= 0 { self.failures.remove(at: index) }
                if path.hasPrefix("/identity/") {
                    return Self.keystoneError(status, title: "Injected", message: "Injected failure (HTTP \(status))")
                }
                if status == 401 { self.tokens.removeAll() }
                return Self.fault(status, message: "Injected failure (HTTP \(status))")
            }
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
        if method == "GET", segments == ["compute", "v2.1", "servers", "detail"] {
            return self.listServers(query: query, microversion: microversion, identity: identity)
        }
        if method == "GET", segments.count == 5, segments[0] == "volume", segments[1] == "v3",
            segments[2] == identity.projectID, segments[3] == "volumes" || segments[3] == "snapshots",
            segments[4] == "detail"
        {
            return self.listCinder(segments[3], query: query, identity: identity)
        }
        if method == "GET", segments == ["image", "v2", "images"] {
            return self.listImages(query: query)
        }
        if segments.count == 5, segments[0] == "compute", segments[1] == "v2.1", segments[2] == "servers",
            segments[4] == "action", method == "POST"
        {
            return self.serverAction(segments[3], body: body)
        }
        if segments.count == 4, segments[0] == "compute", segments[1] == "v2.1", segments[2] == "servers",
            method == "DELETE"
        {
            return self.deleteServer(segments[3], now: BillingTime(date: now))
        }
        if segments.count == 4, segments[0] == "compute", segments[1] == "v2.1", segments[2] == "servers",
            method == "GET"
        {
            guard let state = self.servers[segments[3]]?.state else {
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
        guard let state = self.servers[id]?.state else {
            return Self.fault(404, message: "Instance \(id) could not be found.")
        }
        let (from, to, verb, vmState) =
            action == "os-stop" ? ("ACTIVE", "SHUTOFF", "stop", "stopped") : ("SHUTOFF", "ACTIVE", "start", "active")
        guard state == from else {
            return Self.fault(409, message: "Cannot '\(verb)' instance \(id) while it is in vm_state \(vmState)")
        }
        self.servers[id]?.state = to
        return FakeAnswer(status: 202)
    }

    private mutating func deleteServer(_ id: String, now: BillingTime) -> FakeAnswer {
        guard self.deleteServerRecord(id, at: now) else {
            return Self.fault(404, message: "Instance \(id) could not be found.")
        }
        return FakeAnswer(status: 204)
    }

    /// Moves a live server to the deleted ones, `DELETED`, terminated (and updated) at `time`.
    mutating func deleteServerRecord(_ id: String, at time: BillingTime?) -> Bool {
        guard var server = self.servers.removeValue(forKey: id) else { return false }
        server.state = "DELETED"
        server.terminatedAt = time
        if let time { server.updated = time }
        self.deletedServers[id] = server
        return true
    }

    // MARK: Cinder

    private mutating func deleteVolume(_ id: String, project: String, identity: FakeOpenStackIdentity) -> FakeAnswer {
        guard project == identity.projectID, self.volumes.removeValue(forKey: id) != nil else {
            return Self.fault(404, message: "Volume \(id) could not be found.")
        }
        return FakeAnswer(status: 202)
    }

    private mutating func deleteSnapshot(_ id: String, project: String, identity: FakeOpenStackIdentity) -> FakeAnswer {
        guard project == identity.projectID, self.snapshots.removeValue(forKey: id) != nil else {
            return Self.fault(404, message: "Snapshot \(id) could not be found.")
        }
        return FakeAnswer(status: 202)
    }

    // MARK: Glance

    private mutating func deleteImage(_ id: String) -> FakeAnswer {
        guard let protected = self.images[id]?.protected else {
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
        case ("GET", 1, "floatingips"):
            return self.listNeutron("floatingips", self.floatingIPs, query: query)
        case ("GET", 1, "routers"):
            return self.listNeutron("routers", self.routers.mapValues(\.owner), query: query)
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
            guard self.floatingIPs.removeValue(forKey: id) != nil else {
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
        let deviceIDs = Set(Self.queryPairs(query).filter { $0.name == "device_id" }.map(\.value))
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

    // MARK: Listings

    /// An object a listing shows: its id, its creation time (the order of Nova, Cinder and Glance) and its JSON.
    struct Listed {
        var id: String
        var created: BillingTime
        var json: [String: Any]
    }

    /// One page of a listing.
    struct ListingPage {
        /// The objects' JSON, in order.
        var items: [Any]
        /// The next page's query, percent-encoded; `nil` on the last page.
        var nextQuery: String?
        /// The id of the first object, for Neutron's `previous` link.
        var firstID: String?
    }

    /// A page of a listing, as the services page it, or the reason for a 400.
    ///
    /// The objects are sorted newest first (Nova, Cinder, Glance: `created_at` then id, descending) or by id
    /// (Neutron). The page holds the objects after `marker` (from the first without one, or with ``ignoreMarkers``),
    /// at most `limit` (``maximumPageSize`` without it, and at most that). A full page has a next query: the
    /// request's, with `marker` set to its last id.
    func page(
        _ objects: [Listed],
        query: [(name: String, value: String)],
        newestFirst: Bool = true
    ) -> Result<ListingPage, ListingRefusal> {
        let sorted = objects.sorted { newestFirst ? ($0.created, $0.id) > ($1.created, $1.id) : $0.id < $1.id }
        var size = self.maximumPageSize
        if let text = query.last(where: { $0.name == "limit" })?.value {
            guard let limit = Int(text), limit >= 0 else {
                return .failure(ListingRefusal(message: "limit must be an integer 0 or greater"))
            }
            size = min(limit, size)
        }
        var start = 0
        if !self.ignoreMarkers, let marker = query.last(where: { $0.name == "marker" })?.value {
            guard let index = sorted.firstIndex(where: { $0.id == marker }) else {
                return .failure(ListingRefusal(message: "marker [\(marker)] not found"))
            }
            start = index + 1
        }
        let items = sorted[start..<min(sorted.count, start + size)]
        var nextQuery: String?
        if size > 0, items.count == size, let last = items.last {
            nextQuery = Self.encodedQuery(query.filter { $0.name != "marker" } + [(name: "marker", value: last.id)])
        }
        return .success(ListingPage(items: items.map(\.json), nextQuery: nextQuery, firstID: items.first?.id))
    }

    /// `GET /compute/v2.1/servers/detail`: the token's project's servers, every project's with `all_tenants`, the
    /// deleted ones with `deleted=true`; the flavor is an object with `original_name` from microversion 2.47 (else
    /// `{"id", "links"}`); paged by `servers_links`.
    private func listServers(
        query text: String,
        microversion: (major: Int, minor: Int)?,
        identity: FakeOpenStackIdentity
    ) -> FakeAnswer {
        let query = Self.queryPairs(text)
        let allTenants = Self.isTrue(query, "all_tenants")
        let flavorObjects = microversion.map { $0.major > 2 || ($0.major == 2 && $0.minor >= 47) } ?? false
        let servers = Self.isTrue(query, "deleted") ? self.deletedServers : self.servers
        let base = "http://127.0.0.1:\(self.port)/compute/v2.1"
        var objects: [Listed] = []
        for (id, server) in servers where allTenants || server.project == identity.projectID {
            let flavor: [String: Any] =
                flavorObjects
                ? [
                    "original_name": server.flavor, "vcpus": 1, "ram": 512, "disk": 1, "ephemeral": 0, "swap": 0,
                    "extra_specs": [String: Any](),
                ]
                : ["id": "flavor-\(server.flavor)", "links": [Any]()]
            let json: [String: Any] = [
                "id": id,
                "name": "server-\(id)",
                "status": server.state,
                "tenant_id": server.project,
                "user_id": "u-\(server.project)",
                "created": Self.secondsText(server.created),
                "updated": Self.secondsText(server.updated),
                "OS-SRV-USG:launched_at": Self.microsecondsText(server.launchedAt),
                "OS-SRV-USG:terminated_at": Self.microsecondsText(server.terminatedAt),
                "flavor": flavor,
                "links": [["href": "\(base)/servers/\(id)", "rel": "self"]],
            ]
            objects.append(Listed(id: id, created: server.created, json: json))
        }
        switch self.page(objects, query: query) {
        case .failure(let refusal):
            return Self.fault(400, message: refusal.message)
        case .success(let page):
            return Self.linkedPage("servers", page, url: "\(base)/servers/detail")
        }
    }

    /// `GET /volume/v3/{project}/volumes/detail` and `…/snapshots/detail`: the token's project's, every project's
    /// with `all_tenants`; paged by `volumes_links` and `snapshots_links`.
    private func listCinder(
        _ collection: String,
        query text: String,
        identity: FakeOpenStackIdentity
    ) -> FakeAnswer {
        let query = Self.queryPairs(text)
        let allTenants = Self.isTrue(query, "all_tenants")
        var objects: [Listed] = []
        if collection == "volumes" {
            for (id, volume) in self.volumes where allTenants || volume.project == identity.projectID {
                let json: [String: Any] = [
                    "id": id,
                    "name": "volume-\(id)",
                    "status": "available",
                    "size": volume.size,
                    "volume_type": volume.volumeType ?? NSNull(),
                    "os-vol-tenant-attr:tenant_id": volume.project,
                    "created_at": Self.microsecondsText(volume.createdAt),
                    "updated_at": Self.microsecondsText(volume.updatedAt),
                ]
                objects.append(Listed(id: id, created: volume.createdAt, json: json))
            }
        } else {
            for (id, snapshot) in self.snapshots where allTenants || snapshot.project == identity.projectID {
                let json: [String: Any] = [
                    "id": id,
                    "name": "snapshot-\(id)",
                    "status": "available",
                    "size": snapshot.size,
                    "volume_id": "volume-of-\(id)",
                    "os-extended-snapshot-attributes:project_id": snapshot.project,
                    "os-extended-snapshot-attributes:progress": "100%",
                    "created_at": Self.microsecondsText(snapshot.createdAt),
                    "updated_at": Self.microsecondsText(snapshot.updatedAt),
                ]
                objects.append(Listed(id: id, created: snapshot.createdAt, json: json))
            }
        }
        switch self.page(objects, query: query) {
        case .failure(let refusal):
            return Self.fault(400, message: refusal.message)
        case .success(let page):
            let url = "http://127.0.0.1:\(self.port)/volume/v3/\(identity.projectID)/\(collection)/detail"
            return Self.linkedPage(collection, page, url: url)
        }
    }

    /// `GET /image/v2/images`: every project's images (the token is an admin's) but community ones, which
    /// `visibility=all` (or `community`) adds, and hidden ones, which only `os_hidden=true` lists (alone); paged by
    /// the top-level `next` (a path and query).
    private func listImages(query text: String) -> FakeAnswer {
        let query = Self.queryPairs(text)
        let visibility = query.last(where: { $0.name == "visibility" })?.value
        let hidden = Self.isTrue(query, "os_hidden")
        var objects: [Listed] = []
        for (id, image) in self.images where image.hidden == hidden {
            switch visibility {
            case nil: guard image.visibility != "community" else { continue }
            case "all": break
            case let visibility?: guard image.visibility == visibility else { continue }
            }
            let json: [String: Any] = [
                "id": id,
                "name": "image-\(id)",
                "status": image.status,
                "visibility": image.visibility,
                "os_hidden": image.hidden,
                "protected": image.protected,
                "owner": image.owner ?? NSNull(),
                "size": image.size ?? NSNull(),
                "created_at": Self.secondsText(image.createdAt),
                "updated_at": Self.secondsText(image.updatedAt),
                "self": "/v2/images/\(id)",
                "file": "/v2/images/\(id)/file",
                "schema": "/v2/schemas/image",
            ]
            objects.append(Listed(id: id, created: image.createdAt, json: json))
        }
        switch self.page(objects, query: query) {
        case .failure(let refusal):
            return Self.webobError(400, title: "Bad Request", message: refusal.message)
        case .success(let page):
            let first = Self.encodedQuery(query.filter { $0.name != "marker" })
            var body: [String: Any] = [
                "images": page.items,
                "first": "/v2/images" + (first.isEmpty ? "" : "?" + first),
                "schema": "/v2/schemas/images",
            ]
            if let next = page.nextQuery { body["next"] = "/v2/images?" + next }
            return FakeAnswer(status: 200, json: Self.json(body))
        }
    }

    /// `GET /networking/v2.0/floatingips` and `…/routers`: every project's (the token is an admin's), by id, with
    /// `project_id` and `tenant_id`; paged by `<collection>_links`, `next` and, after the first page, `previous`.
    private func listNeutron(
        _ collection: String,
        _ owners: [String: NeutronOwner],
        query text: String
    ) -> FakeAnswer {
        let query = Self.queryPairs(text)
        var objects: [Listed] = []
        for (id, owner) in owners {
            let json: [String: Any] = [
                "id": id,
                "project_id": owner.project,
                "tenant_id": owner.project,
                "status": "ACTIVE",
                "revision_number": 1,
                "created_at": Self.secondsText(owner.createdAt),
                "updated_at": Self.secondsText(owner.updatedAt ?? owner.createdAt),
            ]
            objects.append(Listed(id: id, created: owner.createdAt, json: json))
        }
        switch self.page(objects, query: query, newestFirst: false) {
        case .failure(let refusal):
            return Self.neutronError(400, type: "BadRequest", message: refusal.message)
        case .success(let page):
            let url = "http://127.0.0.1:\(self.port)/networking/v2.0/\(collection)"
            var links: [Any] = []
            if let next = page.nextQuery { links.append(["href": "\(url)?\(next)", "rel": "next"]) }
            if query.contains(where: { $0.name == "marker" }), let first = page.firstID {
                var pairs = query.filter { $0.name != "marker" && $0.name != "page_reverse" }
                pairs += [(name: "marker", value: first), (name: "page_reverse", value: "True")]
                links.append(["href": "\(url)?\(Self.encodedQuery(pairs))", "rel": "previous"])
            }
            var body: [String: Any] = [collection: page.items]
            if !links.isEmpty { body["\(collection)_links"] = links }
            return FakeAnswer(status: 200, json: Self.json(body))
        }
    }

    /// Nova's and Cinder's page: `{"<collection>": […], "<collection>_links": [{"href", "rel": "next"}]}`, the
    /// links only when there is a next page.
    private static func linkedPage(_ collection: String, _ page: ListingPage, url: String) -> FakeAnswer {
        var body: [String: Any] = [collection: page.items]
        if let next = page.nextQuery {
            body["\(collection)_links"] = [["href": "\(url)?\(next)", "rel": "next"] as [String: Any]]
        }
        return FakeAnswer(status: 200, json: Self.json(body))
    }

    /// A query's names and values, decoded (`+` is a space), in order.
    static func queryPairs(_ query: String) -> [(name: String, value: String)] {
        query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            return (name: parts[0], value: parts.count > 1 ? parts[1] : "")
        }
    }

    /// A query of names and values, each percent-encoded but for the RFC 3986 unreserved characters.
    static func encodedQuery(_ pairs: [(name: String, value: String)]) -> String {
        var unreserved = CharacterSet(charactersIn: "-._~0123456789")
        unreserved.insert(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
        }
        return pairs.map { encode($0.name) + "=" + encode($0.value) }.joined(separator: "&")
    }

    /// Whether a query sets a flag as oslo's `bool_from_string` reads it (`1`, `true`, `yes`, `on`).
    static func isTrue(_ query: [(name: String, value: String)], _ name: String) -> Bool {
        guard let value = query.last(where: { $0.name == name })?.value else { return false }
        return ["1", "true", "yes", "on", "y", "t"].contains(value.lowercased())
    }

    /// `2026-12-01T10:00:00Z`: Nova's `created` and `updated`, Neutron's and Glance's times (whole seconds).
    static func secondsText(_ time: BillingTime) -> String {
        String(time.iso8601.prefix(19)) + "Z"
    }

    /// `2026-12-01T10:00:00.123456` (UTC, no zone): Nova's `OS-SRV-USG` times and Cinder's; `null` for `nil`.
    static func microsecondsText(_ time: BillingTime?) -> Any {
        guard let time else { return NSNull() }
        return String(time.iso8601.dropLast())
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
