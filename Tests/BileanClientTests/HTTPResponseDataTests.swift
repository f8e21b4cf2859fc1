import Testing

@testable import BileanClient

@Suite("HTTPResponseData")
struct HTTPResponseDataTests {
    @Test func headersAreFoundWhateverTheirCase() {
        let response = HTTPResponseData(
            status: 201,
            headers: [HTTPHeader("x-subject-token", "a"), HTTPHeader("X-Subject-Token", "b"), HTTPHeader("Vary", "c")],
            body: ""
        )
        #expect(response.header("X-SUBJECT-TOKEN") == "a")
        #expect(response.header("vary") == "c")
        #expect(response.header("Location") == nil)
        #expect(HTTPResponseData(status: 200, body: "").headers.isEmpty)
    }

    @Test func descriptionsHideTokensAndBodies() {
        let response = HTTPResponseData(
            status: 201,
            headers: [HTTPHeader("X-Subject-Token", "tok-1")],
            body: "secret-body"
        )
        let request = HTTPRequestData(
            method: "POST",
            url: "http://h/v1/users",
            headers: [HTTPHeader("x-auth-token", "tok-2")],
            body: "secret-body"
        )
        for text in [String(describing: response), String(describing: request)] {
            #expect(!text.contains("tok-"))
            #expect(!text.contains("secret-body"))
        }
        #expect(String(describing: request).contains("http://h/v1/users"))
    }
}
