import BileanCore
import BileanTestSupport
import HTTPTypes
import Hummingbird
import Testing

@testable import BileanAPI

/// `GET /dashboard` and its files: served from the binary with their content types and a strict
/// Content-Security-Policy, public under `keystone` too, and with no inline script or style for the policy to block.
@Suite("Dashboard")
struct DashboardControllerTests {
    /// Each file, its content type and its text.
    static let files: [(path: String, contentType: String, text: String)] = [
        ("/dashboard", "text/html; charset=utf-8", DashboardAssets.html),
        ("/dashboard/dashboard.css", "text/css; charset=utf-8", DashboardAssets.css),
        ("/dashboard/dashboard.js", "text/javascript; charset=utf-8", DashboardAssets.javaScript),
    ]

    static let expectedPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static func expectServed(
        _ response: APIResponse,
        _ file: (path: String, contentType: String, text: String),
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(response.status == .ok, "\(file.path)", sourceLocation: sourceLocation)
        #expect(response.headers[.contentType] == file.contentType, sourceLocation: sourceLocation)
        #expect(response.headers[.contentSecurityPolicy] == Self.expectedPolicy, sourceLocation: sourceLocation)
        #expect(response.headers[.xContentTypeOptions] == "nosniff", sourceLocation: sourceLocation)
        #expect(response.text == file.text, sourceLocation: sourceLocation)
        expectRequestID(response, sourceLocation: sourceLocation)
    }

    @Test(arguments: 0..<3)
    func eachFileHasItsContentTypeAndThePolicy(_ index: Int) async throws {
        let file = Self.files[index]
        try await APITestHarness.withAPI { context in
            Self.expectServed(try await context.api.get(file.path), file)
            // A member's headers change nothing: the files hold no data.
            Self.expectServed(try await context.api.get(file.path, as: .member("proj-a")), file)
        }
    }

    @Test func noFileNeedsATokenUnderKeystone() async throws {
        try await APITestHarness.withAPI(
            configuration: KeystoneAuthMiddlewareTests.configuration,
            tokenValidator: FakeTokenValidator.standard
        ) { context in
            for file in Self.files {
                Self.expectServed(try await context.api.get(file.path), file)
            }
            // The data the page reads still needs one.
            #expect(try await context.api.get("/v1/users").status == .unauthorized)
            // A path below /dashboard that is no file is a 404, not a 401 and not the page.
            #expect(try await context.api.get("/dashboard/missing.js").status == .notFound)
        }
    }

    @Test func theDashboardIsNotPartOfTheVersionedAPI() async throws {
        try await APITestHarness.withAPI { context in
            #expect(try await context.api.get("/v1/dashboard").status == .notFound)
            let (_, routes) = try APIRouter.build(engine: context.engine)
            let dashboard = routes.registered.filter { $0.path.contains("dashboard") }.map(\.description)
            #expect(
                dashboard == ["GET /dashboard", "GET /dashboard/dashboard.css", "GET /dashboard/dashboard.js"]
            )
        }
    }

    /// The policy forbids inline script and style: the page must need neither.
    @Test func thePageHasNoInlineScriptOrStyle() {
        let html = DashboardAssets.html
        let scripts = html.matches(of: #/<script[^>]*>/#).map { String($0.output) }
        #expect(scripts == [#"<script src="/dashboard/dashboard.js" defer>"#])
        #expect(html.contains(#"<link rel="stylesheet" href="/dashboard/dashboard.css">"#))
        #expect(!html.contains("<style"))
        #expect(html.firstMatch(of: #/\sstyle\s*=/#) == nil)
        #expect(html.firstMatch(of: #/\son[a-z]+\s*=/#) == nil)
        // The script builds no markup from text and sets no inline style.
        let script = DashboardAssets.javaScript
        #expect(!script.contains("innerHTML"))
        #expect(!script.contains("outerHTML"))
        #expect(!script.contains("\"style\""))
        #expect(!script.contains("eval("))
    }

    /// Every input has a label, and every table header names its scope.
    @Test func thePageLabelsItsInputsAndHeaders() {
        let html = DashboardAssets.html
        let inputs = html.matches(of: #/<input id="([a-z-]+)"/#).map { String($0.output.1) }
        #expect(inputs.count == 5)
        for id in inputs {
            #expect(html.contains("<label for=\"\(id)\">"), "\(id)")
        }
        #expect(html.matches(of: #/<th /#).count == html.matches(of: #/<th scope="col"/#).count)
        #expect(html.contains("<html lang=\"en\">"))
    }
}
