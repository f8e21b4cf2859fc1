public import NIOCore
public import NIOSSL

/// How to connect: the URL (brokers tried in turn, credentials, virtual host, TLS), the tuning wishes and timeouts.
public struct AMQPConnectionConfiguration: Sendable {
    /// The brokers, credentials, virtual host and whether to use TLS.
    public var url: AMQPURL
    /// The heartbeat wanted, in seconds (the broker may lower it; 0 takes the broker's). Defaults to 60, RabbitMQ's.
    /// A broker silent for two intervals is dead: the connection fails with ``AMQPError/Code/deadPeer``.
    public var heartbeat: UInt16
    /// The largest frame wanted, in bytes; 0 takes the broker's. Defaults to 131072, RabbitMQ's.
    public var frameMax: UInt32
    /// The highest channel number wanted; 0 takes the broker's. Defaults to 2047, RabbitMQ's.
    public var channelMax: UInt16
    /// The name RabbitMQ shows for the connection (management UI, `rabbitmqctl list_connections client_properties`).
    public var connectionName: String?
    /// How long to wait for each broker: the TCP (and TLS) connection, then the AMQP handshake.
    public var connectTimeout: TimeAmount
    /// How long ``AMQPConnection/close()`` waits for the broker's `connection.close-ok`.
    public var closeTimeout: TimeAmount
    /// The TLS settings for `amqps://` URLs: by default the system's trust roots and full verification.
    public var tls: TLSConfiguration

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - url: The brokers to try, in order.
    ///   - heartbeat: Seconds; defaults to 60.
    ///   - frameMax: Bytes; defaults to 131072.
    ///   - channelMax: Defaults to 2047.
    ///   - connectionName: The name RabbitMQ shows for the connection.
    ///   - connectTimeout: Per broker; defaults to 10 seconds.
    ///   - closeTimeout: Defaults to 5 seconds.
    ///   - tls: For `amqps://`; defaults to `TLSConfiguration.makeClientConfiguration()`.
    public init(
        url: AMQPURL,
        heartbeat: UInt16 = 60,
        frameMax: UInt32 = AMQPFrame.defaultMaximumFrameSize,
        channelMax: UInt16 = 2047,
        connectionName: String? = nil,
        connectTimeout: TimeAmount = .seconds(10),
        closeTimeout: TimeAmount = .seconds(5),
        tls: TLSConfiguration = .makeClientConfiguration()
    ) {
        self.url = url
        self.heartbeat = heartbeat
        self.frameMax = frameMax
        self.channelMax = channelMax
        self.connectionName = connectionName
        self.connectTimeout = connectTimeout
        self.closeTimeout = closeTimeout
        self.tls = tls
    }

    /// The handshake parameters for one of the URL's hosts.
    func handshake(for host: AMQPURL.Host) -> ConnectionConfiguration {
        ConnectionConfiguration(
            username: host.username,
            password: host.password,
            virtualHost: self.url.virtualHost,
            channelMax: self.channelMax,
            frameMax: self.frameMax,
            heartbeat: self.heartbeat,
            connectionName: self.connectionName
        )
    }
}
