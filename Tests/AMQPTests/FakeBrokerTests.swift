import AMQP
import NIOCore
import NIOPosix
import Testing

/// The client against a scripted fake broker on loopback, for what a real RabbitMQ never does: malformed frames, a
/// handshake that never finishes, an abrupt end. (Everything a real broker does is tested against RabbitMQ in
/// AMQPClientTests and ResilienceTests; this server exists only because RabbitMQ cannot be made to misbehave.)
@Suite(.timeLimit(.minutes(1)))
struct FakeBrokerTests {
    /// One accepted connection of the fake broker, read as frames.
    struct Peer {
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var buffer = ByteBuffer()
        var decoder = AMQPFrameDecoder()
        var encoder = AMQPFrameEncoder(buffer: ByteBuffer())

        /// Reads until `count` bytes are buffered; `false` at end of file.
        mutating func fill(_ count: Int) async throws -> Bool {
            while self.buffer.readableBytes < count {
                guard var bytes = try await self.inbound.next() else { return false }
                self.buffer.writeBuffer(&bytes)
            }
            return true
        }

        mutating func readProtocolHeader() async throws -> [UInt8]? {
            guard try await self.fill(8) else { return nil }
            return self.buffer.readBytes(length: 8)
        }

        mutating func nextMethod() async throws -> AMQPMethod? {
            while true {
                if let frame = try self.decoder.decode(buffer: &self.buffer) {
                    if case .method(let method) = frame.payload { return method }
                    continue
                }
                guard var bytes = try await self.inbound.next() else { return nil }
                self.buffer.writeBuffer(&bytes)
            }
        }

        mutating func send(_ method: AMQPMethod, channel: UInt16 = 0) async throws {
            try self.encoder.append(method, channel: channel)
            try await self.outbound.write(self.encoder.flush())
        }

        /// Answers the client's handshake as RabbitMQ does.
        mutating func handshake() async throws {
            #expect(try await self.readProtocolHeader() == AMQPFrame.protocolHeader)
            try await self.send(.connection(.start(.init(serverProperties: ["product": .string("fake")]))))
            guard case .connection(.startOk) = try await self.nextMethod() else {
                Issue.record("expected start-ok")
                return
            }
            try await self.send(.connection(.tune(.init(channelMax: 16, frameMax: 4096, heartbeat: 0))))
            guard case .connection(.tuneOk(let tuneOk)) = try await self.nextMethod() else {
                Issue.record("expected tune-ok")
                return
            }
            #expect(tuneOk.frameMax == 4096)
            guard case .connection(.open) = try await self.nextMethod() else {
                Issue.record("expected open")
                return
            }
            try await self.send(.connection(.openOk(.init())))
        }
    }

    /// Runs a fake broker for one connection: `script` plays the broker's side while `client` runs.
    static func withFakeBroker(
        script: @escaping @Sendable (inout Peer) async throws -> Void,
        client: (AMQPConnectionConfiguration) async throws -> Void
    ) async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = try #require(server.channel.localAddress?.port)
        let url = AMQPURL(hosts: [AMQPURL.Host(host: "127.0.0.1", port: port, username: "guest", password: "guest")])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        try await connection.executeThenClose { inbound, outbound in
                            var peer = Peer(inbound: inbound.makeAsyncIterator(), outbound: outbound)
                            try await script(&peer)
                        }
                        return
                    }
                }
            }
            // Generous timeouts: the whole suite runs in parallel on two cores, and a loaded start once kept the
            // fake peer's close-ok past the default 5 seconds, so the client had already closed the socket.
            try await client(
                AMQPConnectionConfiguration(
                    url: url,
                    heartbeat: 0,
                    connectTimeout: .seconds(20),
                    closeTimeout: .seconds(60)
                )
            )
            try await group.waitForAll()
        }
    }

    /// A frame whose end octet is wrong: the client closes the connection with 501 FRAME_ERROR and reports a typed
    /// error; nothing traps.
    @Test func malformedFrameClosesTheConnectionWithFrameError() async throws {
        try await Self.withFakeBroker { peer in
            try await peer.handshake()
            // A method frame (channel 0, 4 bytes of payload) ending in 0x00 instead of 0xCE.
            try await peer.outbound.write(ByteBuffer(bytes: [1, 0, 0, 0, 0, 0, 4, 0, 10, 0, 50, 0x00]))
            guard case .connection(.close(let close)) = try await peer.nextMethod() else {
                Issue.record("expected connection.close from the client")
                return
            }
            #expect(close.replyCode == .frameError)
            try await peer.send(.connection(.closeOk))
        } client: { configuration in
            let connection = try await AMQPConnection.connect(configuration: configuration, logger: TestBroker.logger)
            let error = await #expect(throws: AMQPError.self) { try await connection.closed() }
            #expect(error?.code == .frameEndMissing)
            #expect(error?.replyCode == .frameError)
            await #expect(throws: AMQPError.self) { try await connection.openChannel() }
        }
    }

    /// A method that is not valid where it comes (channel.open-ok on a channel never opened): 504 CHANNEL_ERROR.
    @Test func unexpectedMethodClosesTheConnectionWithItsCode() async throws {
        try await Self.withFakeBroker { peer in
            try await peer.handshake()
            try await peer.send(.channel(.openOk(.init())), channel: 7)
            guard case .connection(.close(let close)) = try await peer.nextMethod() else {
                Issue.record("expected connection.close from the client")
                return
            }
            #expect(close.replyCode == .channelError)
            try await peer.send(.connection(.closeOk))
        } client: { configuration in
            let connection = try await AMQPConnection.connect(configuration: configuration, logger: TestBroker.logger)
            let error = await #expect(throws: AMQPError.self) { try await connection.closed() }
            #expect(error?.code == .unexpectedFrame)
            #expect(error?.replyCode == .channelError)
        }
    }

    /// A broker that accepts the TCP connection but never answers: the connect times out.
    @Test func silentBrokerTimesOut() async throws {
        try await Self.withFakeBroker { peer in
            _ = try await peer.readProtocolHeader()
            // Say nothing until the client gives up.
            _ = try await peer.nextMethod()
        } client: { configuration in
            var configuration = configuration
            configuration.connectTimeout = .seconds(1)
            let start = ContinuousClock.now
            let error = await #expect(throws: AMQPError.self) {
                _ = try await AMQPConnection.connect(configuration: configuration, logger: TestBroker.logger)
            }
            #expect(error?.code == .connectTimeout)
            #expect(ContinuousClock.now - start >= .seconds(1))
        }
    }

    /// The broker closes the connection (320 CONNECTION_FORCED, as on shutdown) while a request waits: the request
    /// fails with that reply code, and the error says a new connection may work.
    @Test func connectionForcedFailsPendingRequests() async throws {
        try await Self.withFakeBroker { peer in
            try await peer.handshake()
            guard case .channel(.open) = try await peer.nextMethod() else {
                Issue.record("expected channel.open")
                return
            }
            try await peer.send(.channel(.openOk(.init())), channel: 1)
            guard case .queue(.declare) = try await peer.nextMethod() else {
                Issue.record("expected queue.declare")
                return
            }
            try await peer.send(
                .connection(
                    .close(
                        .init(
                            replyCode: .connectionForced,
                            replyText: "broker forced connection closure",
                            classID: 0,
                            methodID: 0
                        )
                    )
                )
            )
            guard case .connection(.closeOk) = try await peer.nextMethod() else {
                Issue.record("expected connection.close-ok")
                return
            }
        } client: { configuration in
            let connection = try await AMQPConnection.connect(configuration: configuration, logger: TestBroker.logger)
            let channel = try await connection.openChannel()
            let error = await #expect(throws: AMQPError.self) { try await channel.queueDeclare("q") }
            #expect(error?.code == .connectionClosed)
            #expect(error?.replyCode == .connectionForced)
            #expect(error?.isConnectionFailure == true)
            await #expect(throws: AMQPError.self) { try await channel.publish("late", routingKey: "q") }
        }
    }
}
