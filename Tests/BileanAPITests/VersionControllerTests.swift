import BileanCore
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// `GET /` and `GET /v1`: the version document.
@Suite("Version document")
struct VersionControllerTests {
    @Test func rootListsTheVersionsWithMultipleChoices() async throws {
        try await APITestHarness.withAPI { context in
            let response = try await context.api.get("/")
            let body = try expectSuccess(response, .multipleChoices)
            let versions = try #require(body["versions"]?.arrayValue)
            #expect(versions.count == 1)
            let version = try #require(versions.first)
            #expect(version.text("id") == "v1.0")
            #expect(version.text("status") == "CURRENT")
            let links = try #require(version["links"]?.arrayValue)
            #expect(links.first?.text("rel") == "self")
            #expect(links.first?.text("href") == "http://localhost/v1/")
            #expect(version["media-types"]?.arrayValue?.first?.text("base") == "application/json")
        }
    }

    @Test func aPublicEndpointIsWhereTheLinksStart() async throws {
        var configuration = APIConfiguration()
        configuration.publicEndpoint = "https://billing.example.com:8770/bilean"
        try await APITestHarness.withAPI(configuration: configuration) { context in
            for path in ["/", "/v1"] {
                let body = try await context.api.get(path).json()
                let version = try #require(body["versions"]?.arrayValue?.first ?? body["version"])
                let links = try #require(version["links"]?.arrayValue)
                #expect(links.first?.text("rel") == "self")
                #expect(links.first?.text("href") == "https://billing.example.com:8770/bilean/v1/", "\(path)")
                for link in links {
                    let href = try #require(link.text("href"))
                    #expect(href.hasPrefix("https://billing.example.com:8770/bilean/v1/"), "\(path): \(href)")
                }
            }
        }
    }

    @Test func v1DescribesItself() async throws {
        try await APITestHarness.withAPI { context in
            let version = try await context.api.object("/v1", "version")
            #expect(version.text("id") == "v1.0")
            #expect(version.text("status") == "CURRENT")
        }
    }

    @Test func everyResponseHasItsOwnRequestID() async throws {
        try await APITestHarness.withAPI { context in
            let first = try await context.api.get("/v1")
            let second = try await context.api.get("/v1")
            expectRequestID(first)
            expectRequestID(second)
            #expect(first.requestID != second.requestID)
        }
    }

    @Test func theOldClientsOctetStreamOnAGetIsIgnored() async throws {
        try await APITestHarness.withAPI { context in
            let response = try await context.api.get(
                "/v1",
                headers: [.contentType: "application/octet-stream", .accept: "*/*"]
            )
            try expectSuccess(response)
        }
    }
}
