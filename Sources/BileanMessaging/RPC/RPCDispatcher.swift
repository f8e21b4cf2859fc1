package import BileanCore
package import Logging

/// Chooses the endpoint of a request and runs it, as oslo's `RPCDispatcher` does: the endpoints of the request's
/// namespace whose version serves the requested one are tried in order; the first that has the method answers.
/// None of them has it: ``RPCRemoteError/Kind/noSuchMethod``; no endpoint serves the namespace and version:
/// ``RPCRemoteError/Kind/unsupportedVersion``.
package struct RPCDispatcher: Sendable {
    /// The endpoints, in the order they are tried.
    package let endpoints: [any RPCEndpoint]
    private let versions: [RPCVersion?]

    /// Creates a dispatcher.
    /// - Parameter endpoints: The endpoints, tried in this order.
    package init(endpoints: [any RPCEndpoint]) {
        self.endpoints = endpoints
        self.versions = endpoints.map { RPCVersion($0.version) }
    }

    /// The endpoints that serve a namespace and version, in order.
    /// - Parameters:
    ///   - namespace: The request's namespace (`nil`: the default namespace, served by endpoints named `""`).
    ///   - version: The requested version.
    /// - Returns: The candidates (empty: unsupported version).
    package func candidates(namespace: String?, version: String) -> [any RPCEndpoint] {
        guard let requested = RPCVersion(version) else { return [] }
        let namespace = namespace ?? ""
        return zip(self.endpoints, self.versions).compactMap { endpoint, implemented in
            guard endpoint.namespace == namespace, let implemented, implemented.serves(requested) else { return nil }
            return endpoint
        }
    }

    /// Runs a request and returns what to answer.
    /// - Parameters:
    ///   - request: The request.
    ///   - logger: Where an unexpected error is logged (with the method and the request id, never the arguments).
    /// - Returns: The result, or the error to answer with.
    package func dispatch(_ request: RPCRequest, logger: Logger) async -> Result<JSONValue, RPCRemoteError> {
        let candidates = self.candidates(namespace: request.namespace, version: request.version)
        guard !candidates.isEmpty else {
            var message =
                "Endpoint does not support RPC version \(request.version). Attempted method: \(request.method)"
            if let namespace = request.namespace, !self.endpoints.contains(where: { $0.namespace == namespace }) {
                message =
                    "No endpoint serves the namespace \(MessagingError.quoted(namespace)). "
                    + "Attempted method: \(request.method)"
            }
            return .failure(RPCRemoteError(kind: .unsupportedVersion, message: message))
        }
        for endpoint in candidates {
            do {
                return .success(
                    try await endpoint.handle(method: request.method, args: request.args, context: request.context)
                )
            } catch let error as RPCRemoteError where error.kind == .noSuchMethod {
                continue
            } catch let error as RPCRemoteError {
                return .failure(error)
            } catch {
                logger.error(
                    "an RPC endpoint failed",
                    metadata: [
                        "rpc.namespace": "\(request.namespace ?? "")", "rpc.method": "\(request.method)",
                        "request.id": "\(request.context.requestID ?? "-")",
                        "message.id": "\(request.messageID ?? request.uniqueID ?? "-")",
                        "error": "\(String(reflecting: error))",
                    ]
                )
                return .failure(.internalError)
            }
        }
        return .failure(
            RPCRemoteError(kind: .noSuchMethod, message: "Endpoint does not support RPC method \(request.method)")
        )
    }
}
