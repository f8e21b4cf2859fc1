public import Logging
public import NIOCore
public import NIOPosix
import NIOSSL

/// A connection to an AMQP 0-9-1 broker (RabbitMQ), on which channels are opened.
///
/// ```swift
/// let connection = try await AMQPConnection.connect(
///     configuration: AMQPConnectionConfiguration(url: try AMQPURL("amqp://guest:guest@127.0.0.1:5672/")),
///     logger: logger
/// )
/// let channel = try await connection.openChannel()
/// try await channel.queueDeclare("jobs", durable: true)
/// try await connection.close()
/// ```
///
/// The connection is one TCP (or TLS) connection on one event loop. It sends heartbeats and closes itself when the
/// broker is silent for two heartbeat intervals. Once it fails or is closed, every channel, consumer and pending
/// confirmation fails with the same ``AMQPError``, and it is never reopened: ``AMQPReconnectingPublisher`` and
/// ``AMQPReconnectingConsumer`` make new connections.
public final class AMQPConnection: Sendable {
    let channel: any Channel
    let shared: ConnectionShared
    private let closedFuture: EventLoopFuture<Void>
    /// The broker's `connection.start` properties (product, version, capabilities…).
    public let serverProperties: AMQPTable
    /// The broker this connection went to.
    public let host: AMQPURL.Host
    /// The connection's logger.
    public let logger: Logger

    private init(
        channel: any Channel,
        shared: ConnectionShared,
        closedFuture: EventLoopFuture<Void>,
        serverProperties: AMQPTable,
        host: AMQPURL.Host,
        logger: Logger
    ) {
        self.channel = channel
        self.shared = shared
        self.closedFuture = closedFuture
        self.serverProperties = serverProperties
        self.host = host
        self.logger = logger
    }

    /// Connects to the first broker of the URL that answers and completes the handshake.
    ///
    /// - Parameters:
    ///   - configuration: The URL (brokers tried in their order), tuning and timeouts.
    ///   - eventLoopGroup: Where the connection runs; defaults to NIO's shared group.
    ///   - logger: Where the connection logs (never credentials nor message bodies).
    /// - Returns: The open connection.
    /// - Throws: ``AMQPError`` of the last broker tried: `authenticationFailed`, `connectTimeout`, `connectionLost`
    ///   (its ``AMQPError/underlying`` is the I/O error, e.g. connection refused), `connectionClosed` (e.g. 530 for
    ///   an unknown virtual host)…
    public static func connect(
        configuration: AMQPConnectionConfiguration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) async throws -> AMQPConnection {
        var lastError: (any Error)?
        for host in configuration.url.hosts {
            do {
                return try await Self.connect(
                    to: host,
                    configuration: configuration,
                    eventLoop: eventLoopGroup.next(),
                    logger: logger
                )
            } catch {
                lastError = error
                // With one broker the caller reports the error; with several, each failover is worth a warning.
                logger.log(
                    level: configuration.url.hosts.count > 1 ? .warning : .debug,
                    "cannot connect to the AMQP broker",
                    metadata: ["host": "\(host.host):\(host.port)", "error": "\(String(reflecting: error))"]
                )
            }
        }
        throw lastError ?? AMQPError(code: .invalidURL, message: "the URL names no broker")
    }

    private static func connect(
        to host: AMQPURL.Host,
        configuration: AMQPConnectionConfiguration,
        eventLoop: any EventLoop,
        logger: Logger
    ) async throws -> AMQPConnection {
        var logger = logger
        logger[metadataKey: "amqp.host"] = "\(host.host):\(host.port)"
        // Before the promises: a TLS configuration that cannot load (a missing CA file) throws here, and a promise
        // left unfulfilled on that path is a leak (an assertion in debug builds).
        let sslContext = configuration.url.tls ? try NIOSSLContext(configuration: configuration.tls) : nil
        let connectPromise = eventLoop.makePromise(of: AMQPTable.self)
        let closedPromise = eventLoop.makePromise(of: Void.self)
        let shared = ConnectionShared(eventLoop: eventLoop)
        let serverHostname = Self.isIPAddress(host.host) ? nil : host.host
        let handshake = configuration.handshake(for: host)
        let closeTimeout = configuration.closeTimeout
        let handlerLogger = logger
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(configuration.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        let tls = try NIOSSLClientHandler(context: sslContext, serverHostname: serverHostname)
                        try channel.pipeline.syncOperations.addHandler(tls)
                    }
                    try channel.pipeline.syncOperations.addHandler(
                        AMQPChannelHandler(
                            configuration: handshake,
                            closeTimeout: closeTimeout,
                            connectPromise: connectPromise,
                            closedPromise: closedPromise,
                            shared: shared,
                            logger: handlerLogger
                        )
                    )
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host.host, port: host.port).get()
        } catch {
            connectPromise.fail(error)
            closedPromise.fail(error)
            if error is ChannelError, case .connectTimeout = error as? ChannelError {
                var timeout = AMQPError(code: .connectTimeout, message: "the broker did not answer in time")
                timeout.underlying = error
                throw timeout
            }
            throw AMQPError.connectionLost(error)
        }
        let timeout = eventLoop.scheduleTask(in: configuration.connectTimeout) {
            var error = AMQPError(code: .connectTimeout, message: "the broker did not finish the handshake in time")
            error.underlying = nil
            connectPromise.fail(error)
            channel.close(promise: nil)
        }
        do {
            let serverProperties = try await connectPromise.futureResult.get()
            timeout.cancel()
            logger.debug("AMQP connection open")
            return AMQPConnection(
                channel: channel,
                shared: shared,
                closedFuture: closedPromise.futureResult,
                serverProperties: serverProperties,
                host: host,
                logger: logger
            )
        } catch {
            timeout.cancel()
            try? await channel.close()
            throw error
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || host.allSatisfy { $0 == "." || $0.isASCII && $0.isNumber }
    }

    /// Opens a channel.
    ///
    /// - Returns: The channel, open.
    /// - Throws: ``AMQPError``: the connection is closed (its error), or every channel number is in use.
    public func openChannel() async throws -> AMQPChannel {
        try await self.writer.submit { .openChannel($0) }
    }

    /// Closes the connection: `connection.close`, then waits for the broker's `close-ok` (or the close timeout).
    /// Every channel, consumer and pending confirmation fails (consumers end without an error). Closing a closed
    /// connection does nothing.
    public func close() async throws {
        let promise = self.channel.eventLoop.makePromise(of: Void.self)
        self.channel.writeAndFlush(HandlerTask.closeConnection(promise)).whenFailure { _ in promise.succeed() }
        try await promise.futureResult.get()
    }

    /// Waits until the connection ends.
    ///
    /// - Throws: The ``AMQPError`` that ended it, unless it was closed by ``close()``.
    public func closed() async throws {
        try await self.closedFuture.get()
    }

    /// Whether the connection ended.
    public var isClosed: Bool { !self.channel.isActive }

    /// Whether the broker blocked publishing on this connection (`connection.blocked`, a resource alarm): publishes
    /// wait until it unblocks.
    public var isBlocked: Bool { self.shared.isBlocked }

    /// The negotiated largest frame, in bytes.
    public var frameMax: UInt32 { self.shared.frameMax }

    var writer: TaskWriter { TaskWriter(channel: self.channel, connection: self.shared) }
}

/// Writes ``HandlerTask``s to the connection's handler, and fails their promise when the connection is gone.
struct TaskWriter: Sendable {
    let channel: any Channel
    let connection: ConnectionShared

    func submit<Value: Sendable>(_ makeTask: (EventLoopPromise<Value>) -> HandlerTask) async throws -> Value {
        let promise = self.channel.eventLoop.makePromise(of: Value.self)
        let connection = self.connection
        self.channel.writeAndFlush(makeTask(promise)).whenFailure { _ in
            promise.fail(connection.error ?? AMQPError.connectionLost(nil))
        }
        return try await promise.futureResult.get()
    }
}
