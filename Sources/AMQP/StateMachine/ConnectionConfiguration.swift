import NIOCore

/// What the client asks for in the handshake of ``ConnectionStateMachine``.
struct ConnectionConfiguration: Sendable {
    /// The PLAIN user name.
    var username: String
    /// The PLAIN password. Never logged.
    var password: String
    /// The virtual host of `connection.open`.
    var virtualHost: String
    /// The locale of `connection.start-ok`.
    var locale: String
    /// The highest channel number wanted; 0 takes the broker's.
    var channelMax: UInt16
    /// The largest frame wanted, in bytes; 0 takes the broker's.
    var frameMax: UInt32
    /// The heartbeat interval wanted, in seconds; 0 takes the broker's.
    var heartbeat: UInt16
    /// The `connection_name` client property (RabbitMQ shows it in its management UI), if any.
    var connectionName: String?
    /// The `product` client property.
    var product: String
    /// The `version` client property.
    var version: String

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - username: The PLAIN user name.
    ///   - password: The PLAIN password.
    ///   - virtualHost: The virtual host; defaults to `/`.
    ///   - locale: The locale; defaults to `en_US`.
    ///   - channelMax: The highest channel number wanted; 0 (the default) takes the broker's.
    ///   - frameMax: The largest frame wanted; 0 (the default) takes the broker's.
    ///   - heartbeat: The heartbeat wanted, in seconds; 0 (the default) takes the broker's.
    ///   - connectionName: The `connection_name` client property.
    ///   - product: The `product` client property.
    ///   - version: The `version` client property.
    init(
        username: String,
        password: String,
        virtualHost: String = "/",
        locale: String = "en_US",
        channelMax: UInt16 = 0,
        frameMax: UInt32 = 0,
        heartbeat: UInt16 = 0,
        connectionName: String? = nil,
        product: String = "Bilean AMQP",
        version: String = "1.0.0"
    ) {
        self.username = username
        self.password = password
        self.virtualHost = virtualHost
        self.locale = locale
        self.channelMax = channelMax
        self.frameMax = frameMax
        self.heartbeat = heartbeat
        self.connectionName = connectionName
        self.product = product
        self.version = version
    }

    /// The RabbitMQ extensions this client supports, announced in the `capabilities` client property.
    static let capabilities: AMQPTable = [
        "publisher_confirms": .bool(true),
        "consumer_cancel_notify": .bool(true),
        "connection.blocked": .bool(true),
        "basic.nack": .bool(true),
        "exchange_exchange_bindings": .bool(true),
        "authentication_failure_close": .bool(true),
        "per_consumer_qos": .bool(true),
    ]

    /// The client properties of `connection.start-ok`: product, version, platform, capabilities and the
    /// connection name.
    var clientProperties: AMQPTable {
        var properties: AMQPTable = [
            "product": .string(self.product),
            "version": .string(self.version),
            "platform": .string("Swift"),
            "capabilities": .table(Self.capabilities),
        ]
        if let connectionName = self.connectionName {
            properties["connection_name"] = .string(connectionName)
        }
        return properties
    }

    /// The PLAIN response: `\0user\0password`.
    var plainResponse: ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(self.username.utf8.count + self.password.utf8.count + 2)
        buffer.writeInteger(UInt8(0))
        buffer.writeString(self.username)
        buffer.writeInteger(UInt8(0))
        buffer.writeString(self.password)
        return buffer
    }

    /// The `connection.start-ok` to send.
    var startOk: AMQPMethod.Connection.StartOk {
        AMQPMethod.Connection.StartOk(
            clientProperties: self.clientProperties,
            mechanism: "PLAIN",
            response: self.plainResponse,
            locale: self.locale
        )
    }
}
