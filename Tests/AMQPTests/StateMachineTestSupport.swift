import NIOCore

@testable import AMQP

/// The connection machine of the tests: promises are integers.
typealias TestConnection = ConnectionStateMachine<Int>
/// The channel machine of the tests.
typealias TestChannel = ChannelStateMachine<Int>

extension AMQPFrame {
    /// A method frame.
    static func method(_ method: AMQPMethod, channel: UInt16 = 0) -> AMQPFrame {
        AMQPFrame(channel: channel, payload: .method(method))
    }

    /// A content header frame of class `basic`.
    static func header(bodySize: UInt64, properties: AMQPProperties = AMQPProperties(), channel: UInt16) -> AMQPFrame {
        AMQPFrame(channel: channel, payload: .header(AMQPContentHeader(bodySize: bodySize, properties: properties)))
    }

    /// A content body frame.
    static func body(_ text: String, channel: UInt16) -> AMQPFrame {
        AMQPFrame(channel: channel, payload: .body(ByteBuffer(string: text)))
    }
}

enum Handshake {
    static let serverProperties: AMQPTable = ["product": "RabbitMQ", "version": "4.1.0"]
    static let start = AMQPMethod.Connection.Start(
        serverProperties: serverProperties,
        mechanisms: "AMQPLAIN PLAIN",
        locales: "en_US"
    )
    static let configuration = ConnectionConfiguration(
        username: "bilean",
        password: "s3cret",
        virtualHost: "/billing",
        heartbeat: 30,
        connectionName: "bilean-engine"
    )

    /// A machine through the whole handshake with a broker proposing `tune`.
    static func open(
        _ configuration: ConnectionConfiguration = Self.configuration,
        tune: AMQPMethod.Connection.Tune = .init(channelMax: 2047, frameMax: 131_072, heartbeat: 60)
    ) -> TestConnection {
        var machine = TestConnection(configuration: configuration)
        _ = machine.start()
        _ = machine.frameReceived(.method(.connection(.start(Self.start))))
        _ = machine.frameReceived(.method(.connection(.tune(tune))))
        _ = machine.frameReceived(.method(.connection(.openOk(.init()))))
        return machine
    }

    /// An open machine with channel `1` open (its open promise: 1).
    static func openWithChannel(
        _ configuration: ConnectionConfiguration = Self.configuration
    ) -> TestConnection {
        var machine = Self.open(configuration)
        _ = machine.openChannel(promise: 1)
        _ = machine.frameReceived(.method(.channel(.openOk(.init())), channel: 1))
        return machine
    }
}

extension AMQPError {
    /// The error the machines use for a server's `connection.close`.
    static func testConnectionClosed(
        _ code: AMQPReplyCode,
        _ text: String,
        classID: UInt16 = 0,
        methodID: UInt16 = 0
    )
        -> AMQPError
    {
        .connectionClosed(
            by: .init(replyCode: code, replyText: text, classID: classID, methodID: methodID),
            duringHandshake: false
        )
    }
}
