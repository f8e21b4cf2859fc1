import Foundation

@testable import BileanClient

/// Keystone answers and temporary files for the login tests.
enum KeystoneFixtures {
    /// The token Keystone issues in these tests.
    static let issuedToken = "gAAAAABissued-token-value"
    /// The password used in these tests.
    static let password = "s3cret-Passw0rd"

    /// A catalog with an identity service and two billing regions, each with three interfaces.
    static let catalogJSON = """
        [
          {"type": "identity", "name": "keystone", "id": "i", "endpoints": [
            {"id": "e0", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "http://keystone:5000/v3"}
          ]},
          {"type": "billing", "name": "bilean", "id": "b", "endpoints": [
            {"id": "e1", "interface": "internal", "region": "RegionOne", "region_id": "RegionOne", "url": "http://internal-one:8770/v1"},
            {"id": "e2", "interface": "public", "region": "RegionOne", "region_id": "RegionOne", "url": "http://public-one:8770/v1"},
            {"id": "e3", "interface": "public", "region": "Two", "region_id": "region-two-id", "url": "http://public-two:8770/v1"},
            {"id": "e4", "interface": "admin", "region": "Two", "region_id": "region-two-id", "url": "http://admin-two:8770"}
          ]}
        ]
        """

    /// Keystone's 201 to a login, with `X-Subject-Token` (in lowercase, as HTTP/2 proxies send it).
    static func tokenAnswer(catalog: String = KeystoneFixtures.catalogJSON) -> HTTPResponseData {
        HTTPResponseData(
            status: 201,
            headers: [HTTPHeader("content-type", "application/json"), HTTPHeader("x-subject-token", Self.issuedToken)],
            body:
                #"{"token": {"expires_at": "2030-01-01T00:00:00.000000Z", "methods": ["password"], "catalog": \#(catalog)}}"#
        )
    }

    /// Keystone's 401 to a wrong password.
    static let refused = HTTPResponseData(
        status: 401,
        headers: [HTTPHeader("WWW-Authenticate", #"Keystone uri="http://keystone:5000""#)],
        body:
            #"{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}"#
    )

    /// A fresh temporary directory; the caller removes it.
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bilean-client-tests-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Writes a file, creating its directory.
    static func write(_ text: String, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    /// Password credentials for `alice` on project `demo`.
    static func passwordCredentials(
        authURL: String = "http://keystone:5000/v3",
        scope: KeystoneCredentials.Scope = .projectName("demo", domain: .name("Default")),
        regionName: String? = nil,
        interface: String = "public"
    ) throws -> KeystoneCredentials {
        try KeystoneCredentials(
            authURL: authURL,
            method: .password(username: "alice", userDomain: .name("Default"), password: Secret(Self.password)),
            scope: scope,
            regionName: regionName,
            interface: interface
        )
    }
}
