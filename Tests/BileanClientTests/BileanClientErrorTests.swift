import Testing

@testable import BileanClient

@Suite("BileanClientError")
struct BileanClientErrorTests {
    @Test func takesTheOpenStackErrorMessage() {
        let body = """
            {"code": 404, "title": "Not Found", "explanation": "The resource could not be found.",
             "error": {"type": "NotFound", "message": "Rule not found: r9"}}
            """
        let error = BileanClientError.http(status: 404, body: body, request: "GET http://h/v1/rules/r9")
        #expect(error.code == .httpError)
        #expect(error.status == 404)
        #expect(error.message == "Rule not found: r9")
    }

    @Test func fallsBackOnTheRawTextNamingTheRequest() {
        let request = "GET http://h:8770/v1/users"
        #expect(
            BileanClientError.http(status: 502, body: "<html>\n  <h1>Bad Gateway</h1>\n</html>\n", request: request)
                .message == "HTTP 502 (GET http://h:8770/v1/users): <html> <h1>Bad Gateway</h1> </html>"
        )
        #expect(
            BileanClientError.http(status: 404, body: "", request: request).message
                == "HTTP 404 (GET http://h:8770/v1/users)"
        )
        #expect(
            BileanClientError.http(status: 400, body: #"{"message": "no error object"}"#, request: "PUT u").message
                == #"HTTP 400 (PUT u): {"message": "no error object"}"#
        )
        #expect(
            BileanClientError.http(status: 400, body: #"{"error": {"message": ""}}"#, request: "PUT u").message
                == #"HTTP 400 (PUT u): {"error": {"message": ""}}"#
        )
    }

    @Test func truncatesLongBodies() {
        let body = String(repeating: "x", count: 1000)
        let message = BileanClientError.http(status: 503, body: body, request: "GET u").message
        #expect(
            message == "HTTP 503 (GET u): " + String(repeating: "x", count: BileanClientError.maximumQuotedBody) + "…"
        )
    }
}
