import BileanCore
import BileanTestSupport
import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The real Keystone that `scripts/keystone-test-server` starts (keystone from PyPI, SQLite + fernet, gunicorn),
/// seeded with projects `alpha` and `beta`, users `admin`, `alice` (member of alpha), `bob` (member of beta),
/// `rita` (reader of alpha) and the service user `bilean` (admin of `service`), and a `billing` endpoint.
enum KeystoneTestServer {
    /// `BILEAN_TEST_KEYSTONE_URL` (no `/v3`).
    static var url: String? {
        ProcessInfo.processInfo.environment["BILEAN_TEST_KEYSTONE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether the Keystone tests run: with a Keystone, or in CI (where a missing one fails).
    static var isEnabled: Bool { Self.url != nil || TestDatabase.isCI }

    /// An environment variable the test server script exported.
    static func variable(_ name: String) throws -> String {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw Missing(name: name)
        }
        return value
    }

    struct Missing: Error, CustomStringConvertible {
        var name: String
        var description: String { "\(self.name) is not set: run the tests with scripts/test (it starts Keystone)" }
    }

    /// Keystone's URL, or a failure in CI when it is missing.
    static func requireURL() throws -> String { try Self.variable("BILEAN_TEST_KEYSTONE_URL") }

    /// An HTTP answer.
    struct Answer: Sendable {
        var status: Int
        var headers: [String: String]
        var body: String

        func json() throws -> JSONValue { try JSONValue(jsonText: self.body) }
    }

    /// Sends one request.
    static func send(
        _ method: String,
        _ url: String,
        headers: [String: String] = [:],
        body: String? = nil
    ) async throws -> Answer {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = method
        request.timeoutInterval = 30
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { fields[key.lowercased()] = value }
        }
        return Answer(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
    }

    /// A project-scoped token of a seeded user.
    static func token(_ user: String, _ password: String, project: String) async throws -> String {
        let body = """
            {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "\(user)", \
            "domain": {"name": "Default"}, "password": "\(password)"}}}, "scope": {"project": {"name": "\(project)", \
            "domain": {"name": "Default"}}}}}
            """
        let answer = try await Self.send("POST", try Self.requireURL() + "/v3/auth/tokens", body: body)
        #expect(answer.status == 201, "\(answer.body)")
        return try #require(answer.headers["x-subject-token"])
    }

    /// The admin's token (project `admin`).
    static func adminToken() async throws -> String {
        try await Self.token("admin", "admin-secret", project: "admin")
    }

    /// Revokes a token.
    static func revoke(_ token: String) async throws {
        let admin = try await Self.adminToken()
        let answer = try await Self.send(
            "DELETE",
            try Self.requireURL() + "/v3/auth/tokens",
            headers: ["X-Auth-Token": admin, "X-Subject-Token": token]
        )
        #expect(answer.status == 204, "\(answer.body)")
    }

    /// Creates a project in the Default domain.
    /// - Returns: Its id.
    static func createProject(_ name: String) async throws -> String {
        let answer = try await Self.send(
            "POST",
            try Self.requireURL() + "/v3/projects",
            headers: ["X-Auth-Token": try await Self.adminToken()],
            body: #"{"project": {"name": "\#(name)", "domain_id": "default"}}"#
        )
        #expect(answer.status == 201, "\(answer.body)")
        return try #require(try answer.json()["project"]?["id"]?.stringValue)
    }

    /// Deletes a project (disabled first, as Keystone requires).
    static func deleteProject(_ id: String) async throws {
        let admin = try await Self.adminToken()
        let base = try Self.requireURL() + "/v3/projects/\(id)"
        let disabled = try await Self.send(
            "PATCH",
            base,
            headers: ["X-Auth-Token": admin],
            body: #"{"project": {"enabled": false}}"#
        )
        #expect(disabled.status == 200, "\(disabled.body)")
        let deleted = try await Self.send("DELETE", base, headers: ["X-Auth-Token": admin])
        #expect(deleted.status == 204, "\(deleted.body)")
    }

    /// Stops (`stop-server`) or starts (`start-server`) Keystone's gunicorn, keeping its data.
    static func control(_ command: String) async throws {
        let script = try Self.variable("BILEAN_TEST_KEYSTONE_SCRIPT")
        let directory = try Self.variable("BILEAN_KS_DIR")
        let output = try await BileanProcesses.runExecutable(
            script,
            [command, directory],
            timeout: 120
        )
        #expect(output.status == 0, "\(command): \(output.stderr)")
    }

    /// The `[keystone_authtoken]` section of a Bilean with the seeded service user.
    static func authtokenSection(cacheTime: Int) throws -> String {
        """
        [keystone_authtoken]
        www_authenticate_uri = \(try Self.requireURL())/v3
        auth_url = \(try Self.requireURL())
        auth_type = password
        username = bilean
        password = bilean-secret
        project_name = service
        user_domain_name = Default
        project_domain_name = Default
        token_cache_time = \(cacheTime)
        http_connect_timeout = 3

        """
    }

    /// Polls until `condition` holds, at most `timeout` seconds.
    static func eventually(
        timeout: Double,
        _ what: String,
        _ condition: () async throws -> Bool
    ) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(250))
        }
        Issue.record("not within \(timeout) s: \(what)")
    }
}
