import BileanCore
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Synchronization
import Testing

@testable import BileanAPI

/// A token validator that knows a few tokens (Keystone itself is tested in IntegrationTests/KeystoneTests).
final class FakeTokenValidator: TokenValidator {
    let identities: [String: TokenIdentity]
    let down = Mutex(false)
    let calls = Mutex(0)

    init(_ identities: [String: TokenIdentity]) {
        self.identities = identities
    }

    func validate(_ token: String) async throws(TokenValidationError) -> TokenIdentity {
        self.calls.withLock { $0 += 1 }
        if self.down.withLock({ $0 }) { throw TokenValidationError(.unavailable, "Keystone is down") }
        guard let identity = self.identities[token] else {
            throw TokenValidationError(.invalid, "unknown token")
        }
        return identity
    }

    static let standard = FakeTokenValidator([
        "admin-token": identity(project: "admin-project", roles: ["admin"]),
        "alpha-member": identity(project: "proj-a", roles: ["member"]),
        "alpha-reader": identity(project: "proj-a", roles: ["reader"]),
        "beta-member": identity(project: "proj-b", roles: ["Member"]),
        "unscoped": identity(project: nil, roles: []),
        "domain-admin": TokenIdentity(
            userID: "u-domain",
            projectID: nil,
            domainID: "default",
            roles: ["admin"],
            expiresAt: APITestHarness.t0.adding(seconds: 3600)
        ),
    ])

    static func identity(project: String?, roles: [String]) -> TokenIdentity {
        TokenIdentity(
            userID: "user-of-\(project ?? "none")",
            projectID: project,
            roles: roles,
            expiresAt: APITestHarness.t0.adding(seconds: 3600)
        )
    }
}

/// `auth_strategy = keystone` in the API: 401, 503, public paths, the same policy as `noauth`.
@Suite("Keystone authentication middleware")
struct KeystoneAuthMiddlewareTests {
    static var configuration: APIConfiguration {
        var configuration = APIConfiguration()
        configuration.authStrategy = .keystone
        configuration.wwwAuthenticateURI = "http://keystone.example:5000"
        return configuration
    }

    static func token(_ value: String) -> HTTPFields {
        [HTTPField.Name("X-Auth-Token")!: value]
    }

    @Test func aMissingOrInvalidTokenIs401WithWWWAuthenticate() async throws {
        try await APITestHarness.withAPI(configuration: Self.configuration, tokenValidator: FakeTokenValidator.standard)
        { context in
            for headers in [HTTPFields(), Self.token("garbage"), Self.token("  ")] {
                let response = try await context.api.get("/v1/users/proj-a", headers: headers)
                #expect(response.status == .unauthorized)
                #expect(
                    response.headers[HTTPField.Name("WWW-Authenticate")!]
                        == "Keystone uri=\"http://keystone.example:5000\""
                )
                #expect(response.requestID?.hasPrefix("req-") == true)
                let body = try response.json()
                #expect(body["code"] == .number("401"))
                #expect(body["error"]?["type"]?.stringValue == "NotAuthenticated")
            }
            // The unversioned aliases need a token too.
            #expect(try await context.api.get("/users").status == .unauthorized)
        }
    }

    @Test func anUnavailableKeystoneIs503NeverAPass() async throws {
        let validator = FakeTokenValidator([
            "alpha-member": FakeTokenValidator.identity(project: "proj-a", roles: ["member"])
        ])
        validator.down.withLock { $0 = true }
        try await APITestHarness.withAPI(configuration: Self.configuration, tokenValidator: validator) {
            context async throws in
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            let response = try await context.api.get("/v1/users/proj-a", headers: Self.token("alpha-member"))
            #expect(response.status == .serviceUnavailable)
            #expect(response.requestID?.hasPrefix("req-") == true)
            #expect(try response.json()["error"]?["type"]?.stringValue == "ServiceUnavailable")
            #expect(response.headers[HTTPField.Name("WWW-Authenticate")!] == nil)
            // And it recovers as soon as Keystone does.
            validator.down.withLock { $0 = false }
            let recovered = try await context.api.get("/v1/users/proj-a", headers: Self.token("alpha-member"))
            #expect(recovered.status == .ok)
        }
    }

    @Test func publicPathsNeedNoToken() async throws {
        let validator = FakeTokenValidator([:])
        try await APITestHarness.withAPI(configuration: Self.configuration, tokenValidator: validator) {
            context async throws in
            #expect(try await context.api.get("/").status == .multipleChoices)
            #expect(try await context.api.get("/v1").status == .ok)
            // A public path with a bad token is still served (the token is not even looked at).
            #expect(try await context.api.get("/v1", headers: Self.token("garbage")).status == .ok)
        }
        #expect(validator.calls.withLock { $0 } == 0)
    }

    @Test func rolesAndProjectsComeFromTheToken() async throws {
        try await APITestHarness.withAPI(configuration: Self.configuration, tokenValidator: FakeTokenValidator.standard)
        { context in
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            try await APITestHarness.fund(context.engine, "proj-b", "20")
            let api = context.api
            // Admin (any scope) sees everything.
            #expect(try await api.get("/v1/users", headers: Self.token("admin-token")).status == .ok)
            #expect(try await api.get("/v1/users/proj-b", headers: Self.token("domain-admin")).status == .ok)
            // Members and readers see their own project only.
            for token in ["alpha-member", "alpha-reader"] {
                #expect(try await api.get("/v1/users/proj-a", headers: Self.token(token)).status == .ok)
                #expect(try await api.get("/v1/users/proj-b", headers: Self.token(token)).status == .forbidden)
                #expect(try await api.get("/v1/users", headers: Self.token(token)).status == .forbidden)
                #expect(try await api.get("/v1/rules", headers: Self.token(token)).status == .forbidden)
                let recharge = try await api.send(
                    .post,
                    "/v1/users/proj-a/action",
                    body: #"{"recharge": {"value": 1}}"#,
                    headers: Self.token(token)
                )
                #expect(recharge.status == .forbidden)
            }
            // Role names are compared without case.
            #expect(try await api.get("/v1/users/proj-b", headers: Self.token("beta-member")).status == .ok)
            // A token without a project and without admin gets 403 everywhere.
            #expect(try await api.get("/v1/users/proj-a", headers: Self.token("unscoped")).status == .forbidden)
            #expect(try await api.get("/v1/resources", headers: Self.token("unscoped")).status == .forbidden)
            #expect(try await api.get("/v1/resources/vm-x", headers: Self.token("unscoped")).status == .forbidden)
        }
    }

    @Test func aPolicyFileDecidesInKeystoneMode() async throws {
        var configuration = Self.configuration
        configuration.policy = try AccessPolicy(
            file: try PolicyFile.parse(
                #""users:get": "rule:context_is_admin or (project_id:%(project_id)s and not role:reader)""#,
                path: "policy.yaml"
            )
        )
        try await APITestHarness.withAPI(configuration: configuration, tokenValidator: FakeTokenValidator.standard) {
            context in
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            #expect(try await context.api.get("/v1/users/proj-a", headers: Self.token("alpha-member")).status == .ok)
            #expect(
                try await context.api.get("/v1/users/proj-a", headers: Self.token("alpha-reader")).status == .forbidden
            )
        }
    }

    @Test func aPolicyFileDecidesInNoauthMode() async throws {
        var configuration = APIConfiguration()
        configuration.policy = try AccessPolicy(
            file: try PolicyFile.parse(#"events:index: "rule:context_is_admin""#, path: "policy.yaml")
        )
        try await APITestHarness.withAPI(configuration: configuration) { context in
            try await APITestHarness.fund(context.engine, "proj-a", "10")
            #expect(try await context.api.get("/v1/events", as: .member("proj-a")).status == .forbidden)
            #expect(try await context.api.get("/v1/users/proj-a", as: .member("proj-a")).status == .ok)
            #expect(try await context.api.get("/v1/events", as: .admin).status == .ok)
        }
    }
}
