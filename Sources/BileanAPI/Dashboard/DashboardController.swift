import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /dashboard`: the operator's and the project's web page, and its style sheet and script
/// (``DashboardAssets``).
///
/// The files are public (``PublicPaths``): they hold no data. The page reads everything from the v1 API with the
/// caller's own identity (`X-Auth-Token`, or `X-Project-Id` and `X-Roles` under `noauth`), so it sees exactly what
/// that caller may see. Every file is sent with a strict Content-Security-Policy: scripts and styles from this
/// origin only (none inline), requests to this origin only, no frames, forms or plugins.
package struct DashboardController: Sendable {
    /// The Content-Security-Policy of every dashboard file.
    static let contentSecurityPolicy = [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "img-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ].joined(separator: "; ")

    /// The page.
    static let page = Asset(text: DashboardAssets.html, contentType: "text/html; charset=utf-8")
    /// The style sheet.
    static let styleSheet = Asset(text: DashboardAssets.css, contentType: "text/css; charset=utf-8")
    /// The script.
    static let script = Asset(text: DashboardAssets.javaScript, contentType: "text/javascript; charset=utf-8")

    /// One file: its bytes, made once, and its content type.
    struct Asset: Sendable {
        let body: ByteBuffer
        let contentType: String

        init(text: String, contentType: String) {
            self.body = ByteBuffer(string: text)
            self.contentType = contentType
        }
    }

    /// Creates the controller.
    package init() {}

    /// Adds the routes (no `/v1` alias: the page is not part of the API).
    package func addRoutes(to routes: RouteTable) {
        routes.addExact("/dashboard", [.get: { _, _ in Self.response(Self.page) }])
        routes.addExact("/dashboard/dashboard.css", [.get: { _, _ in Self.response(Self.styleSheet) }])
        routes.addExact("/dashboard/dashboard.js", [.get: { _, _ in Self.response(Self.script) }])
    }

    /// The response that serves a file.
    static func response(_ asset: Asset) -> Response {
        Response(
            status: .ok,
            headers: [
                .contentType: asset.contentType,
                .contentSecurityPolicy: Self.contentSecurityPolicy,
                .xContentTypeOptions: "nosniff",
                .cacheControl: "no-cache",
                HTTPField.Name.referrerPolicy: "no-referrer",
            ],
            body: .init(byteBuffer: asset.body)
        )
    }
}

extension HTTPField.Name {
    /// `Referrer-Policy`.
    static var referrerPolicy: Self {
        guard let name = Self("Referrer-Policy") else { preconditionFailure("Referrer-Policy is a valid field name") }
        return name
    }
}
