import Foundation

/// The root URL of a Bilean API and the URLs of its v1 resources.
///
/// Accepts the URL with or without the version: `http://h:8770`, `http://h:8770/` and `http://h:8770/v1` (also
/// with a trailing `/`, or under a path prefix such as `https://cloud/billing/v1`) all give the root
/// `http://h:8770`, and every request goes to `<root>/v1/...`.
package struct BileanEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The root URL: scheme, host, optional port and path prefix, no trailing `/` and no `/v1`.
    package let root: String

    /// Parses and normalises a Bilean URL.
    /// - Parameter text: The URL as the user gave it.
    /// - Throws: ``BileanClientError`` (``BileanClientError/Code/invalidURL``) for anything but an `http` or
    ///   `https` URL with a host and without a query, a fragment or credentials.
    package init(_ text: String) throws(BileanClientError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        func invalid(_ reason: String) -> BileanClientError {
            BileanClientError(.invalidURL, "invalid Bilean URL '\(text)': \(reason)")
        }
        let components = try URLComponents.httpService(trimmed, invalid: invalid)
        let scheme = components.scheme?.lowercased() ?? "http"
        let host = components.host ?? ""
        var path = components.percentEncodedPath
        while path.hasSuffix("/") { path.removeLast() }
        if path.hasSuffix("/v1") { path.removeLast(3) }
        while path.hasSuffix("/") { path.removeLast() }
        let hostText = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let port = components.port.map { ":\($0)" } ?? ""
        self.root = "\(scheme)://\(hostText)\(port)\(path)"
    }

    /// The URL of a v1 resource.
    /// - Parameters:
    ///   - segments: The path segments after `/v1`, each percent-encoded here (`["users", id, "action"]`).
    ///   - query: The query parameters.
    /// - Returns: `<root>/v1/<segments>[?<query>]`.
    package func url(_ segments: [String], query: QueryParameters = QueryParameters()) -> String {
        var url = self.root + "/v1"
        for segment in segments {
            url += "/" + QueryParameters.percentEncode(segment)
        }
        let encodedQuery = query.encoded
        if !encodedQuery.isEmpty { url += "?" + encodedQuery }
        return url
    }

    package var description: String { self.root }
}
