import BileanCore
import Testing

@testable import BileanClient

@Suite("BileanHTTPClient")
struct BileanHTTPClientTests {
    func client(
        _ transport: FakeTransport,
        token: String? = nil,
        projectID: String? = nil,
        roles: String? = nil
    ) throws -> BileanHTTPClient {
        let configuration = BileanHTTPClient.Configuration(
            endpoint: try BileanEndpoint("http://h:8770/v1/"),
            token: token,
            projectID: projectID,
            roles: roles
        )
        return BileanHTTPClient(configuration: configuration, transport: transport)
    }

    @Test func getSendsAcceptAndIdentityButNoContentType() async throws {
        let transport = FakeTransport(status: 200, body: #"{"user": {"id": "u1", "balance": "1.10"}}"#)
        let client = try self.client(transport, token: "tok", projectID: "p1", roles: "admin,member")
        let answer = try await client.get(["users", "u1"])
        #expect(try client.member(answer, key: "user") == .object(["id": .string("u1"), "balance": .string("1.10")]))
        let request = try #require(transport.requests.first)
        #expect(request.method == "GET")
        #expect(request.url == "http://h:8770/v1/users/u1")
        #expect(request.body == nil)
        #expect(request.header("Accept") == "application/json")
        #expect(request.header("Content-Type") == nil)
        #expect(request.header("X-Auth-Token") == "tok")
        #expect(request.header("X-Project-Id") == "p1")
        #expect(request.header("X-Roles") == "admin,member")
    }

    @Test func postSendsCompactJSONWithContentTypeAndNoAbsentHeaders() async throws {
        let transport = FakeTransport(status: 201, body: #"{"rule": {"id": "r1"}}"#)
        let client = try self.client(transport, token: "")
        let body = JSONValue.object([
            "rule": .object([
                "name": .string("n"), "spec": .object(["version": .number("1.0")]), "metadata": .object([:]),
            ])
        ])
        _ = try await client.post(["rules"], body: body)
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.body == #"{"rule":{"metadata":{},"name":"n","spec":{"version":1.0}}}"#)
        #expect(request.header("Content-Type") == "application/json")
        #expect(request.header("X-Auth-Token") == nil)
        #expect(request.header("X-Project-Id") == nil)
        #expect(request.header("X-Roles") == nil)
    }

    @Test func deleteWith204GivesNil() async throws {
        let transport = FakeTransport(status: 204, body: "")
        let client = try self.client(transport)
        #expect(try await client.delete(["rules", "r1"]) == nil)
        #expect(transport.requests.map(\.method) == ["DELETE"])
        #expect(transport.requests.first?.header("Content-Type") == nil)
    }

    @Test func errorStatusesCarryTheServerMessage() async throws {
        let transport = FakeTransport(
            status: 400,
            body:
                #"{"code": 400, "title": "Bad Request", "error": {"type": "Invalid", "message": "'recharge.value' must be more than 0"}}"#
        )
        let client = try self.client(transport)
        let error = try await #require(throws: BileanClientError.self) {
            try await client.post(
                ["users", "u1", "action"],
                body: .object(["recharge": .object(["value": .string("0")])])
            )
        }
        #expect(error.code == .httpError)
        #expect(error.status == 400)
        #expect(error.message == "'recharge.value' must be more than 0")
    }

    @Test func nonOpenStackErrorsNameTheRequest() async throws {
        let transport = FakeTransport(status: 404, body: "")
        let error = try await #require(throws: BileanClientError.self) {
            try await self.client(transport).delete(["rules", "r 1"])
        }
        #expect(error.status == 404)
        #expect(error.message == "HTTP 404 (DELETE http://h:8770/v1/rules/r%201)")
    }

    @Test func connectionFailuresNameTheURL() async throws {
        let transport = FakeTransport([.failure(BileanClientError(.connectionFailed, "Connection refused"))])
        let client = try self.client(transport)
        let error = try await #require(throws: BileanClientError.self) { try await client.get(["users"]) }
        #expect(error.code == .connectionFailed)
        #expect(error.message == "cannot reach the Bilean API at http://h:8770: Connection refused")
    }

    @Test func aBodyThatIsNotJSONIsAnInvalidResponse() async throws {
        let transport = FakeTransport(status: 200, body: "<html></html>")
        let error = try await #require(throws: BileanClientError.self) {
            try await self.client(transport).get(["users"])
        }
        #expect(error.code == .invalidResponse)
    }

    @Test func aMissingKeyIsAnInvalidResponse() async throws {
        let transport = FakeTransport(status: 200, body: #"{"rules": []}"#)
        let client = try self.client(transport)
        let error = try await #require(throws: BileanClientError.self) {
            try await client.list(["users"], key: "users")
        }
        #expect(error.code == .invalidResponse)
    }

    /// A page of `count` rows with ids `<prefix>0`, `<prefix>1`, …
    static func page(_ key: String, prefix: String, count: Int) -> FakeTransport.Reply {
        let rows = (0..<count).map { #"{"id": "\#(prefix)\#($0)"}"# }.joined(separator: ",")
        return .response(HTTPResponseData(status: 200, body: #"{"\#(key)": [\#(rows)]}"#))
    }

    @Test func listWithoutLimitFollowsPagesByMarker() async throws {
        let size = BileanHTTPClient.pageSize
        let transport = FakeTransport([
            Self.page("users", prefix: "a", count: size),
            Self.page("users", prefix: "b", count: size),
            Self.page("users", prefix: "c", count: 2),
        ])
        let client = try self.client(transport)
        let rows = try await client.list(
            ["users"],
            key: "users",
            query: [("status", "ACTIVE"), ("sort_keys", "name")],
            marker: "start"
        )
        #expect(rows.count == 2 * size + 2)
        #expect(rows.last?["id"] == .string("c1"))
        #expect(
            transport.requests.map(\.url) == [
                "http://h:8770/v1/users?status=ACTIVE&sort_keys=name&limit=1000&marker=start",
                "http://h:8770/v1/users?status=ACTIVE&sort_keys=name&limit=1000&marker=a999",
                "http://h:8770/v1/users?status=ACTIVE&sort_keys=name&limit=1000&marker=b999",
            ]
        )
    }

    @Test func listStopsAfterAnEmptyPage() async throws {
        let transport = FakeTransport([
            Self.page("rules", prefix: "a", count: BileanHTTPClient.pageSize),
            Self.page("rules", prefix: "b", count: 0),
        ])
        let rows = try await self.client(transport).list(["rules"], key: "rules")
        #expect(rows.count == BileanHTTPClient.pageSize)
        #expect(transport.requests.map(\.url).last == "http://h:8770/v1/rules?limit=1000&marker=a999")
    }

    @Test func listWithLimitSendsOneRequest() async throws {
        let transport = FakeTransport([Self.page("rules", prefix: "r", count: 3)])
        let rows = try await self.client(transport).list(["rules"], key: "rules", limit: 3, marker: "m 1")
        #expect(rows.count == 3)
        #expect(transport.requests.map(\.url) == ["http://h:8770/v1/rules?limit=3&marker=m%201"])
    }

    @Test func listFailsWhenTheServerIgnoresTheMarker() async throws {
        let transport = FakeTransport([Self.page("rules", prefix: "a", count: BileanHTTPClient.pageSize)])
        let error = try await #require(throws: BileanClientError.self) {
            try await self.client(transport).list(["rules"], key: "rules")
        }
        #expect(error.code == .invalidResponse)
        #expect(transport.requests.count == 2)
    }

    @Test func configurationFromOptionsThenEnvironment() throws {
        let environment = [
            "BILEAN_URL": "", "OS_BILEAN_URL": "http://os:1/v1", "OS_TOKEN": "", "OS_AUTH_TOKEN": "auth",
            "OS_PROJECT_ID": "p", "OS_ROLES": "admin", "OS_AUTH_URL": "http://keystone:5000/v3",
        ]
        let fromEnvironment = try BileanHTTPClient.Configuration(
            url: nil,
            token: nil,
            projectID: nil,
            roles: nil,
            environment: environment
        )
        #expect(fromEnvironment.endpoint.root == "http://os:1")
        #expect(fromEnvironment.token == "auth")
        #expect(fromEnvironment.projectID == "p")
        #expect(fromEnvironment.roles == "admin")

        let fromOptions = try BileanHTTPClient.Configuration(
            url: "http://opt:2",
            token: "t",
            projectID: "q",
            roles: "member",
            environment: environment.merging(["BILEAN_URL": "http://bilean:3"]) { $1 }
        )
        #expect(fromOptions.endpoint.root == "http://opt:2")
        #expect(fromOptions.token == "t")
        #expect(fromOptions.projectID == "q")
        #expect(fromOptions.roles == "member")

        let defaults = try BileanHTTPClient.Configuration(
            url: nil,
            token: nil,
            projectID: nil,
            roles: nil,
            environment: [
                "BILEAN_URL": "http://bilean:3", "OS_BILEAN_URL": "http://os:1", "OS_TOKEN": "t1",
                "OS_AUTH_TOKEN": "t2",
            ]
        )
        #expect(defaults.endpoint.root == "http://bilean:3")
        #expect(defaults.token == "t1")
        let empty = try BileanHTTPClient.Configuration(
            url: nil,
            token: nil,
            projectID: nil,
            roles: nil,
            environment: [:]
        )
        #expect(empty.endpoint.root == "http://127.0.0.1:8770")
        #expect(empty.token == nil)
    }
}
