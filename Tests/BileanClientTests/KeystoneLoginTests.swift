import BileanCore
import Testing

@testable import BileanClient

@Suite("KeystoneLogin")
struct KeystoneLoginTests {
    @Test(arguments: [
        "http://keystone:5000", "http://keystone:5000/", "http://keystone:5000/v3", "http://keystone:5000/v3/",
    ])
    func passwordLoginRequest(authURL: String) throws {
        let credentials = try KeystoneFixtures.passwordCredentials(authURL: authURL)
        let request = KeystoneLogin.request(for: credentials)
        #expect(request.method == "POST")
        #expect(request.url == "http://keystone:5000/v3/auth/tokens")
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("Accept") == "application/json")
        #expect(request.header("X-Auth-Token") == nil)
        let body = try JSONReader.parse(try #require(request.body))
        #expect(
            body
                == .object([
                    "auth": .object([
                        "identity": .object([
                            "methods": .array([.string("password")]),
                            "password": .object([
                                "user": .object([
                                    "name": .string("alice"),
                                    "domain": .object(["name": .string("Default")]),
                                    "password": .string(KeystoneFixtures.password),
                                ])
                            ]),
                        ]),
                        "scope": .object([
                            "project": .object([
                                "name": .string("demo"), "domain": .object(["name": .string("Default")]),
                            ])
                        ]),
                    ])
                ])
        )
    }

    @Test func authURLUnderAPathPrefixKeepsThePrefix() throws {
        let credentials = try KeystoneFixtures.passwordCredentials(authURL: "https://cloud.example/identity/v3")
        #expect(KeystoneLogin.request(for: credentials).url == "https://cloud.example/identity/v3/auth/tokens")
    }

    @Test func projectIDScopeSendsOnlyTheID() throws {
        let credentials = try KeystoneFixtures.passwordCredentials(scope: .projectID("p-123"))
        let body = try JSONReader.parse(try #require(KeystoneLogin.request(for: credentials).body))
        #expect(body["auth"]?["scope"] == .object(["project": .object(["id": .string("p-123")])]))
    }

    @Test func domainsByID() throws {
        let credentials = try KeystoneCredentials(
            authURL: "http://keystone:5000",
            method: .password(username: "alice", userDomain: .id("d-user"), password: Secret("pw")),
            scope: .projectName("demo", domain: .id("d-project"))
        )
        let body = try JSONReader.parse(try #require(KeystoneLogin.request(for: credentials).body))
        #expect(body["auth"]?["identity"]?["password"]?["user"]?["domain"] == .object(["id": .string("d-user")]))
        #expect(body["auth"]?["scope"]?["project"]?["domain"] == .object(["id": .string("d-project")]))
    }

    @Test func tokenMethodRequest() throws {
        let credentials = try KeystoneCredentials(
            authURL: "http://keystone:5000/v3",
            method: .token(Secret("old-token")),
            scope: .projectID("p-1")
        )
        let request = KeystoneLogin.request(for: credentials)
        #expect(request.url == "http://keystone:5000/v3/auth/tokens")
        let body = try JSONReader.parse(try #require(request.body))
        #expect(
            body
                == .object([
                    "auth": .object([
                        "identity": .object([
                            "methods": .array([.string("token")]),
                            "token": .object(["id": .string("old-token")]),
                        ]),
                        "scope": .object(["project": .object(["id": .string("p-1")])]),
                    ])
                ])
        )
    }

    @Test func theTokenIsTheSubjectTokenHeaderAndTheCatalogIsRead() async throws {
        let transport = FakeTransport([.response(KeystoneFixtures.tokenAnswer())])
        let login = try await KeystoneLogin.authenticate(
            try KeystoneFixtures.passwordCredentials(),
            transport: transport
        )
        #expect(login.token.reveal == KeystoneFixtures.issuedToken)
        #expect(login.catalog.serviceTypes == ["identity", "billing"])
        #expect(transport.requests.map(\.url) == ["http://keystone:5000/v3/auth/tokens"])
    }

    @Test func aTokenWithoutCatalogHasAnEmptyOne() throws {
        let response = HTTPResponseData(
            status: 201,
            headers: [HTTPHeader("X-Subject-Token", "t")],
            body: #"{"token": {"expires_at": "2030-01-01T00:00:00Z"}}"#
        )
        let login = try KeystoneLogin(response: response, credentials: try KeystoneFixtures.passwordCredentials())
        #expect(login.catalog == ServiceCatalog())
    }

    @Test func a401IsOneLineNamingKeystonesMessage() async throws {
        let transport = FakeTransport([.response(KeystoneFixtures.refused)])
        let error = try await #require(throws: BileanClientError.self) {
            try await KeystoneLogin.authenticate(try KeystoneFixtures.passwordCredentials(), transport: transport)
        }
        #expect(error.code == .authenticationFailed)
        #expect(error.status == 401)
        #expect(error.message.contains("The request you have made requires authentication."))
        #expect(error.message.contains("401"))
        #expect(!error.message.contains("\n"))
        #expect(!error.message.contains(KeystoneFixtures.password))
    }

    @Test func a401WithoutJSONStillFails() throws {
        let response = HTTPResponseData(status: 401, body: "<html>nope</html>")
        let error = try #require(throws: BileanClientError.self) {
            try KeystoneLogin(response: response, credentials: try KeystoneFixtures.passwordCredentials())
        }
        #expect(error.code == .authenticationFailed)
        #expect(!error.message.contains("\n"))
    }

    @Test func anEchoedSecretIsRedacted() throws {
        let response = HTTPResponseData(
            status: 400,
            body:
                #"{"error": {"code": 400, "message": "Invalid input for field 'password': '\#(KeystoneFixtures.password)'\nis wrong"}}"#
        )
        let error = try #require(throws: BileanClientError.self) {
            try KeystoneLogin(response: response, credentials: try KeystoneFixtures.passwordCredentials())
        }
        #expect(error.code == .httpError)
        #expect(error.status == 400)
        #expect(!error.message.contains(KeystoneFixtures.password))
        #expect(error.message.contains(Secret.redacted))
        #expect(!error.message.contains("\n"))
    }

    @Test func otherStatusesNameTheRequest() throws {
        let response = HTTPResponseData(status: 404, body: "Not Found")
        let error = try #require(throws: BileanClientError.self) {
            try KeystoneLogin(response: response, credentials: try KeystoneFixtures.passwordCredentials())
        }
        #expect(error.code == .httpError)
        #expect(error.status == 404)
        #expect(error.message.contains("POST http://keystone:5000/v3/auth/tokens"))
    }

    @Test func anAnswerWithoutSubjectTokenIsInvalid() throws {
        let response = HTTPResponseData(status: 201, body: #"{"token": {}}"#)
        let error = try #require(throws: BileanClientError.self) {
            try KeystoneLogin(response: response, credentials: try KeystoneFixtures.passwordCredentials())
        }
        #expect(error.code == .invalidResponse)
    }

    @Test func anAnswerThatIsNotATokenIsInvalid() throws {
        for body in ["<html></html>", #"{"error": "x"}"#, #"{"token": {"catalog": {}}}"#] {
            let response = HTTPResponseData(status: 201, headers: [HTTPHeader("X-Subject-Token", "t")], body: body)
            let error = try #require(throws: BileanClientError.self) {
                try KeystoneLogin(response: response, credentials: try KeystoneFixtures.passwordCredentials())
            }
            #expect(error.code == .invalidResponse)
        }
    }

    @Test func connectionFailuresAreOneLineNamingKeystone() async throws {
        let transport = FakeTransport([.failure(BileanClientError(.connectionFailed, "Connection refused"))])
        let error = try await #require(throws: BileanClientError.self) {
            try await KeystoneLogin.authenticate(try KeystoneFixtures.passwordCredentials(), transport: transport)
        }
        #expect(error.code == .connectionFailed)
        #expect(error.message.contains("Keystone"))
        #expect(error.message.contains("http://keystone:5000"))
        #expect(error.message.contains("Connection refused"))
        #expect(!error.message.contains("\n"))
    }

    @Test func descriptionsNeverShowTheTokenOrThePassword() throws {
        let credentials = try KeystoneFixtures.passwordCredentials()
        let login = try KeystoneLogin(response: KeystoneFixtures.tokenAnswer(), credentials: credentials)
        let request = KeystoneLogin.request(for: credentials)
        var dumped = ""
        dump(login, to: &dumped)
        dump(credentials, to: &dumped)
        let texts = [
            String(describing: login), String(reflecting: login), "\(login)", String(describing: credentials),
            String(reflecting: credentials), "\(credentials.method)", String(describing: request),
            String(describing: KeystoneFixtures.tokenAnswer()), dumped,
        ]
        for text in texts {
            #expect(!text.contains(KeystoneFixtures.issuedToken))
            #expect(!text.contains(KeystoneFixtures.password))
        }
        #expect(String(describing: credentials).contains("alice"))
        #expect(String(describing: login).contains("billing"))
    }
}
