import BileanCore
import Foundation
import Testing

@testable import BileanClient

/// ``BileanHTTPClient/Configuration/connect(options:environment:transport:currentDirectory:timeout:)``, with a
/// ``FakeTransport`` playing Keystone and then Bilean.
@Suite("BileanHTTPClient.Configuration.connect")
struct BileanHTTPClientConnectTests {
    /// The environment of a password login from `OS_*` variables.
    static let passwordEnvironment = [
        "OS_AUTH_URL": "http://keystone:5000/v3", "OS_USERNAME": "alice", "OS_PASSWORD": KeystoneFixtures.password,
        "OS_PROJECT_NAME": "demo", "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_NAME": "Default",
    ]

    /// Connects with the fake and sends one `GET /v1/users` through a client of the configuration.
    func connectAndList(
        _ options: ConnectionOptions = ConnectionOptions(),
        environment: [String: String],
        replies: [FakeTransport.Reply]
    ) async throws -> (BileanHTTPClient.Configuration, FakeTransport) {
        let transport = FakeTransport(replies)
        let configuration = try await BileanHTTPClient.Configuration.connect(
            options: options,
            environment: environment,
            transport: transport,
            currentDirectory: "/nonexistent"
        )
        _ = try await BileanHTTPClient(configuration: configuration, transport: transport).get(["users"])
        return (configuration, transport)
    }

    @Test func keystoneTokenGoesToBileanWithoutNoauthHeaders() async throws {
        var environment = Self.passwordEnvironment
        environment["OS_ROLES"] = "admin"
        let (configuration, transport) = try await self.connectAndList(
            environment: environment,
            replies: [.response(KeystoneFixtures.tokenAnswer()), .response(HTTPResponseData(status: 200, body: "{}"))]
        )
        #expect(configuration.endpoint.root == "http://public-one:8770")
        #expect(configuration.token == KeystoneFixtures.issuedToken)
        #expect(configuration.projectID == nil)
        #expect(configuration.roles == nil)
        let requests = transport.requests
        #expect(requests.map(\.url) == ["http://keystone:5000/v3/auth/tokens", "http://public-one:8770/v1/users"])
        let bilean = try #require(requests.last)
        #expect(bilean.header("X-Auth-Token") == KeystoneFixtures.issuedToken)
        #expect(bilean.header("X-Project-Id") == nil)
        #expect(bilean.header("X-Roles") == nil)
    }

    @Test func osProjectIDScopesTheLoginInsteadOfBeingAHeader() async throws {
        var environment = Self.passwordEnvironment
        environment["OS_PROJECT_ID"] = "p-42"
        environment["OS_PROJECT_NAME"] = nil
        let (_, transport) = try await self.connectAndList(
            environment: environment,
            replies: [.response(KeystoneFixtures.tokenAnswer()), .response(HTTPResponseData(status: 200, body: "{}"))]
        )
        let login = try JSONReader.parse(try #require(transport.requests.first?.body))
        #expect(login["auth"]?["scope"] == .object(["project": .object(["id": .string("p-42")])]))
        #expect(transport.requests.last?.header("X-Project-Id") == nil)
    }

    @Test func interfaceAndRegionChooseTheCatalogEndpoint() async throws {
        let (configuration, _) = try await self.connectAndList(
            ConnectionOptions(regionName: "Two"),
            environment: Self.passwordEnvironment.merging(["OS_INTERFACE": "admin"]) { $1 },
            replies: [.response(KeystoneFixtures.tokenAnswer()), .response(HTTPResponseData(status: 200, body: "{}"))]
        )
        #expect(configuration.endpoint.root == "http://admin-two:8770")
    }

    @Test func anExplicitURLWinsOverTheCatalog() async throws {
        let fromOption = try await self.connectAndList(
            ConnectionOptions(bileanURL: "http://explicit:1/v1"),
            environment: Self.passwordEnvironment.merging(["BILEAN_URL": "http://env:2"]) { $1 },
            replies: [.response(KeystoneFixtures.tokenAnswer()), .response(HTTPResponseData(status: 200, body: "{}"))]
        )
        #expect(fromOption.0.endpoint.root == "http://explicit:1")
        #expect(fromOption.1.requests.last?.url == "http://explicit:1/v1/users")
        #expect(fromOption.1.requests.last?.header("X-Auth-Token") == KeystoneFixtures.issuedToken)

        let fromEnvironment = try await self.connectAndList(
            environment: Self.passwordEnvironment.merging(["OS_BILEAN_URL": "http://os-env:3"]) { $1 },
            replies: [
                .response(KeystoneFixtures.tokenAnswer(catalog: "[]")),
                .response(HTTPResponseData(status: 200, body: "{}")),
            ]
        )
        #expect(fromEnvironment.0.endpoint.root == "http://os-env:3")
    }

    @Test func noBillingEndpointIsAnError() async throws {
        let transport = FakeTransport([.response(KeystoneFixtures.tokenAnswer(catalog: "[]"))])
        let error = try await #require(throws: BileanClientError.self) {
            try await BileanHTTPClient.Configuration.connect(
                options: ConnectionOptions(regionName: "Nowhere"),
                environment: Self.passwordEnvironment,
                transport: transport,
                currentDirectory: "/nonexistent"
            )
        }
        #expect(error.code == .endpointNotFound)
        #expect(error.message.contains("billing"))
        #expect(error.message.contains("public"))
        #expect(error.message.contains("Nowhere"))
        #expect(!error.message.contains("\n"))
    }

    @Test func aRefusedLoginSendsNothingToBilean() async throws {
        let transport = FakeTransport([.response(KeystoneFixtures.refused)])
        let error = try await #require(throws: BileanClientError.self) {
            try await BileanHTTPClient.Configuration.connect(
                options: ConnectionOptions(),
                environment: Self.passwordEnvironment,
                transport: transport,
                currentDirectory: "/nonexistent"
            )
        }
        #expect(error.code == .authenticationFailed)
        #expect(transport.requests.count == 1)
    }

    @Test func aBadExplicitURLFailsBeforeTheLogin() async throws {
        let transport = FakeTransport([.response(KeystoneFixtures.tokenAnswer())])
        let error = try await #require(throws: BileanClientError.self) {
            try await BileanHTTPClient.Configuration.connect(
                options: ConnectionOptions(bileanURL: "ftp://x"),
                environment: Self.passwordEnvironment,
                transport: transport,
                currentDirectory: "/nonexistent"
            )
        }
        #expect(error.code == .invalidURL)
        #expect(transport.requests.isEmpty)
    }

    @Test func withoutAuthURLOrCloudNothingChanges() async throws {
        let environment = [
            "OS_USERNAME": "alice", "OS_PASSWORD": "pw", "OS_PROJECT_ID": "p1", "OS_ROLES": "member",
            "OS_TOKEN": "tok", "OS_AUTH_URL": "",
        ]
        let (configuration, transport) = try await self.connectAndList(
            environment: environment,
            replies: [.response(HTTPResponseData(status: 200, body: "{}"))]
        )
        #expect(configuration.endpoint.root == "http://127.0.0.1:8770")
        let request = try #require(transport.requests.first)
        #expect(transport.requests.count == 1)
        #expect(request.url == "http://127.0.0.1:8770/v1/users")
        #expect(request.header("X-Auth-Token") == "tok")
        #expect(request.header("X-Project-Id") == "p1")
        #expect(request.header("X-Roles") == "member")
    }

    @Test func optionsDecideTheModeToo() {
        #expect(ConnectionOptions(authURL: "http://k:5000").usesKeystone(environment: [:]))
        #expect(ConnectionOptions(cloud: "mine").usesKeystone(environment: [:]))
        #expect(ConnectionOptions().usesKeystone(environment: ["OS_CLOUD": "mine"]))
        #expect(ConnectionOptions().usesKeystone(environment: ["OS_AUTH_URL": "http://k:5000"]))
        #expect(!ConnectionOptions().usesKeystone(environment: ["OS_CLOUD": "", "OS_AUTH_URL": ""]))
        #expect(!ConnectionOptions(projectID: "p", roles: "admin").usesKeystone(environment: ["OS_USERNAME": "a"]))
    }

    @Test func anUnknownCloudIsAnErrorBeforeAnythingIsSent() async throws {
        let directory = try KeystoneFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/clouds.yaml"
        try KeystoneFixtures.write("clouds:\n  known:\n    auth:\n      auth_url: http://k:5000\n", to: path)
        let transport = FakeTransport([.response(KeystoneFixtures.tokenAnswer())])
        let error = try await #require(throws: BileanClientError.self) {
            try await BileanHTTPClient.Configuration.connect(
                options: ConnectionOptions(cloud: "unknown"),
                environment: ["OS_CLIENT_CONFIG_FILE": path],
                transport: transport,
                currentDirectory: directory
            )
        }
        #expect(error.code == .invalidInput)
        #expect(error.message.contains("unknown"))
        #expect(!error.message.contains("\n"))
        #expect(transport.requests.isEmpty)
    }

    @Test func cloudsYAMLLoginWithTheCatalog() async throws {
        let directory = try KeystoneFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try KeystoneFixtures.write(
            """
            clouds:
              devstack:
                auth:
                  auth_url: http://keystone:5000
                  username: bob
                  password: from-yaml
                  project_name: billing-demo
                  user_domain_name: Users
                  project_domain_id: default
                region_name: Two
            """,
            to: directory + "/clouds.yaml"
        )
        let transport = FakeTransport([
            .response(KeystoneFixtures.tokenAnswer()), .response(HTTPResponseData(status: 200, body: "{}")),
        ])
        let configuration = try await BileanHTTPClient.Configuration.connect(
            options: ConnectionOptions(),
            environment: ["OS_CLOUD": "devstack", "HOME": directory + "/home", "XDG_CONFIG_DIRS": directory + "/xdg"],
            transport: transport,
            currentDirectory: directory
        )
        #expect(configuration.endpoint.root == "http://public-two:8770")
        let login = try JSONReader.parse(try #require(transport.requests.first?.body))
        #expect(
            login["auth"]?["identity"]?["password"]?["user"]
                == .object([
                    "name": .string("bob"), "domain": .object(["name": .string("Users")]),
                    "password": .string("from-yaml"),
                ])
        )
        #expect(
            login["auth"]?["scope"]?["project"]
                == .object(["name": .string("billing-demo"), "domain": .object(["id": .string("default")])])
        )
    }

    @Test func configurationDescriptionHidesTheToken() throws {
        let configuration = BileanHTTPClient.Configuration(
            endpoint: try BileanEndpoint("http://h:8770"),
            token: KeystoneFixtures.issuedToken
        )
        #expect(!String(describing: configuration).contains(KeystoneFixtures.issuedToken))
        #expect(!String(reflecting: configuration).contains(KeystoneFixtures.issuedToken))
    }
}
