package import BileanCore
package import BileanMessaging

extension RPCRemoteError {
    /// The remote form of an engine error: its kind, client-safe message and field. An error that is not a
    /// ``BileanError`` reveals nothing.
    package init(_ error: any Error) {
        guard let error = error as? BileanError else {
            if let remote = error as? RPCRemoteError {
                self = remote
                return
            }
            self.init(kind: .internalError, message: "Internal error in the billing engine", field: nil)
            return
        }
        switch error.code {
        case .invalidInput: self.init(kind: .invalidInput, message: error.message, field: error.field)
        case .notFound: self.init(kind: .notFound, message: error.message, field: nil)
        case .conflict: self.init(kind: .conflict, message: error.message, field: nil)
        default: self.init(kind: .internalError, message: "Internal error in the billing engine", field: nil)
        }
    }
}

extension BileanError {
    /// What a caller of the engine sees of a failed RPC call.
    /// - Parameters:
    ///   - error: How the call failed.
    ///   - method: The method, for the messages.
    ///   - noEngine: Whether no engine consumes the topic (asked after a timeout): 503 rather than 504.
    package init(_ error: RPCCallError, method: String, noEngine: Bool = false) {
        switch error {
        case .remote(let remote):
            switch remote.kind {
            case .invalidInput:
                self.init(.invalidInput, remote.message, field: remote.field)
            case .notFound:
                self.init(.notFound, remote.message)
            case .conflict:
                self.init(.conflict, remote.message)
            case .unsupportedVersion, .noSuchMethod:
                self.init(
                    .internalError,
                    "The billing engine is older than this service (\(method): \(remote.message)); upgrade the engines",
                    underlying: remote
                )
            case .internalError:
                self.init(.internalError, "Internal error in the billing engine", underlying: remote)
            }
        case .timeout(let duration):
            self.init(
                noEngine ? .unavailable : .timedOut,
                noEngine
                    ? "No billing engine is running (nothing consumes the RPC topic)"
                    : "The billing engine did not answer \(method) within \(duration)",
                underlying: error
            )
        case .unreachable(let reason):
            self.init(.unavailable, "No billing engine can be reached: \(reason)", underlying: error)
        }
    }
}
