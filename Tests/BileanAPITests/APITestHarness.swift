import BileanCore
import BileanEngine
import BileanStore
import BileanTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import BileanAPI

/// Who sends a request, as `noauth` reads it from `X-Project-Id` and `X-Roles`.
enum Caller: Sendable, CustomStringConvertible {
    /// No headers at all: the cloud admin.
    case admin
    /// A project scoped token with the `admin` role.
    case projectAdmin(String)
    /// A project's `member`.
    case member(String)
    /// A project's `reader`.
    case reader(String)
    /// Any headers (to test the header parsing itself).
    case headers(project: String?, roles: String?)

    /// The request headers of this caller.
    var headers: HTTPFields {
        switch self {
        case .admin:
            return [:]
        case .projectAdmin(let project):
            return Self.fields(project: project, roles: "admin")
        case .member(let project):
            return Self.fields(project: project, roles: "member")
        case .reader(let project):
            return Self.fields(project: project, roles: "reader")
        case .headers(let project, let roles):
            return Self.fields(project: project, roles: roles)
        }
    }

    private static func fields(project: String?, roles: String?) -> HTTPFields {
        var fields: HTTPFields = [:]
        if let project { fields[NoAuthMiddleware.projectHeader] = project }
        if let roles { fields[NoAuthMiddleware.rolesHeader] = roles }
        return fields
    }

    var description: String {
        switch self {
        case .admin: return "admin"
        case .projectAdmin(let project): return "admin of \(project)"
        case .member(let project): return "member of \(project)"
        case .reader(let project): return "reader of \(project)"
        case .headers(let project, let roles): return "project \(project ?? "-") roles \(roles ?? "-")"
        }
    }
}

/// One HTTP answer of the API, body kept as text.
struct APIResponse: Sendable {
    /// The status.
    var status: HTTPResponse.Status
    /// The headers.
    var headers: HTTPFields
    /// The body as text.
    var text: String

    /// The `x-openstack-request-id` header.
    var requestID: String? { self.headers[RequestIDMiddleware.header] }

    /// The body parsed as JSON (numbers kept as their decimal text).
    func json() throws -> JSONValue {
        try JSONValue(jsonText: self.text)
    }
}

/// Sends requests to the router (no network), as one caller or another.
struct APIClient: Sendable {
    /// Hummingbird's test client of the router.
    let client: any TestClientProtocol

    /// Sends a request.
    /// - Parameters:
    ///   - method: The method.
    ///   - uri: The path and query.
    ///   - caller: Who calls.
    ///   - body: The body text (sent with `contentType`), if any.
    ///   - contentType: The `Content-Type` to send (with a body only unless `headers` says otherwise).
    ///   - headers: More headers.
    /// - Returns: The response.
    func send(
        _ method: HTTPRequest.Method,
        _ uri: String,
        as caller: Caller = .admin,
        body: String? = nil,
        contentType: String? = "application/json",
        headers: HTTPFields = [:]
    ) async throws -> APIResponse {
        var fields = caller.headers
        if body != nil, let contentType { fields[.contentType] = contentType }
        for field in headers { fields[field.name] = field.value }
        return try await self.client.execute(
            uri: uri,
            method: method,
            headers: fields,
            body: body.map { ByteBuffer(string: $0) }
        ) { response in
            APIResponse(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }

    /// `GET uri`.
    func get(_ uri: String, as caller: Caller = .admin, headers: HTTPFields = [:]) async throws -> APIResponse {
        try await self.send(.get, uri, as: caller, headers: headers)
    }

    /// `POST uri` with a JSON body.
    func post(_ uri: String, _ body: String, as caller: Caller = .admin) async throws -> APIResponse {
        try await self.send(.post, uri, as: caller, body: body)
    }

    /// `PUT uri` with a JSON body.
    func put(_ uri: String, _ body: String, as caller: Caller = .admin) async throws -> APIResponse {
        try await self.send(.put, uri, as: caller, body: body)
    }

    /// `DELETE uri`.
    func delete(_ uri: String, as caller: Caller = .admin, headers: HTTPFields = [:]) async throws -> APIResponse {
        try await self.send(.delete, uri, as: caller, headers: headers)
    }

    /// `GET uri` as admin, expecting 200 with a JSON object, and returning its member `key`.
    func object(
        _ uri: String,
        _ key: String,
        as caller: Caller = .admin,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONValue {
        let response = try await self.get(uri, as: caller)
        let body = try expectSuccess(response, .ok, sourceLocation: sourceLocation)
        return try #require(body[key], "no '\(key)' in \(response.text)", sourceLocation: sourceLocation)
    }

    /// `GET uri` as admin, expecting 200 with a JSON list under `key`.
    func list(
        _ uri: String,
        _ key: String,
        as caller: Caller = .admin,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [JSONValue] {
        let value = try await self.object(uri, key, as: caller, sourceLocation: sourceLocation)
        return try #require(value.arrayValue, "'\(key)' is not a list", sourceLocation: sourceLocation)
    }

    /// The ids of a list.
    func ids(
        _ uri: String,
        _ key: String,
        as caller: Caller = .admin,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> [String] {
        try await self.list(uri, key, as: caller, sourceLocation: sourceLocation).map { $0["id"]?.stringValue ?? "" }
    }
}

/// What a test gets: the API, the engine behind it and its clock.
struct APITestContext: Sendable {
    /// The API.
    let api: APIClient
    /// The engine behind it, for seeding and for checking that nothing changed.
    let engine: Engine
    /// The engine's clock.
    let clock: ManualNow
}

/// Builds an API over a real engine and store, and the data the tests share.
enum APITestHarness {
    /// The instant every test starts at: 2023-11-14T22:13:20Z.
    static let t0 = BillingTime(seconds: 1_700_000_000)

    /// The two forms of every path: `/v1/X` and the unversioned alias the old client uses in token mode.
    static let prefixes = ["/v1", ""]

    /// Runs `body` against the API over an engine on a fresh database of `database`, with a clock at ``t0``.
    static func withAPI(
        _ database: TestDatabase = .sqlite,
        configuration: APIConfiguration = APIConfiguration(),
        tokenValidator: (any TokenValidator)? = nil,
        _ body: @Sendable (APITestContext) async throws -> Void
    ) async throws {
        try await database.withStore { store in
            let clock = ManualNow(Self.t0)
            let engine = Engine(store: store, now: clock.source, logger: TestDatabase.logger)
            let router = try APIRouter.make(
                engine: engine,
                configuration: configuration,
                tokenValidator: tokenValidator
            )
            let app = Application(router: router, logger: TestDatabase.logger)
            try await app.test(.router) { client in
                try await body(APITestContext(api: APIClient(client: client), engine: engine, clock: clock))
            }
        }
    }

    /// Runs `body` against the API over any engine (a fake one).
    static func withAPI(
        engine: any BillingEngine,
        configuration: APIConfiguration = APIConfiguration(),
        _ body: @Sendable (APIClient) async throws -> Void
    ) async throws {
        let router = try APIRouter.make(engine: engine, configuration: configuration)
        let app = Application(router: router, logger: TestDatabase.logger)
        try await app.test(.router) { client in
            try await body(APIClient(client: client))
        }
    }

    /// The instant `seconds` after ``t0`` as the API prints and reads it.
    static func time(_ seconds: Int64) -> String {
        Self.t0.adding(seconds: seconds).iso8601
    }

    /// A Nova rule body as the old client sends it: `version` the JSON number `1.0`. m1.small costs 3.6/h
    /// (0.001/s), m1.large 36/h (0.01/s).
    static let novaRuleBody = """
        {"rule": {"name": "nova", "metadata": {"k": "v"},
          "spec": {"type": "os.nova.server", "version": 1.0,
            "properties": {"unit": "per_hour",
              "price_mapping": [{"flavor": "m1.small", "price": 3.6}, {"flavor": "m1.large", "price": 36}]}}}}
        """

    /// A Cinder rule body with integer bounds and prices given as integers and decimals: 1–10 GB cost 0.36/h
    /// (0.0001/s), 11 GB and more 36/h.
    static let cinderRuleBody = """
        {"rule": {"name": "cinder", "metadata": {},
          "spec": {"type": "os.cinder.volume", "version": "1.0",
            "properties": {"unit": "per_hour",
              "price_mapping": [{"start": 1, "end": 10, "price": 0.36}, {"start": 11, "price": 36}]}}}}
        """

    /// The Nova spec of ``novaRuleBody`` for the engine.
    static let novaSpec = Specs.nova([("m1.small", "3.6"), ("m1.large", "36")])
    /// The Cinder spec of ``cinderRuleBody`` for the engine.
    static let cinderSpec = Specs.cinder([(1, 10, "0.36"), (11, nil, "36")])

    /// Creates the Nova and Cinder rules and a default policy holding both, through the engine.
    /// - Returns: The policy, the Nova rule and the Cinder rule.
    @discardableResult
    static func seedPricing(_ engine: Engine) async throws -> (policy: Policy, nova: Rule, cinder: Rule) {
        let nova = try await engine.createRule(name: "nova", spec: Self.novaSpec, metadata: .object([:]))
        let cinder = try await engine.createRule(name: "cinder", spec: Self.cinderSpec, metadata: .object([:]))
        let policy = try await engine.createPolicy(
            name: "standard",
            ruleIDs: [nova.id, cinder.id],
            metadata: .object([:])
        )
        return (policy, nova, cinder)
    }

    /// A Nova server event at `seconds` after ``t0``.
    static func server(
        _ messageID: String,
        _ action: ResourceEvent.Action,
        _ resourceID: String,
        user: String,
        flavor: String? = "m1.small",
        at seconds: Int64
    ) -> ResourceEvent {
        ResourceEvent(
            messageID: messageID,
            action: action,
            resourceType: "os.nova.server",
            resourceID: resourceID,
            userID: user,
            properties: flavor.map { ["flavor": .string($0)] } ?? [:],
            time: Self.t0.adding(seconds: seconds)
        )
    }

    /// A Cinder volume event at `seconds` after ``t0``.
    static func volume(
        _ messageID: String,
        _ action: ResourceEvent.Action,
        _ resourceID: String,
        user: String,
        size: Int,
        at seconds: Int64
    ) -> ResourceEvent {
        ResourceEvent(
            messageID: messageID,
            action: action,
            resourceType: "os.cinder.volume",
            resourceID: resourceID,
            userID: user,
            properties: ["size": .number(String(size))],
            time: Self.t0.adding(seconds: seconds)
        )
    }

    /// Recharges a user through the engine (creating it).
    @discardableResult
    static func fund(_ engine: Engine, _ userID: String, _ amount: String) async throws -> User {
        try await engine.recharge(
            userID: userID,
            value: try Money(parsing: amount),
            kind: .recharge,
            metadata: .object([:])
        )
    }
}

/// Checks that `response` carries `x-openstack-request-id: req-<lowercase uuid>`.
func expectRequestID(_ response: APIResponse, sourceLocation: SourceLocation = #_sourceLocation) {
    let id = response.requestID ?? ""
    #expect(
        id.wholeMatch(of: #/req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/#) != nil,
        "x-openstack-request-id is '\(id)'",
        sourceLocation: sourceLocation
    )
}

/// Checks a success: the status, the request id and a JSON object body, which it returns.
@discardableResult
func expectSuccess(
    _ response: APIResponse,
    _ status: HTTPResponse.Status = .ok,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> JSONValue {
    #expect(response.status == status, "body: \(response.text)", sourceLocation: sourceLocation)
    expectRequestID(response, sourceLocation: sourceLocation)
    let contentType = response.headers[.contentType] ?? ""
    #expect(contentType.hasPrefix("application/json"), sourceLocation: sourceLocation)
    let body = try response.json()
    #expect(body.objectValue != nil, "body is not an object: \(response.text)", sourceLocation: sourceLocation)
    return body
}

/// Checks a `204 No Content` with an empty body and the request id.
func expectNoContent(_ response: APIResponse, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == .noContent, "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(response.text.isEmpty, sourceLocation: sourceLocation)
    expectRequestID(response, sourceLocation: sourceLocation)
}

/// The parts of an OpenStack error body.
struct OpenStackError: Sendable, Hashable {
    var code: String?
    var title: String
    var explanation: String
    var type: String
    var message: String
}

/// Checks an OpenStack error: the status, `{"code" (= status), "title", "explanation", "error": {"type",
/// "message"}}` all present and non-empty, and the request id.
/// - Parameters:
///   - response: The response.
///   - status: The expected status.
///   - type: The expected `error.type`, if given.
/// - Returns: The parsed error (empty strings where a part is missing, after recording the failure).
@discardableResult
func expectOpenStackError(
    _ response: APIResponse,
    _ status: HTTPResponse.Status,
    type: String? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) -> OpenStackError {
    #expect(response.status == status, "body: \(response.text)", sourceLocation: sourceLocation)
    expectRequestID(response, sourceLocation: sourceLocation)
    #expect(
        (response.headers[.contentType] ?? "").hasPrefix("application/json"),
        sourceLocation: sourceLocation
    )
    let body: JSONValue
    do {
        body = try response.json()
    } catch {
        Issue.record("the error body is not JSON: '\(response.text)'", sourceLocation: sourceLocation)
        return OpenStackError(code: nil, title: "", explanation: "", type: "", message: "")
    }
    let error = OpenStackError(
        code: body["code"]?.numberText,
        title: body["title"]?.stringValue ?? "",
        explanation: body["explanation"]?.stringValue ?? "",
        type: body["error"]?["type"]?.stringValue ?? "",
        message: body["error"]?["message"]?.stringValue ?? ""
    )
    #expect(error.code == String(status.code), "code in \(response.text)", sourceLocation: sourceLocation)
    #expect(!error.title.isEmpty, "title in \(response.text)", sourceLocation: sourceLocation)
    #expect(!error.explanation.isEmpty, "explanation in \(response.text)", sourceLocation: sourceLocation)
    #expect(!error.type.isEmpty, "error.type in \(response.text)", sourceLocation: sourceLocation)
    #expect(!error.message.isEmpty, "error.message in \(response.text)", sourceLocation: sourceLocation)
    if let type {
        #expect(error.type == type, "error.type in \(response.text)", sourceLocation: sourceLocation)
    }
    return error
}

extension JSONValue {
    /// The text of a number, or `nil` for any other value.
    var numberText: String? {
        if case .number(let text) = self { return text }
        return nil
    }

    /// The member `key` of an object as text, or `nil`.
    func text(_ key: String) -> String? {
        self[key]?.stringValue
    }
}

extension String {
    /// The text percent-encoded for a query value (everything but unreserved characters).
    var queryEncoded: String {
        var allowed = ""
        allowed += "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
        let unreserved = Set(allowed.utf8)
        var result = ""
        for byte in self.utf8 {
            if unreserved.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
            }
        }
        return result
    }
}
