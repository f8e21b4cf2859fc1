import Foundation

extension URLComponents {
    /// The components of an `http` or `https` URL with a host and without a query, a fragment or credentials
    /// (a Bilean URL, a Keystone auth URL).
    /// - Parameters:
    ///   - text: The URL, trimmed.
    ///   - invalid: The error for a reason.
    /// - Returns: The components.
    /// - Throws: `invalid(reason)` for anything else.
    static func httpService(
        _ text: String,
        invalid: (String) -> BileanClientError
    ) throws(BileanClientError) -> URLComponents {
        guard let components = URLComponents(string: text) else { throw invalid("not a URL") }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw invalid("the scheme must be http or https")
        }
        guard let host = components.host, !host.isEmpty else { throw invalid("there is no host") }
        guard components.query == nil, components.fragment == nil else {
            throw invalid("a query or a fragment is not allowed")
        }
        guard components.user == nil, components.password == nil else {
            throw invalid("credentials in the URL are not allowed")
        }
        return components
    }
}
