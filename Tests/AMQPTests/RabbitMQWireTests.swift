import AMQP
import Foundation
import NIOCore
import NIOPosix
import Testing

/// The codec against a real RabbitMQ (started by scripts/test): a handshake, a publish split into body frames and
/// read back with basic.get, and a channel error that leaves the connection usable. There is no client yet; these
/// tests speak frames directly, so that every byte we encode is checked by the broker and every byte it sends is
/// decoded by us.
@Suite(.enabled(if: TestBroker.url != nil || TestBroker.isCI))
struct RabbitMQWireTests {
    struct ConnectionEnded: Error {}

    /// One TCP connection to the broker, read as frames.
    struct WireSession {
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var processor = NIOSingleStepByteToMessageProcessor(AMQPFrameDecoder())
        var pending: [AMQPFrame] = []
        var encoder = AMQPFrameEncoder(buffer: ByteBuffer())

        mutating func send(_ method: AMQPMethod, channel: UInt16 = 0) async throws {
            try self.encoder.append(method, channel: channel)
            try await self.outbound.write(self.encoder.flush())
        }

        mutating func sendContent(
            _ method: AMQPMethod,
            properties: AMQPProperties,
            body: ByteBuffer,
            channel: UInt16
        ) async throws {
            try self.encoder.appendContent(method, properties: properties, body: body, channel: channel)
            try await self.outbound.write(self.encoder.flush())
        }

        mutating func next() async throws -> AMQPFrame {
            while self.pending.isEmpty {
                guard let bytes = try await self.inbound.next() else { throw ConnectionEnded() }
                var frames: [AMQPFrame] = []
                try self.processor.process(buffer: bytes) { frames.append($0) }
                self.pending += frames
            }
            return self.pending.removeFirst()
        }

        /// The next method frame (heartbeats are off).
        mutating func nextMethod() async throws -> (UInt16, AMQPMethod) {
            let frame = try await self.next()
            guard case .method(let method) = frame.payload else {
                Issue.record("expected a method frame, got \(frame)")
                throw ConnectionEnded()
            }
            return (frame.channel, method)
        }
    }

    static func withSession(_ body: (inout WireSession, AMQPURL) async throws -> Void) async throws {
        let url = try AMQPURL(try #require(TestBroker.url, "BILEAN_TEST_RABBITMQ_URL is required when CI=true"))
        let host = try #require(url.hosts.first)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host.host, port: host.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var session = WireSession(inbound: inbound.makeAsyncIterator(), outbound: outbound)
            try await body(&session, url)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func handshakePublishGetAndAChannelErrorThatLeavesTheConnectionUsable() async throws {
        try await Self.withSession { session, url in
            let host = try #require(url.hosts.first)
            session.encoder.appendProtocolHeader()
            try await session.outbound.write(session.encoder.flush())

            guard case (0, .connection(.start(let start))) = try await session.nextMethod() else {
                Issue.record("expected connection.start")
                return
            }
            #expect(start.versionMajor == 0 && start.versionMinor == 9)
            #expect(start.mechanisms.split(separator: " ").contains("PLAIN"))
            #expect(start.serverProperties["product"]?.stringValue == "RabbitMQ")

            var response = ByteBuffer()
            response.writeBytes([0] + Array(host.username.utf8) + [0] + Array(host.password.utf8))
            try await session.send(
                .connection(.startOk(.init(clientProperties: ["product": .string("bilean-tests")], response: response)))
            )
            guard case (0, .connection(.tune(let tune))) = try await session.nextMethod() else {
                Issue.record("expected connection.tune")
                return
            }
            #expect(tune.frameMax >= 4096)
            try await session.send(
                .connection(.tuneOk(.init(channelMax: tune.channelMax, frameMax: tune.frameMax, heartbeat: 0)))
            )
            try await session.send(.connection(.open(.init(virtualHost: url.virtualHost))))
            guard case (0, .connection(.openOk)) = try await session.nextMethod() else {
                Issue.record("expected connection.open-ok")
                return
            }

            try await session.send(.channel(.open(.init())), channel: 1)
            guard case (1, .channel(.openOk)) = try await session.nextMethod() else {
                Issue.record("expected channel.open-ok")
                return
            }
            let name = "bilean-wire-test-\(UUID().uuidString)"
            try await session.send(
                .queue(
                    .declare(
                        .init(queue: name, exclusive: true, autoDelete: true, arguments: ["x-max-length": .int64(10)])
                    )
                ),
                channel: 1
            )
            guard case (1, .queue(.declareOk(let declared))) = try await session.nextMethod() else {
                Issue.record("expected queue.declare-ok")
                return
            }
            #expect(declared.queue == name)

            // 300 KB: split into body frames at the broker's frame_max.
            let body = ByteBuffer(bytes: (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
            let properties = AMQPProperties(
                contentType: "application/json",
                headers: ["x-bilean": .string("yes"), "count": .int32(3)],
                deliveryMode: 2,
                messageID: "m-1",
                timestamp: 1_764_115_200
            )
            try await session.sendContent(
                .basic(.publish(.init(routingKey: declared.queue))),
                properties: properties,
                body: body,
                channel: 1
            )
            try await session.send(.basic(.get(.init(queue: declared.queue, noAck: true))), channel: 1)
            guard case (1, .basic(.getOk(let got))) = try await session.nextMethod() else {
                Issue.record("expected basic.get-ok")
                return
            }
            #expect(got.routingKey == declared.queue)
            let header = try await session.next()
            guard case .header(let content) = header.payload else {
                Issue.record("expected a content header, got \(header)")
                return
            }
            #expect(content.bodySize == 300_000)
            #expect(content.properties == properties)
            var received = ByteBuffer()
            var bodyFrames = 0
            while received.readableBytes < 300_000 {
                let frame = try await session.next()
                guard case .body(var part) = frame.payload else {
                    Issue.record("expected a body frame, got \(frame)")
                    return
                }
                bodyFrames += 1
                received.writeBuffer(&part)
            }
            #expect(received == body)
            #expect(bodyFrames == 3)

            // An exchange declared again with another type conflicts: the broker closes channel 1 with
            // 406 PRECONDITION_FAILED, and only channel 1.
            let exchange = "bilean-wire-test-\(UUID().uuidString)"
            try await session.send(.exchange(.declare(.init(exchange: exchange, type: "topic"))), channel: 1)
            guard case (1, .exchange(.declareOk)) = try await session.nextMethod() else {
                Issue.record("expected exchange.declare-ok")
                return
            }
            try await session.send(.exchange(.declare(.init(exchange: exchange, type: "direct"))), channel: 1)
            guard case (1, .channel(.close(let close))) = try await session.nextMethod() else {
                Issue.record("expected channel.close")
                return
            }
            #expect(close.replyCode == .preconditionFailed)
            #expect(close.classID == 40 && close.methodID == 10)
            try await session.send(.channel(.closeOk), channel: 1)

            try await session.send(.channel(.open(.init())), channel: 2)
            guard case (2, .channel(.openOk)) = try await session.nextMethod() else {
                Issue.record("expected channel.open-ok on channel 2 after the channel error")
                return
            }
            try await session.send(.exchange(.delete(.init(exchange: exchange))), channel: 2)
            guard case (2, .exchange(.deleteOk)) = try await session.nextMethod() else {
                Issue.record("expected exchange.delete-ok")
                return
            }
            try await session.send(
                .connection(.close(.init(replyCode: .success, replyText: "bye", classID: 0, methodID: 0)))
            )
            guard case (0, .connection(.closeOk)) = try await session.nextMethod() else {
                Issue.record("expected connection.close-ok")
                return
            }
        }
    }
}
