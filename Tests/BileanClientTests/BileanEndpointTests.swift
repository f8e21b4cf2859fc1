import Testing

@testable import BileanClient

@Suite("BileanEndpoint")
struct BileanEndpointTests {
    @Test(arguments: [
        ("http://h:8770", "http://h:8770"),
        ("http://h:8770/", "http://h:8770"),
        ("http://h:8770/v1", "http://h:8770"),
        ("http://h:8770/v1/", "http://h:8770"),
        ("HTTPS://cloud.example/billing/v1", "https://cloud.example/billing"),
        ("https://cloud.example/billing/", "https://cloud.example/billing"),
        (" http://127.0.0.1:8770 ", "http://127.0.0.1:8770"),
        ("http://[::1]:8770/v1", "http://[::1]:8770"),
    ])
    func normalisesTheRoot(given: String, root: String) throws {
        #expect(try BileanEndpoint(given).root == root)
    }

    @Test(arguments: ["h:8770", "ftp://h/", "http://", "http://h:8770/v1?x=1", "http://u:p@h:8770", "not a url", ""])
    func rejectsBadURLs(given: String) throws {
        let error = try #require(throws: BileanClientError.self) { try BileanEndpoint(given) }
        #expect(error.code == .invalidURL)
    }

    @Test func buildsV1URLs() throws {
        let endpoint = try BileanEndpoint("http://h:8770/v1")
        #expect(endpoint.url(["users"]) == "http://h:8770/v1/users")
        #expect(endpoint.url(["users", "a/b c?", "action"]) == "http://h:8770/v1/users/a%2Fb%20c%3F/action")
        #expect(
            endpoint.url(["rules"], query: [("sort_keys", "name"), ("sort_keys", "created_at"), ("limit", "5")])
                == "http://h:8770/v1/rules?sort_keys=name&sort_keys=created_at&limit=5"
        )
    }
}
