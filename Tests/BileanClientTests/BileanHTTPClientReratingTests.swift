import BileanCore
import Testing

@testable import BileanClient

@Suite("BileanHTTPClient re-rating calls")
struct BileanHTTPClientReratingTests {
    func client(_ transport: FakeTransport) throws -> BileanHTTPClient {
        BileanHTTPClient(
            configuration: BileanHTTPClient.Configuration(endpoint: try BileanEndpoint("http://h:8770")),
            transport: transport
        )
    }

    static let spec = JSONValue.object([
        "type": .string("os.nova.server"), "version": .number("1.0"),
        "properties": .object([
            "price_mapping": .array([.object(["flavor": .string("m1.small"), "price": .number("0.10")])])
        ]),
    ])

    @Test func previewPostsTheWindowFiltersAndDraftsAndGivesThePreview() async throws {
        let transport = FakeTransport(
            status: 200,
            body: #"{"preview": {"id": "pv1", "current": "1.5", "draft": "3", "difference": "1.5", "lines": []}}"#
        )
        let preview = try await self.client(transport).previewRerating(
            ReratingPreviewRequest(
                startTime: "2026-11-01T00:00:00Z",
                endTime: "2026-12-01T00:00:00Z",
                userIDs: ["p1", "p2"],
                policyID: "pol",
                rules: [
                    ReratingPreviewRequest.Rule(spec: Self.spec),
                    ReratingPreviewRequest.Rule(id: "r1", spec: Self.spec),
                ]
            )
        )
        #expect(preview["id"] == .string("pv1"))
        #expect(preview["difference"] == .string("1.5"))
        let request = try #require(transport.requests.first)
        #expect(request.method == "POST")
        #expect(request.url == "http://h:8770/v1/rerating/preview")
        #expect(request.header("Content-Type") == "application/json")
        let body = try JSONValue(jsonText: try #require(request.body))
        let sent = try #require(body["preview"])
        #expect(sent["start_time"] == .string("2026-11-01T00:00:00Z"))
        #expect(sent["end_time"] == .string("2026-12-01T00:00:00Z"))
        #expect(sent["user_ids"] == .array([.string("p1"), .string("p2")]))
        #expect(sent["policy_id"] == .string("pol"))
        #expect(sent["rules"]?.arrayValue?.first == .object(["spec": try JSONValue(jsonText: Self.spec.jsonText())]))
        #expect(sent["rules"]?.arrayValue?.last?["id"] == .string("r1"))
        // The price is sent exactly as written, never through floating point.
        #expect(request.body?.contains(#""price":0.10"#) == true, "\(request.body ?? "")")
    }

    @Test func previewLeavesOutAbsentFilters() throws {
        let body = ReratingPreviewRequest(
            startTime: "2026-11-01T00:00:00Z",
            endTime: "2026-11-02T00:00:00Z",
            rules: [ReratingPreviewRequest.Rule(spec: .object([:]))]
        ).jsonValue
        #expect(body["preview"]?.objectValue?.keys.sorted() == ["end_time", "rules", "start_time"])
        #expect(body["preview"]?["rules"] == .array([.object(["spec": .object([:])])]))
    }

    @Test func applyPostsThePreviewIDAndReasonAndGivesTheRerating() async throws {
        let transport = FakeTransport(
            status: 200,
            body: #"{"rerating": {"id": "pv1", "reason": "new price list", "consumptions": 2, "lines": []}}"#
        )
        let rerating = try await self.client(transport).applyRerating(previewID: "pv1", reason: "new price list")
        #expect(rerating["consumptions"] == .number("2"))
        let request = try #require(transport.requests.first)
        #expect(request.url == "http://h:8770/v1/rerating/apply")
        #expect(request.body == #"{"apply":{"preview_id":"pv1","reason":"new price list"}}"#)
    }

    @Test func anAnswerWithoutTheObjectIsAnInvalidResponse() async throws {
        let transport = FakeTransport(status: 200, body: #"{"rerating": []}"#)
        let error = try await #require(throws: BileanClientError.self) {
            try await self.client(transport).applyRerating(previewID: "pv1", reason: "r")
        }
        #expect(error.code == .invalidResponse)
    }

    @Test func serverErrorsKeepTheirStatus() async throws {
        let transport = FakeTransport(
            status: 404,
            body: #"{"code": 404, "error": {"type": "NotFound", "message": "Rerating preview not found: pv9"}}"#
        )
        let error = try await #require(throws: BileanClientError.self) {
            try await self.client(transport).applyRerating(previewID: "pv9", reason: "r")
        }
        #expect(error.status == 404)
    }
}
