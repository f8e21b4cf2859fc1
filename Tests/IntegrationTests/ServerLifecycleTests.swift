import Foundation
import Testing

/// `bilean-server` as an operator runs it: defaults, configuration errors, roles, graceful stop, restart.
@Suite("bilean-server process", .serialized)
struct ServerLifecycleTests {
    @Test func startsWithNoConfigurationOnTheDefaultsAndStopsGracefully() async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // No file at all: 127.0.0.1:8770, noauth, SQLite under $XDG_DATA_HOME/bilean/.
        let server = try await ServerProcess.launch(
            arguments: [],
            directory: directory,
            environment: ["XDG_DATA_HOME": directory.path]
        )
        #expect(server.url == "http://127.0.0.1:8770")
        let output = try await server.cli("user-list", "-f", "json")
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]")
        #expect(FileManager.default.fileExists(atPath: directory.path + "/bilean/bilean.sqlite"))
        #expect(try await server.stop() == 0)
        #expect(server.log.contains("bilean-server stopped"))
    }

    @Test func dataSurvivesARestart() async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try await ServerProcess.start(in: directory)
        let recharge = try await first.cli("user-recharge", "p1", "--value", "12.345678901234")
        #expect(recharge.status == 0, "\(recharge.stderr)")
        #expect(try await first.stop() == 0)
        let second = try await ServerProcess.start(in: directory)
        let shown = try await second.cli("user-show", "p1", "-f", "json")
        #expect(shown.stdout.contains(#""balance": "12.345678901234""#), "\(shown.stdout)")
        #expect(try await second.stop() == 0)
    }

    @Test(arguments: [
        ("[bilean_api]\nbind_port = eighty\n", ":2: [bilean_api] bind_port: must be a whole number"),
        ("[DEFAULT]\nauth_strategy = ldap\n", ":2: [DEFAULT] auth_strategy: must be keystone or noauth"),
        ("[database]\nconnection = mysql://u:secretpw@h/d\n", ":2: [database] connection: unsupported database"),
        ("debug = true\n", ":1: debug: option outside any section"),
    ])
    func aBadConfigurationStopsTheStartNamingFileLineAndOption(text: String, expected: String) async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("bilean.conf").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let output = try await BileanProcesses.run("bilean-server", ["--config-file", path])
        #expect(output.status == 1)
        #expect(output.stderr.contains(path + expected), "\(output.stderr)")
        #expect(!output.stderr.contains("secretpw"))
    }

    @Test func aMissingConfigurationFileIsAnError() async throws {
        let output = try await BileanProcesses.run("bilean-server", ["--config-file", "/nonexistent/bilean.conf"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("/nonexistent/bilean.conf: cannot read the file"))
    }

    @Test func unknownOptionsAreWarningsAndTheServerStarts() async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(in: directory, configuration: "[DEFAULT]\nverbose = true\n")
        #expect(server.log.contains("unknown option [DEFAULT] verbose (ignored)"))
        #expect(try await server.stop() == 0)
    }

    @Test func aFreezeActionNeedsServiceCredentials() async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("bilean.conf")
        try "[freeze]\naction = stop\n[keystone_authtoken]\nusername = bilean\n".write(
            to: config,
            atomically: true,
            encoding: .utf8
        )
        let output = try await BileanProcesses.run("bilean-server", ["scheduler", "--config-file", config.path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("missing auth_url, password, project_name"), "\(output.stderr)")
    }

    @Test func printPolicyPrintsTheDefaultsAsACommentedSample() async throws {
        let output = try await BileanProcesses.run("bilean-server", ["--print-policy"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains(#"#"context_is_admin": "role:admin""#))
        #expect(output.stdout.contains(#"#"users:get": "rule:admin_or_owner""#))
        #expect(output.stdout.contains(#"#"rerating:apply": "rule:context_is_admin""#))
        #expect(output.stdout.contains("# GET /v1/users/{user_id}"))
    }

    @Test func noauthRefusesToStartOffLoopbackAndBadPolicyFilesStopTheStart() async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("bilean.conf")
        try "[bilean_api]\nbind_host = 0.0.0.0\nbind_port = 0\n".write(to: config, atomically: true, encoding: .utf8)
        let open = try await BileanProcesses.run("bilean-server", ["all", "--config-file", config.path])
        #expect(open.status == 1)
        #expect(open.stderr.contains("allow_insecure_noauth"), "\(open.stderr)")

        try "[bilean_api]\nbind_port = 0\n".write(to: config, atomically: true, encoding: .utf8)
        try "users:get: \"rule:admin_or_owner\"\nusers:index: \"role:admin and\"\n".write(
            to: directory.appendingPathComponent("policy.yaml"),
            atomically: true,
            encoding: .utf8
        )
        let badPolicy = try await BileanProcesses.run("bilean-server", ["all", "--config-file", config.path])
        #expect(badPolicy.status == 1)
        #expect(badPolicy.stderr.contains("policy.yaml:2: rule 'users:index'"), "\(badPolicy.stderr)")
    }

    @Test func keystoneAuthNeedsServiceCredentials() async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let config = directory.appendingPathComponent("bilean.conf")
        try "[DEFAULT]\nauth_strategy = keystone\n[keystone_authtoken]\nauth_url = http://127.0.0.1:5000\n".write(
            to: config,
            atomically: true,
            encoding: .utf8
        )
        let output = try await BileanProcesses.run("bilean-server", ["api", "--config-file", config.path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("missing username, password, project_name"), "\(output.stderr)")
    }

    @Test func theEngineRoleNeedsABroker() async throws {
        let output = try await BileanProcesses.run("bilean-server", ["engine"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("the engine serves RPC on it"), "\(output.stderr)")
    }

    @Test func theNotificationRoleNeedsABroker() async throws {
        let output = try await BileanProcesses.run("bilean-server", ["notification"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("[DEFAULT] transport_url is not set"), "\(output.stderr)")
    }

    @Test func aBadDefinitionsFileStopsTheStartWithItsLine() async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let definitions = directory.appendingPathComponent("definitions.yaml")
        try "- event_type: compute.instance.create.end\n  bogus: 1\n".write(
            to: definitions,
            atomically: true,
            encoding: .utf8
        )
        let config = directory.appendingPathComponent("bilean.conf")
        try """
        [DEFAULT]
        transport_url = rabbit://guest:guest@127.0.0.1:9/
        [database]
        connection = sqlite:///\(directory.appendingPathComponent("b.sqlite").path)
        [resource_definition]
        definitions_cfg_file = \(definitions.path)
        """.write(to: config, atomically: true, encoding: .utf8)
        let output = try await BileanProcesses.run("bilean-server", ["all", "--config-file", config.path])
        #expect(output.status == 1)
        #expect(output.stderr.contains("\(definitions.path):2"), "\(output.stderr)")
        #expect(output.stderr.contains("bogus"), "\(output.stderr)")
    }

    @Test func anUnknownRoleIsAUsageError() async throws {
        let output = try await BileanProcesses.run("bilean-server", ["everything"])
        #expect(output.status != 0)
        #expect(output.stderr.contains("unknown role 'everything'"), "\(output.stderr)")
    }

    @Test func theAPIRoleServesTheAPI() async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(in: directory, arguments: ["api"])
        let output = try await server.cli("rule-list", "-f", "json")
        #expect(output.status == 0, "\(output.stderr)")
        #expect(try await server.stop() == 0)
    }

    @Test func everyResponseAndLogLineCarriesARequestID() async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(in: directory)
        let output = try await server.cli("user-show", "nobody")
        #expect(output.status == 1)
        #expect(try await server.stop() == 0)
        let line = server.log.split(separator: "\n").first { $0.contains("GET /v1/users/nobody 404") }
        #expect(line?.contains("request.id=req-") == true, "\(server.log)")
    }
}
