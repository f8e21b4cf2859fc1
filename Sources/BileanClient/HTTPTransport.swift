/// Sends requests: AsyncHTTPClient in the CLI, a fake in tests.
package protocol HTTPTransport: Sendable {
    /// Sends a request and reads the whole response.
    /// - Parameters:
    ///   - request: The request.
    ///   - timeout: The time the whole exchange may take.
    /// - Returns: The response, whatever its status.
    /// - Throws: Any error of the transport when no response arrived (connection refused, timeout, …).
    func send(_ request: HTTPRequestData, timeout: Duration) async throws -> HTTPResponseData
}
