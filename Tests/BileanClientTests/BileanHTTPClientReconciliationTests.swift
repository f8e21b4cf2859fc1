import BileanCore
import Testing

@testable import BileanClient

@Suite("BileanHTTPClient reconciliation calls")
struct BileanHTTPClientReconciliationTests {
    func client(_ transport: FakeTransport) throws -> BileanHTTPClient {
        BileanHTTPClient(
            configuration: BileanHTTPClient.Configuration(endpoint: try BileanEndpoint("http://h:8770")),
            transport: transport
        )
    }

    static let answer = #"""
        {"reconciliation": [{"id": "run-2", "complete": true, "repair": false, "listed": {"os.nova.server": 3},
          "counts": {"missing": 1}, "findings": [{"resource_id": "vm-3", "kind": "missing", "evidence": {"size": 1.50}}]},
         {"id": "run-1", "complete": false, "findings": []}]}
        """#

    @Test func listGetsTheRunsNewestFirst() async throws {
        let transport = FakeTransport(status: 200, body: Self.answer)
        let runs = try await self.client(transport).listReconciliations()
        #expect(runs.map { $0["id"] } == [.string("run-2"), .string("run-1")])
        #expect(runs.first?["listed"]?["os.nova.server"] == .number("3"))
        // The evidence as the server wrote it, never through floating point.
        #expect(runs.first?["findings"]?.arrayValue?.first?["evidence"]?["size"] == .number("1.50"))
        let request = try #require(transport.requests.first)
        #expect(request.method == "GET")
        #expect(request.url == "http://h:8770/v1/reconciliation")
        #expect(request.body == nil)
    }

    @Test func aLimitIsSent() async throws {
        let transport = FakeTransport(status: 200, body: #"{"reconciliation": []}"#)
        #expect(try await self.client(transport).listReconciliations(limit: 50).isEmpty)
        #expect(transport.requests.first?.url == "http://h:8770/v1/reconciliation?limit=50")
    }

    @Test func anAnswerWithoutTheListIsAnInvalidResponse() async throws {
        let transport = FakeTransport(status: 200, body: #"{"reconciliation": {}}"#)
        let error = try await #require(throws: BileanClientError.self) {
            try await self.client(transport).listReconciliations()
        }
        #expect(error.code == .invalidResponse)
    }

    @Test func serverErrorsKeepTheirStatus() async throws {
        let transport = FakeTransport(
            status: 403,
            body: #"{"code": 403, "error": {"type": "Forbidden", "message": "reconciliation:index is not allowed"}}"#
        )
        let error = try await #require(throws: BileanClientError.self) {
            try await self.client(transport).listReconciliations(limit: 2)
        }
        #expect(error.status == 403)
    }
}
