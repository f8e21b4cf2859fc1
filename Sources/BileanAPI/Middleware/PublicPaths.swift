/// The paths that need no token: the version documents, health, metrics, the API description and the dashboard.
enum PublicPaths {
    static let exact: Set<String> = [
        "/", "/v1", "/v1/", "/healthz", "/readyz", "/metrics", "/v1/openapi.json", "/openapi.json", "/dashboard",
    ]

    /// Whether a request path needs no token.
    static func contains(_ path: String) -> Bool {
        Self.exact.contains(path) || path.hasPrefix("/dashboard/")
    }
}
