import NIOCore
import Testing

@testable import AMQP

@Suite("AMQPFrameEncoder")
struct AMQPFrameEncoderTests {
    @Test func protocolHeader() {
        var encoder = AMQPFrameEncoder(buffer: ByteBuffer())
        encoder.appendProtocolHeader()
        #expect(encoder.flush().bytes == [0x41, 0x4D, 0x51, 0x50, 0x00, 0x00, 0x09, 0x01])
        var buffer = ByteBuffer()
        AMQPFrame.writeProtocolHeader(into: &buffer)
        #expect(buffer.bytes == Array(utf8: "AMQP") + [0, 0, 9, 1])
    }

    @Test func appendsAndFlushes() throws {
        var encoder = AMQPFrameEncoder(buffer: ByteBuffer())
        try encoder.append(.heartbeat)
        try encoder.append(.basic(.ack(.init(deliveryTag: 1))), channel: 1)
        #expect(encoder.pendingBytes == 8 + 8 + 13)
        let first = encoder.flush()
        #expect(encoder.pendingBytes == 0)
        let frames = try decodeFrames(first).frames
        #expect(frames == [.heartbeat, methodFrame(.basic(.ack(.init(deliveryTag: 1))))])
        try encoder.append(.heartbeat)
        let second = encoder.flush()
        #expect(second.bytes == [0x08, 0, 0, 0, 0, 0, 0, 0xCE])
        // The first flush is not disturbed by later writes.
        #expect(try decodeFrames(first).frames.count == 2)
    }

    @Test func failedFrameLeavesTheBufferUnchanged() throws {
        var encoder = AMQPFrameEncoder(buffer: ByteBuffer())
        try encoder.append(.heartbeat)
        let error = #expect(throws: AMQPError.self) {
            try encoder.append(.queue(.declare(.init(queue: String(repeating: "q", count: 300)))), channel: 1)
        }
        #expect(error?.code == .stringTooLong)
        #expect(error?.frameType == 1)
        #expect(encoder.flush().bytes == [0x08, 0, 0, 0, 0, 0, 0, 0xCE])
    }

    @Test func framesOverTheMaximumAreRefused() throws {
        var encoder = AMQPFrameEncoder(buffer: ByteBuffer(), maximumFrameSize: 4096)
        let big: AMQPTable = ["blob": .bytes(ByteBuffer(repeating: 0, count: 5000))]
        let error = #expect(throws: AMQPError.self) {
            try encoder.append(.queue(.declare(.init(queue: "q", arguments: big))), channel: 1)
        }
        #expect(error?.code == .frameTooLarge)
        #expect(encoder.pendingBytes == 0)
    }

    @Test(arguments: [0, 1, 4087, 4088, 4089, 3 * 4088, 3 * 4088 + 1, 100_000])
    func contentIsSplitAtFrameMax(bodySize: Int) throws {
        let body = ByteBuffer(bytes: (0..<bodySize).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        var encoder = AMQPFrameEncoder(buffer: ByteBuffer(), maximumFrameSize: 4096)
        let publish = AMQPMethod.basic(.publish(.init(exchange: "", routingKey: "q")))
        let properties = AMQPProperties(contentType: "application/octet-stream")
        try encoder.appendContent(publish, properties: properties, body: body, channel: 3)
        let (frames, leftover) = try decodeFrames(encoder.flush(), maximumFrameSize: 4096)
        #expect(leftover == 0)
        #expect(frames.first == methodFrame(publish, channel: 3))
        #expect(
            frames.dropFirst().first
                == AMQPFrame(
                    channel: 3,
                    payload: .header(AMQPContentHeader(bodySize: UInt64(bodySize), properties: properties))
                )
        )
        var reassembled = ByteBuffer()
        var bodyFrames = 0
        for frame in frames.dropFirst(2) {
            guard case .body(var part) = frame.payload else {
                Issue.record("not a body frame")
                continue
            }
            #expect(part.readableBytes <= 4096 - 8)
            #expect(part.readableBytes > 0)
            reassembled.writeBuffer(&part)
            bodyFrames += 1
        }
        #expect(reassembled == body)
        #expect(bodyFrames == (bodySize + 4087) / 4088)
    }

    @Test func bodyFramesHelper() {
        let body = ByteBuffer(repeating: 7, count: 10_000)
        let frames = AMQPFrame.bodyFrames(for: body, channel: 2, maximumFrameSize: 4096)
        #expect(frames.count == 3)
        #expect(frames.allSatisfy { $0.channel == 2 })
        // No limit: one frame.
        #expect(AMQPFrame.bodyFrames(for: body, channel: 2, maximumFrameSize: 0).count == 1)
        // Below the spec's minimum: treated as 4096.
        #expect(AMQPFrame.bodyFrames(for: body, channel: 2, maximumFrameSize: 9).count == 3)
        #expect(AMQPFrame.bodyFrames(for: ByteBuffer(), channel: 2, maximumFrameSize: 4096).isEmpty)
    }
}
