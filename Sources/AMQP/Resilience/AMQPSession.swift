import Logging
import NIOCore

/// A connection and one channel on it, set up (topology declared, confirm mode or qos): what the reconnecting
/// publisher and consumer hold, and replace when it fails.
struct AMQPSession: Sendable {
    let connection: AMQPConnection
    let channel: AMQPChannel

    /// Whether it can still be used.
    var isUsable: Bool { !self.connection.isClosed && self.channel.closeError == nil }

    /// Connects, opens a channel, declares the topology and runs `setUp`; on failure, retries with `backoff` until
    /// it succeeds or the task is cancelled.
    ///
    /// - Throws: `CancellationError` only.
    static func open(
        configuration: AMQPConnectionConfiguration,
        topology: AMQPTopology,
        backoff: AMQPBackoff,
        eventLoopGroup: any EventLoopGroup,
        logger: Logger,
        setUp: @Sendable (AMQPChannel) async throws -> Void
    ) async throws -> AMQPSession {
        var failures = 0
        while true {
            try Task.checkCancellation()
            do {
                let connection = try await AMQPConnection.connect(
                    configuration: configuration,
                    eventLoopGroup: eventLoopGroup,
                    logger: logger
                )
                do {
                    let channel = try await connection.openChannel()
                    try await topology.declare(on: channel)
                    try await setUp(channel)
                    if failures > 0 {
                        logger.notice(
                            "AMQP connection re-established",
                            metadata: [
                                "host": "\(connection.host.host):\(connection.host.port)",
                                "attempts": "\(failures + 1)",
                            ]
                        )
                    }
                    return AMQPSession(connection: connection, channel: channel)
                } catch {
                    try? await connection.close()
                    throw error
                }
            } catch {
                failures += 1
                let delay = backoff.delay(afterFailures: failures)
                logger.warning(
                    "cannot set up the AMQP connection; retrying",
                    metadata: [
                        "error": "\(String(reflecting: error))", "retry_in": "\(delay)", "attempt": "\(failures)",
                    ]
                )
                try await Task.sleep(for: delay)
            }
        }
    }

    /// Closes the connection, ignoring errors.
    func close() async {
        try? await self.connection.close()
    }
}

extension AMQPError {
    /// Whether a new connection may succeed where this error failed: the connection was lost, timed out, went
    /// silent, or was closed by the broker (e.g. 320 CONNECTION_FORCED when it shuts down). A channel closed by the
    /// broker for a reason of its own (404 NOT_FOUND, 406 PRECONDITION_FAILED, 403 ACCESS_REFUSED) is not: the same
    /// operation would fail again.
    public var isConnectionFailure: Bool {
        switch self.code {
        case .connectionLost, .deadPeer, .connectTimeout:
            return true
        case .connectionClosed:
            return self.replyCode != .success
        default:
            return false
        }
    }
}
