import NIOCore
import Testing

@testable import AMQP

@Suite("AMQPMethod")
struct AMQPMethodTests {
    static let allSamples = MethodSamples.nonDefault + MethodSamples.extremes + MethodSamples.defaults

    // MARK: Coverage

    @Test func samplesCoverEveryMethodOfTheSpec() {
        let specIDs = Set(MethodSamples.specMethods.map(\.id))
        #expect(specIDs.count == MethodSamples.specMethods.count)
        for samples in [MethodSamples.nonDefault, MethodSamples.extremes, MethodSamples.defaults] {
            let covered = Set(samples.map { MethodSamples.ID(classID: $0.classID, methodID: $0.methodID) })
            #expect(covered == specIDs)
            #expect(samples.count == specIDs.count)
        }
        // RabbitMQ's quirks and extensions are there.
        #expect(specIDs.contains(MethodSamples.ID(classID: 40, methodID: 51)))  // exchange.unbind-ok
        #expect(specIDs.contains(MethodSamples.ID(classID: 60, methodID: 120)))  // basic.nack
        #expect(specIDs.contains(MethodSamples.ID(classID: 85, methodID: 10)))  // confirm.select
        #expect(specIDs.contains(MethodSamples.ID(classID: 10, methodID: 60)))  // connection.blocked
        #expect(specIDs.contains(MethodSamples.ID(classID: 10, methodID: 70)))  // connection.update-secret
        #expect(specIDs.contains(MethodSamples.ID(classID: 30, methodID: 10)))  // access.request
    }

    @Test func namesAndFlagsMatchTheSpec() {
        let names = Dictionary(uniqueKeysWithValues: MethodSamples.specMethods.map { ($0.id, $0.name) })
        for method in MethodSamples.nonDefault {
            let id = MethodSamples.ID(classID: method.classID, methodID: method.methodID)
            #expect(method.name == names[id])
            #expect(method.hasContent == MethodSamples.contentMethods.contains(method.name))
            #expect(method.isSynchronous == MethodSamples.synchronousMethods.contains(method.name))
        }
        #expect(MethodSamples.contentMethods == ["basic.publish", "basic.return", "basic.deliver", "basic.get-ok"])
    }

    // MARK: Round trips

    @Test(arguments: Self.allSamples)
    func roundTrip(_ method: AMQPMethod) throws {
        var buffer = ByteBuffer()
        try method.encode(into: &buffer)
        #expect(buffer.getInteger(at: 0, as: UInt16.self) == method.classID)
        #expect(buffer.getInteger(at: 2, as: UInt16.self) == method.methodID)
        let decoded = try AMQPMethod(decoding: &buffer)
        #expect(decoded == method)
        #expect(buffer.readableBytes == 0)

        // In a frame, through the decoder.
        let frame = methodFrame(method, channel: 7)
        let result = try decodeFrames(try encoded(frame))
        #expect(result.frames == [frame])
        #expect(result.leftover == 0)
    }

    // MARK: Defaults

    @Test func defaultsAreTheSpecs() {
        let declare = AMQPMethod.Exchange.Declare(exchange: "x")
        #expect(declare.type == "direct")
        #expect(declare.durable == false)
        #expect(declare.arguments == [:])
        #expect(AMQPMethod.Basic.Reject(deliveryTag: 1).requeue == true)
        #expect(AMQPMethod.Basic.Nack().requeue == true)
        #expect(AMQPMethod.Access.Request().passive == true)
        #expect(AMQPMethod.Connection.Open().virtualHost == "/")
        #expect(AMQPMethod.Connection.Start(serverProperties: [:]).versionMinor == 9)
        #expect(AMQPMethod.Connection.Start(serverProperties: [:]).mechanisms == "PLAIN")
        #expect(AMQPMethod.Access.RequestOk().ticket == 1)
    }

    // MARK: Known bytes

    @Test func connectionTuneKnownBytes() throws {
        let method = AMQPMethod.connection(.tune(.init(channelMax: 2047, frameMax: 131_072, heartbeat: 60)))
        let bytes: [UInt8] = [
            0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0C,  // method frame, channel 0, size 12
            0x00, 0x0A, 0x00, 0x1E,  // connection.tune
            0x07, 0xFF,  // channel-max 2047
            0x00, 0x02, 0x00, 0x00,  // frame-max 131072
            0x00, 0x3C,  // heartbeat 60
            0xCE,
        ]
        try Self.expectKnownBytes(AMQPFrame(channel: 0, payload: .method(method)), bytes)
    }

    @Test func basicPublishPacksItsBits() throws {
        func publish(mandatory: Bool, immediate: Bool) -> AMQPMethod {
            .basic(.publish(.init(exchange: "ex", routingKey: "rk", mandatory: mandatory, immediate: immediate)))
        }
        let prefix: [UInt8] = [0x00, 0x3C, 0x00, 0x28, 0x00, 0x00, 0x02, 0x65, 0x78, 0x02, 0x72, 0x6B]
        try Self.expectKnownPayload(publish(mandatory: false, immediate: false), prefix + [0x00])
        try Self.expectKnownPayload(publish(mandatory: true, immediate: false), prefix + [0x01])
        try Self.expectKnownPayload(publish(mandatory: false, immediate: true), prefix + [0x02])
        try Self.expectKnownPayload(publish(mandatory: true, immediate: true), prefix + [0x03])
    }

    @Test func exchangeDeclarePacksFiveBits() throws {
        let method = AMQPMethod.exchange(
            .declare(.init(exchange: "e", type: "topic", durable: true, internal: true, noWait: false))
        )
        let payload: [UInt8] =
            [0x00, 0x28, 0x00, 0x0A, 0x00, 0x00, 0x01, 0x65, 0x05] + Array(utf8: "topic")
            + [0b0000_1010]  // passive 0, durable 1, auto-delete 0, internal 1, nowait 0
            + [0x00, 0x00, 0x00, 0x00]  // empty arguments
        try Self.expectKnownPayload(method, payload)
    }

    @Test func queueDeclareWithQueueTypeArgument() throws {
        let method = AMQPMethod.queue(
            .declare(.init(queue: "q", durable: true, autoDelete: true, arguments: ["x-queue-type": "quorum"]))
        )
        let payload: [UInt8] =
            [0x00, 0x32, 0x00, 0x0A]  // queue.declare
            + [0x00, 0x00]  // ticket
            + [0x01, 0x71]  // "q"
            + [0b0000_1010]  // passive 0, durable 1, exclusive 0, auto-delete 1, nowait 0
            + [0x00, 0x00, 0x00, 0x18]  // table: 24 bytes
            + [0x0C] + Array(utf8: "x-queue-type") + [0x53, 0x00, 0x00, 0x00, 0x06] + Array(utf8: "quorum")
        try Self.expectKnownPayload(method, payload)
    }

    @Test func basicDeliverKnownBytes() throws {
        let method = AMQPMethod.basic(
            .deliver(
                .init(
                    consumerTag: "c",
                    deliveryTag: 0x0102_0304_0506_0708,
                    redelivered: true,
                    exchange: "",
                    routingKey: "k"
                )
            )
        )
        let payload: [UInt8] =
            [0x00, 0x3C, 0x00, 0x3C, 0x01, 0x63]
            + [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x01, 0x00, 0x01, 0x6B]
        try Self.expectKnownPayload(method, payload)
    }

    @Test func connectionStartAsRabbitMQSendsIt() throws {
        // A connection.start shaped like RabbitMQ's, written from the spec.
        let capabilities: [UInt8] =
            [0x12] + Array(utf8: "publisher_confirms") + [0x74, 0x01]
        let properties: [UInt8] =
            [0x07] + Array(utf8: "product") + [0x53, 0x00, 0x00, 0x00, 0x08] + Array(utf8: "RabbitMQ")
            + [0x0C] + Array(utf8: "capabilities") + [0x46, 0x00, 0x00, 0x00, UInt8(capabilities.count)] + capabilities
        let payload: [UInt8] =
            [0x00, 0x0A, 0x00, 0x0A, 0x00, 0x09]
            + [0x00, 0x00, 0x00, UInt8(properties.count)] + properties
            + [0x00, 0x00, 0x00, 0x0E] + Array(utf8: "AMQPLAIN PLAIN")
            + [0x00, 0x00, 0x00, 0x05] + Array(utf8: "en_US")
        var buffer = ByteBuffer(payload)
        let method = try AMQPMethod(decoding: &buffer)
        guard case .connection(.start(let start)) = method else {
            Issue.record("not connection.start: \(method.name)")
            return
        }
        #expect(start.versionMajor == 0 && start.versionMinor == 9)
        #expect(start.serverProperties["product"]?.stringValue == "RabbitMQ")
        #expect(start.serverProperties["capabilities"]?.tableValue?["publisher_confirms"] == true)
        #expect(start.mechanisms == "AMQPLAIN PLAIN")
        #expect(start.locales == "en_US")
        try Self.expectKnownPayload(method, payload)
    }

    @Test func channelCloseCarriesItsReplyCode() throws {
        let close = AMQPMethod.Channel.Close(
            replyCode: .preconditionFailed,
            replyText: "PRECONDITION_FAILED - inequivalent arg 'durable'",
            classID: 50,
            methodID: 10
        )
        var buffer = ByteBuffer()
        try AMQPMethod.channel(.close(close)).encode(into: &buffer)
        #expect(buffer.getBytes(at: 4, length: 2) == [0x01, 0x96])
        let decoded = try AMQPMethod(decoding: &buffer)
        #expect(decoded == .channel(.close(close)))
        #expect(close.replyCode.errorClass == .soft)
    }

    // MARK: Errors

    @Test func unknownClassAndMethodAreTypedErrors() {
        var unknownClass = ByteBuffer([0x00, 0x63, 0x00, 0x0A])
        let classError = #expect(throws: AMQPError.self) { try AMQPMethod(decoding: &unknownClass) }
        #expect(classError?.code == .unknownClass)
        #expect(classError?.classID == 99)
        #expect(classError?.methodID == 10)

        var unknownMethod = ByteBuffer([0x00, 0x3C, 0x00, 0x29])
        let methodError = #expect(throws: AMQPError.self) { try AMQPMethod(decoding: &unknownMethod) }
        #expect(methodError?.code == .unknownMethod)
        #expect(methodError?.classID == 60)
        #expect(methodError?.methodID == 41)
    }

    @Test func truncatedArgumentsAreTypedErrors() throws {
        var full = ByteBuffer()
        try AMQPMethod.basic(.publish(.init(exchange: "ex", routingKey: "rk"))).encode(into: &full)
        for length in 0..<full.readableBytes {
            var prefix = full.getSlice(at: 0, length: length) ?? ByteBuffer()
            let error = #expect(throws: AMQPError.self) { try AMQPMethod(decoding: &prefix) }
            #expect(error?.code == .truncated)
        }
    }

    @Test func shortStringOver255BytesDoesNotEncode() {
        var buffer = ByteBuffer()
        let method = AMQPMethod.queue(.declare(.init(queue: String(repeating: "q", count: 256))))
        let error = #expect(throws: AMQPError.self) { try method.encode(into: &buffer) }
        #expect(error?.code == .stringTooLong)
        #expect(error?.size == 256)
    }

    @Test func invalidUTF8InAShortStringIsATypedError() {
        var buffer = ByteBuffer([0x00, 0x3C, 0x00, 0x15, 0x02, 0xC3, 0x28])  // basic.consume-ok, bad UTF-8 tag
        let error = #expect(throws: AMQPError.self) { try AMQPMethod(decoding: &buffer) }
        #expect(error?.code == .invalidUTF8)
        #expect(error?.offset == 4)
    }

    @Test func credentialsAreRedactedFromDescriptions() {
        let startOk = AMQPMethod.connection(
            .startOk(.init(clientProperties: [:], response: ByteBuffer(string: "\0guest\0s3cret")))
        )
        #expect(!String(describing: startOk).contains("s3cret"))
        #expect(!String(reflecting: startOk).contains("s3cret"))
        let update = AMQPMethod.Connection.UpdateSecret(newSecret: "token-s3cret", reason: "refresh")
        #expect(!String(describing: update).contains("s3cret"))
        #expect(String(describing: update).contains("refresh"))
    }

    // MARK: Helpers

    static func expectKnownPayload(
        _ method: AMQPMethod,
        _ payload: [UInt8],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var buffer = ByteBuffer()
        try method.encode(into: &buffer)
        #expect(buffer.bytes == payload, sourceLocation: sourceLocation)
        var input = ByteBuffer(payload)
        #expect(try AMQPMethod(decoding: &input) == method, sourceLocation: sourceLocation)
        #expect(input.readableBytes == 0, sourceLocation: sourceLocation)
        try Self.expectKnownBytes(
            methodFrame(method, channel: 1),
            frameBytes(type: 1, channel: 1, payload: payload),
            sourceLocation: sourceLocation
        )
    }

    static func expectKnownBytes(
        _ frame: AMQPFrame,
        _ bytes: [UInt8],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        #expect(try encoded(frame).bytes == bytes, sourceLocation: sourceLocation)
        let result = try decodeFrames(ByteBuffer(bytes))
        #expect(result.frames == [frame], sourceLocation: sourceLocation)
        #expect(result.leftover == 0, sourceLocation: sourceLocation)
    }
}
