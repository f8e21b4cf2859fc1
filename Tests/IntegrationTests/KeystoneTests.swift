import BileanCore
import Foundation
import Testing

/// A real `bilean-server` with `auth_strategy = keystone` against a real Keystone (scripts/keystone-test-server),
/// and the real `bilean` CLI logging in to it. Serialized: one test stops and restarts Keystone.
@Suite(
    .serialized,
    .enabled(if: KeystoneTestServer.isEnabled, "needs BILEAN_TEST_KEYSTONE_URL (scripts/test starts Keystone)")
)
struct KeystoneTests {
    /// Starts a Keystone-protected all-in-one server (SQLite) with `extra` configuration.
    static func withServer(
        cacheTime: Int = 300,
        extra: String = "",
        policy: String? = nil,
        bindPort: Int? = nil,
        _ body: (ServerProcess) async throws -> Void
    ) async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        if let policy {
            try policy.write(to: directory.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
        }
        var configuration =
            "[DEFAULT]\nauth_strategy = keystone\n"
            + (try KeystoneTestServer.authtokenSection(cacheTime: cacheTime)) + extra
        if let bindPort { configuration += "[bilean_api]\nbind_port = \(bindPort)\n" }
        let server = try await ServerProcess.start(in: directory, configuration: configuration)
        do {
            try await body(server)
        } catch {
            try await server.stop()
            throw error
        }
        #expect(try await server.stop() == 0, "\(server.log)")
    }

    static func get(_ server: ServerProcess, _ path: String, token: String?) async throws -> KeystoneTestServer.Answer {
        try await KeystoneTestServer.send("GET", server.url + path, headers: token.map { ["X-Auth-Token": $0] } ?? [:])
    }

    static func post(
        _ server: ServerProcess,
        _ path: String,
        _ body: String,
        token: String
    ) async throws
        -> KeystoneTestServer.Answer
    {
        try await KeystoneTestServer.send("POST", server.url + path, headers: ["X-Auth-Token": token], body: body)
    }

    @Test func eachRoleOnEachRoute() async throws {
        let alpha = try KeystoneTestServer.variable("BILEAN_TEST_KEYSTONE_ALPHA_ID")
        let beta = try KeystoneTestServer.variable("BILEAN_TEST_KEYSTONE_BETA_ID")
        let admin = try await KeystoneTestServer.adminToken()
        let alice = try await KeystoneTestServer.token("alice", "alice-secret", project: "alpha")
        let rita = try await KeystoneTestServer.token("rita", "rita-secret", project: "alpha")
        let bob = try await KeystoneTestServer.token("bob", "bob-secret", project: "beta")
        try await Self.withServer { server async throws in
            // The admin funds both projects and writes a price list.
            for project in [alpha, beta] {
                let funded = try await Self.post(
                    server,
                    "/v1/users/\(project)/action",
                    #"{"recharge": {"value": "10"}}"#,
                    token: admin
                )
                #expect(funded.status == 200, "\(funded.body)")
            }
            #expect(try await Self.get(server, "/v1/users", token: admin).status == 200)
            #expect(try await Self.get(server, "/v1/rules", token: admin).status == 200)

            // Each token's first validation, given a moment: the test Keystone (one gunicorn worker on SQLite) can
            // answer 5xx while the whole suite loads the machine, which Bilean rightly turns into a 503.
            for (token, project) in [(alice, alpha), (rita, alpha), (bob, beta)] {
                try await KeystoneTestServer.eventually(timeout: 30, "the token is validated") {
                    try await Self.get(server, "/v1/users/\(project)", token: token).status != 503
                }
            }
            // Member and reader of alpha: their own project only, read only.
            for token in [alice, rita] {
                let own = try await Self.get(server, "/v1/users/\(alpha)", token: token)
                #expect(own.status == 200, "\(own.body)")
                #expect(try own.json()["user"]?["balance"]?.stringValue == "10")
                #expect(try await Self.get(server, "/users/\(alpha)", token: token).status == 200)
                #expect(try await Self.get(server, "/v1/users/\(beta)", token: token).status == 403)
                #expect(try await Self.get(server, "/v1/users", token: token).status == 403)
                #expect(try await Self.get(server, "/v1/rules", token: token).status == 403)
                #expect(try await Self.get(server, "/v1/resources", token: token).status == 200)
                #expect(try await Self.get(server, "/v1/resources?user_id=\(beta)", token: token).status == 403)
                #expect(try await Self.get(server, "/v1/resources/no-such-vm", token: token).status == 404)
                #expect(try await Self.get(server, "/v1/events", token: token).status == 200)
                #expect(try await Self.get(server, "/v1/consumptions", token: token).status == 200)
                let recharge = try await Self.post(
                    server,
                    "/v1/users/\(alpha)/action",
                    #"{"recharge": {"value": "1"}}"#,
                    token: token
                )
                #expect(recharge.status == 403)
            }
            // Bob sees beta, not alpha.
            #expect(try await Self.get(server, "/v1/users/\(beta)", token: bob).status == 200)
            #expect(try await Self.get(server, "/v1/users/\(alpha)", token: bob).status == 403)
            // Public paths need no token.
            #expect(try await Self.get(server, "/", token: nil).status == 300)
            #expect(try await Self.get(server, "/v1", token: nil).status == 200)
        }
    }

    @Test func missingGarbageRevokedAndExpiredTokensAre401() async throws {
        let alice = try await KeystoneTestServer.token("alice", "alice-secret", project: "alpha")
        let doomed = try await KeystoneTestServer.token("alice", "alice-secret", project: "alpha")
        let alpha = try KeystoneTestServer.variable("BILEAN_TEST_KEYSTONE_ALPHA_ID")
        try await Self.withServer(cacheTime: 2) { server async throws in
            for token in [nil, "garbage", String(repeating: "x", count: 200)] {
                let answer = try await Self.get(server, "/v1/users/\(alpha)", token: token)
                #expect(answer.status == 401, "\(answer.body)")
                #expect(
                    answer.headers["www-authenticate"] == "Keystone uri=\"\(try KeystoneTestServer.requireURL())/v3\""
                )
                #expect(answer.headers["x-openstack-request-id"]?.hasPrefix("req-") == true)
                #expect(try answer.json()["error"]?["message"]?.stringValue?.contains("authentication") == true)
            }
            // The log names the failure, never the token.
            #expect(server.log.contains("token validation failed"))
            #expect(!server.log.contains(alice))

            // Revoked: refused once the cache time (2 s) is over.
            #expect(try await Self.get(server, "/v1/users/\(alpha)", token: doomed).status != 401)
            try await KeystoneTestServer.revoke(doomed)
            try await KeystoneTestServer.eventually(timeout: 20, "a revoked token is refused") {
                try await Self.get(server, "/v1/users/\(alpha)", token: doomed).status == 401
            }
            // Expired: Keystone's test server issues tokens for BILEAN_TEST_KEYSTONE_EXPIRATION seconds.
            let expiration = Double(try KeystoneTestServer.variable("BILEAN_TEST_KEYSTONE_EXPIRATION")) ?? 60
            try await KeystoneTestServer.eventually(timeout: expiration + 30, "an expired token is refused") {
                try await Self.get(server, "/v1/users/\(alpha)", token: alice).status == 401
            }
            #expect(!server.log.contains(doomed))
        }
    }

    @Test func keystoneDownIs503AndRecovers() async throws {
        let alpha = try KeystoneTestServer.variable("BILEAN_TEST_KEYSTONE_ALPHA_ID")
        let warm = try await KeystoneTestServer.token("alice", "alice-secret", project: "alpha")
        let cold = try await KeystoneTestServer.token("alice", "alice-secret", project: "alpha")
        try await Self.withServer { server async throws in
            #expect(try await Self.get(server, "/v1/users/\(alpha)", token: warm).status == 404)
            try await KeystoneTestServer.control("stop-server")
            do {
                // A token never seen: 503, never 401 and never a pass.
                let down = try await Self.get(server, "/v1/users/\(alpha)", token: cold)
                #expect(down.status == 503, "\(down.body)")
                #expect(down.headers["x-openstack-request-id"]?.hasPrefix("req-") == true)
                #expect(try down.json()["code"] == .number("503"))
                // A token validated before the outage is still served from the cache.
                #expect(try await Self.get(server, "/v1/users/\(alpha)", token: warm).status == 404)
            } catch {
                try await KeystoneTestServer.control("start-server")
                throw error
            }
            try await KeystoneTestServer.control("start-server")
            let recovered = try await Self.get(server, "/v1/users/\(alpha)", token: cold)
            #expect(recovered.status == 404, "\(recovered.body)")  // authenticated; alpha has no account here
        }
    }

    @Test func thePolicyFileOverridesARule() async throws {
        let alpha = try KeystoneTestServer.variable("BILEAN_TEST_KEYSTONE_ALPHA_ID")
        let alice = try await KeystoneTestServer.token("alice", "alice-secret", project: "alpha")
        let rita = try await KeystoneTestServer.token("rita", "rita-secret", project: "alpha")
        let policy = """
            # only members see consumptions (in Keystone 30 member implies reader, so alice has both roles and rita
            # only reader)
            "consumptions:index": "rule:context_is_admin or (project_id:%(project_id)s and role:member)"
            """
        try await Self.withServer(policy: policy) { server async throws in
            #expect(try await Self.get(server, "/v1/consumptions", token: alice).status == 200)
            #expect(try await Self.get(server, "/v1/consumptions", token: rita).status == 403)
            #expect(try await Self.get(server, "/v1/events", token: rita).status == 200)
            _ = alpha
        }
    }

    @Test func projectsAreSyncedFromKeystone() async throws {
        let alpha = try KeystoneTestServer.variable("BILEAN_TEST_KEYSTONE_ALPHA_ID")
        let beta = try KeystoneTestServer.variable("BILEAN_TEST_KEYSTONE_BETA_ID")
        let admin = try await KeystoneTestServer.adminToken()
        let gamma = try await KeystoneTestServer.createProject("gamma-\(UUID().uuidString.prefix(8))")
        try await Self.withServer(extra: "[keystone_sync]\ninterval = 1\n[scheduler]\ndaily_settlement_time = none\n") {
            server async throws in
            try await KeystoneTestServer.eventually(timeout: 30, "the projects become users") {
                var found = 0
                for project in [alpha, beta, gamma] {
                    let answer = try await Self.get(server, "/v1/users/\(project)", token: admin)
                    if answer.status == 200, try answer.json()["user"]?["status"]?.stringValue == "INIT" { found += 1 }
                }
                return found == 3
            }
            let named = try await Self.get(server, "/v1/users/\(alpha)", token: admin)
            #expect(try named.json()["user"]?["name"]?.stringValue == "alpha")
            // A project deleted in Keystone is deleted here (checked by id: a 404 from Keystone).
            try await KeystoneTestServer.deleteProject(gamma)
            try await KeystoneTestServer.eventually(timeout: 30, "the deleted project's account is deleted") {
                try await Self.get(server, "/v1/users/\(gamma)", token: admin).status == 404
            }
            // The others stay.
            #expect(try await Self.get(server, "/v1/users/\(beta)", token: admin).status == 200)
        }
    }

    @Test func theCLILogsInWithAPasswordCloudsYAMLAndTheCatalog() async throws {
        let alpha = try KeystoneTestServer.variable("BILEAN_TEST_KEYSTONE_ALPHA_ID")
        let keystone = try KeystoneTestServer.requireURL()
        let port = Int(try KeystoneTestServer.variable("BILEAN_TEST_KEYSTONE_BILLING_PORT")) ?? 28770
        try await Self.withServer(bindPort: port) { server async throws in
            let admin = try await KeystoneTestServer.adminToken()
            let funded = try await Self.post(
                server,
                "/v1/users/\(alpha)/action",
                #"{"recharge": {"value": "7.5"}}"#,
                token: admin
            )
            #expect(funded.status == 200, "\(funded.body)")
            let password: [String: String] = [
                "OS_AUTH_URL": keystone + "/v3", "OS_USERNAME": "alice", "OS_PASSWORD": "alice-secret",
                "OS_PROJECT_NAME": "alpha", "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_NAME": "Default",
            ]
            // Password login with an explicit URL.
            let explicit = try await server.cli(["user-show", alpha, "-f", "json"], environment: password)
            #expect(explicit.status == 0, "\(explicit.stderr)")
            #expect(try JSONValue(jsonText: explicit.stdout)["balance"]?.stringValue == "7.5")

            // Password login with the URL from the catalog (service type billing, port \(port)).
            let catalog = try await BileanProcesses.run(
                "bilean",
                ["user-show", alpha, "-f", "json"],
                environment: password
            )
            #expect(catalog.status == 0, "\(catalog.stderr)")
            #expect(try JSONValue(jsonText: catalog.stdout)["id"]?.stringValue == alpha)

            // clouds.yaml, found through OS_CLIENT_CONFIG_FILE, and chosen with OS_CLOUD.
            let directory = try BileanProcesses.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let clouds = directory.appendingPathComponent("clouds.yaml")
            try """
            clouds:
              alpha-reader:
                auth:
                  auth_url: \(keystone)
                  username: rita
                  password: rita-secret
                  project_name: alpha
                  user_domain_name: Default
                  project_domain_name: Default
                region_name: RegionOne
                interface: public
            """.write(to: clouds, atomically: true, encoding: .utf8)
            let cloud = try await BileanProcesses.run(
                "bilean",
                ["user-show", alpha, "-f", "json"],
                environment: ["OS_CLIENT_CONFIG_FILE": clouds.path, "OS_CLOUD": "alpha-reader"]
            )
            #expect(cloud.status == 0, "\(cloud.stderr)")
            // The reader may not recharge.
            let refused = try await BileanProcesses.run(
                "bilean",
                ["user-recharge", alpha, "--value", "1", "--os-cloud", "alpha-reader"],
                environment: ["OS_CLIENT_CONFIG_FILE": clouds.path]
            )
            #expect(refused.status == 1)
            #expect(refused.stderr.hasPrefix("ERROR: "))

            // A wrong password and an unknown cloud: one line, exit 1.
            var wrong = password
            wrong["OS_PASSWORD"] = "not-it"
            let denied = try await BileanProcesses.run("bilean", ["user-list"], environment: wrong)
            #expect(denied.status == 1)
            #expect(denied.stderr.hasPrefix("ERROR: "))
            #expect(denied.stderr.split(separator: "\n").count == 1, "\(denied.stderr)")
            #expect(!denied.stderr.contains("not-it"))
            let unknown = try await BileanProcesses.run(
                "bilean",
                ["user-list", "--os-cloud", "nowhere"],
                environment: ["OS_CLIENT_CONFIG_FILE": clouds.path]
            )
            #expect(unknown.status == 1)
            #expect(unknown.stderr.split(separator: "\n").count == 1, "\(unknown.stderr)")

            // The old client's token mode: a token and a URL with /v1, unversioned paths.
            let token = try await KeystoneTestServer.token("alice", "alice-secret", project: "alpha")
            let old = try await KeystoneTestServer.send(
                "GET",
                server.url + "/users/\(alpha)",
                headers: ["X-Auth-Token": token, "Content-Type": "application/octet-stream", "Accept": "*/*"]
            )
            #expect(old.status == 200)
        }
    }
}
