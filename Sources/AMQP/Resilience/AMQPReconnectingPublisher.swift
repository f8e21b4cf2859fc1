public import Logging
public import NIOCore
public import NIOPosix
import Synchronization

/// A publisher that survives lost connections and broker restarts: every message is confirmed by the broker, or the
/// caller gets an error. Nothing is dropped silently.
///
/// It keeps one connection with one channel in confirm mode, declares its ``AMQPTopology`` on each new connection,
/// and reconnects with ``AMQPBackoff`` when the connection fails. ``publish(_:exchange:routingKey:mandatory:properties:)``
/// returns when the broker confirmed the message. When the connection fails before the confirmation, the message is
/// published again on the next connection: delivery is *at least once* (a consumer may see a message twice, e.g.
/// when the broker took it but its confirmation was lost with the connection; give messages an id to deduplicate).
/// Several tasks may publish at once; their messages share the connection and are confirmed in batches.
///
/// While no broker can be reached, publishes wait (reconnecting with backoff) until one can, or until ``close()``.
public final class AMQPReconnectingPublisher: Sendable {
    private struct State {
        var session: AMQPSession?
        var connecting: Task<AMQPSession, any Error>?
        var isClosed = false
    }

    private enum Next {
        case ready(AMQPSession)
        case wait(Task<AMQPSession, any Error>)
    }

    /// How many times a message the broker nacks is published again before the nack is reported.
    public static let nackRetries = 3

    private let configuration: AMQPConnectionConfiguration
    private let topology: AMQPTopology
    private let backoff: AMQPBackoff
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let state = Mutex(State())

    /// Creates a publisher; it connects on the first publish.
    ///
    /// - Parameters:
    ///   - configuration: Where and how to connect.
    ///   - topology: Declared on every connection (e.g. the exchange published to).
    ///   - backoff: Delays between reconnection attempts.
    ///   - eventLoopGroup: Where connections run.
    ///   - logger: Reconnections are logged (warning), with the error.
    public init(
        configuration: AMQPConnectionConfiguration,
        topology: AMQPTopology = AMQPTopology(),
        backoff: AMQPBackoff = AMQPBackoff(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        self.topology = topology
        self.backoff = backoff
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Publishes a message and waits for the broker's confirmation, reconnecting and publishing it again as needed.
    ///
    /// - Throws: ``AMQPError``: ``AMQPError/Code/publishNacked`` when the broker refused it ``nackRetries`` + 1
    ///   times; a channel error of the broker (e.g. 404 NOT_FOUND: the exchange does not exist), which reconnecting
    ///   would not fix; ``AMQPError/Code/connectionClosed`` after ``close()``; `CancellationError`.
    public func publish(
        _ body: ByteBuffer,
        exchange: String = "",
        routingKey: String,
        mandatory: Bool = false,
        properties: AMQPProperties = AMQPProperties()
    ) async throws {
        var nacks = 0
        while true {
            try Task.checkCancellation()
            let session = try await self.session()
            do {
                let receipt = try await session.channel.publish(
                    body,
                    exchange: exchange,
                    routingKey: routingKey,
                    mandatory: mandatory,
                    properties: properties
                )
                try await receipt.confirmed()
                return
            } catch let error as AMQPError where error.code == .publishNacked {
                nacks += 1
                guard nacks <= Self.nackRetries else { throw error }
                self.logger.warning("the broker nacked a message; publishing it again", metadata: ["nacks": "\(nacks)"])
                try await Task.sleep(for: self.backoff.delay(afterFailures: nacks))
            } catch let error as AMQPError {
                self.drop(session)
                if error.isConnectionFailure {
                    self.logger.warning(
                        "the AMQP connection failed before the broker confirmed a message; publishing it again",
                        metadata: ["error": "\(String(reflecting: error))"]
                    )
                    continue
                }
                if self.isClosed { throw Self.closedError }
                throw error
            }
        }
    }

    /// Closes the connection. Publishes waiting for a connection fail with ``AMQPError/Code/connectionClosed``.
    public func close() async {
        let (session, connecting) = self.state.withLock { state in
            state.isClosed = true
            defer {
                state.session = nil
                state.connecting = nil
            }
            return (state.session, state.connecting)
        }
        connecting?.cancel()
        await session?.close()
        if let connecting, let session = try? await connecting.value {
            await session.close()
        }
    }

    private var isClosed: Bool { self.state.withLock { $0.isClosed } }

    private static var closedError: AMQPError {
        AMQPError(code: .connectionClosed, message: "the publisher is closed")
    }

    /// The current session, or the one being set up (shared by every caller).
    private func session() async throws -> AMQPSession {
        let next: Next = try self.state.withLock { state in
            if state.isClosed { throw Self.closedError }
            if let session = state.session, session.isUsable { return .ready(session) }
            state.session = nil
            if let connecting = state.connecting { return .wait(connecting) }
            let connecting = Task { [configuration, topology, backoff, eventLoopGroup, logger] in
                try await AMQPSession.open(
                    configuration: configuration,
                    topology: topology,
                    backoff: backoff,
                    eventLoopGroup: eventLoopGroup,
                    logger: logger
                ) { channel in
                    try await channel.confirmSelect()
                }
            }
            state.connecting = connecting
            return .wait(connecting)
        }
        switch next {
        case .ready(let session):
            return session
        case .wait(let connecting):
            let session: AMQPSession
            do {
                session = try await connecting.value
            } catch {
                if self.isClosed { throw Self.closedError }
                throw error
            }
            let closed = self.state.withLock { state -> Bool in
                if state.connecting == connecting {
                    state.connecting = nil
                    state.session = session
                }
                return state.isClosed
            }
            if closed {
                await session.close()
                throw Self.closedError
            }
            return session
        }
    }

    /// Forgets a failed session (closing its connection) unless another one replaced it already.
    private func drop(_ session: AMQPSession) {
        let dropped = self.state.withLock { state -> Bool in
            guard let current = state.session, current.connection === session.connection else { return false }
            state.session = nil
            return true
        }
        if dropped {
            Task { await session.close() }
        }
    }
}
