import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The ``HTTPTransport`` of the CLI, on AsyncHTTPClient.
///
/// The client does not retry failed connection attempts (AsyncHTTPClient's default retries them with back-off
/// until the request's deadline, so a refused connection would take the whole timeout to report) and gives up
/// connecting after ``connectTimeout``. Transport failures are rethrown as ``BileanClientError``
/// (``BileanClientError/Code/connectionFailed``) whose message is a short reason (`Connection refused`, `no
/// complete answer within 60 s`), the original error kept as `underlying`.
package struct AsyncHTTPTransport: HTTPTransport {
    /// The largest response body read.
    package static let maximumBodyBytes = 64 * 1024 * 1024
    /// The time a connection attempt may take.
    package static let connectTimeout = Duration.seconds(10)

    private let client: HTTPClient

    /// Creates a transport on a client the caller owns (and shuts down).
    /// - Parameter client: The client.
    init(client: HTTPClient) {
        self.client = client
    }

    /// The configuration of the client: no retry of failed connection attempts, ``connectTimeout``.
    static var clientConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = TimeAmount(Self.connectTimeout)
        return configuration
    }

    /// Runs `body` with a transport on a new client, shut down when `body` returns or throws.
    /// - Parameter body: The work.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or an error of the client's shutdown.
    package static func withTransport<Value>(
        _ body: (AsyncHTTPTransport) async throws -> Value
    ) async throws -> Value {
        try await HTTPClient.withHTTPClient(configuration: Self.clientConfiguration) { client in
            try await body(AsyncHTTPTransport(client: client))
        }
    }

    package func send(_ request: HTTPRequestData, timeout: Duration) async throws -> HTTPResponseData {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers {
            outgoing.headers.add(name: header.name, value: header.value)
        }
        if let body = request.body {
            outgoing.body = .bytes(ByteBuffer(string: body))
        }
        do {
            let response = try await self.client.execute(outgoing, timeout: TimeAmount(timeout))
            let buffer = try await response.body.collect(upTo: Self.maximumBodyBytes)
            return HTTPResponseData(
                status: Int(response.status.code),
                headers: response.headers.map { HTTPHeader($0.name, $0.value) },
                body: String(buffer: buffer)
            )
        } catch {
            throw BileanClientError(.connectionFailed, Self.reason(error, timeout: timeout), underlying: error)
        }
    }

    /// A short, human reason for a transport error.
    static func reason(_ error: any Error, timeout: Duration) -> String {
        switch error {
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first {
                return self.reason(first.error, timeout: timeout)
            }
            if error.dnsAError != nil || error.dnsAAAAError != nil {
                return "cannot resolve the host \(error.host)"
            }
            return "cannot connect to \(error.host):\(error.port)"
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case is NIOTooManyBytesError:
            return "the answer is larger than \(Self.maximumBodyBytes) bytes"
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout: return "the connection timed out"
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return "no complete answer within \(timeout.components.seconds) s"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: return error.description
            }
        default:
            return String(describing: error)
        }
    }
}
