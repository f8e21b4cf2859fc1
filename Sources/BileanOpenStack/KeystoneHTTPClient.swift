package import AsyncHTTPClient
import NIOCore
import NIOSSL

/// The HTTP client Bilean talks to Keystone with: `[keystone_authtoken] http_connect_timeout`, `cafile` and
/// `insecure`, and no retry of a refused connection (a Keystone that is down must answer 503 at once, not after
/// the request's whole deadline).
package enum KeystoneHTTPClient {
    /// Makes a client; the caller shuts it down.
    /// - Parameters:
    ///   - connectTimeout: The time a connection attempt may take.
    ///   - caFile: A PEM file of the CAs to trust for `https://` Keystone URLs (`nil`: the system's).
    ///   - insecure: Whether to skip TLS certificate verification.
    /// - Returns: The client.
    package static func make(connectTimeout: Int64, caFile: String?, insecure: Bool) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(connectTimeout)
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile { tls.trustRoots = .file(caFile) }
        if insecure { tls.certificateVerification = .none }
        configuration.tlsConfiguration = tls
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}
