import NIOCore
import NIOTestUtils
import Testing

@testable import AMQP

@Suite("AMQPFrameDecoder")
struct AMQPFrameDecoderTests {
    static let sampleFrames: [AMQPFrame] = [
        methodFrame(.connection(.tune(.init(channelMax: 2047, frameMax: 131_072, heartbeat: 60))), channel: 0),
        methodFrame(.basic(.publish(.init(exchange: "billing", routingKey: "notify", mandatory: true)))),
        AMQPFrame(channel: 1, payload: .header(AMQPContentHeader(bodySize: 3, properties: AMQPPropertiesTests.all))),
        AMQPFrame(channel: 1, payload: .body(ByteBuffer(string: "abc"))),
        AMQPFrame.heartbeat,
        methodFrame(.queue(.declare(.init(queue: "q", arguments: ["x-queue-type": "quorum"]))), channel: 65_535),
        AMQPFrame(channel: 2, payload: .body(ByteBuffer())),
    ]

    @Test func verifierAcceptsTheDecoder() throws {
        let pairs = try Self.sampleFrames.map { frame in (try encoded(frame), [frame]) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { AMQPFrameDecoder() }
    }

    @Test func verifierAcceptsSeveralFramesPerInput() throws {
        var all = ByteBuffer()
        for frame in Self.sampleFrames {
            try frame.encode(into: &all)
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: [(all, Self.sampleFrames)]) {
            AMQPFrameDecoder()
        }
    }

    @Test func fragmentedInputDecodesOnceComplete() throws {
        var stream = ByteBuffer()
        for frame in Self.sampleFrames {
            try frame.encode(into: &stream)
        }
        for chunkSize in [1, 2, 3, 7, 8, 13, 64] {
            var decoder = AMQPFrameDecoder()
            var buffer = ByteBuffer()
            var frames: [AMQPFrame] = []
            var input = stream
            while input.readableBytes > 0 {
                var chunk = input.readSlice(length: min(chunkSize, input.readableBytes)) ?? ByteBuffer()
                buffer.writeBuffer(&chunk)
                while let frame = try decoder.decode(buffer: &buffer) {
                    frames.append(frame)
                }
            }
            #expect(frames == Self.sampleFrames)
            #expect(buffer.readableBytes == 0)
            #expect(try decoder.decodeLast(buffer: &buffer, seenEOF: true) == nil)
        }
    }

    @Test func heartbeatFrame() throws {
        let bytes: [UInt8] = [0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xCE]
        #expect(try encoded(.heartbeat).bytes == bytes)
        #expect(try decodeFrames(ByteBuffer(bytes)).frames == [.heartbeat])
    }

    @Test func heartbeatWithAPayloadIsMalformed() {
        let error = #expect(throws: AMQPError.self) {
            try decodeFrames(ByteBuffer(frameBytes(type: 8, channel: 0, payload: [0x00])))
        }
        #expect(error?.code == .malformedFrame)
        #expect(error?.frameType == 8)
    }

    @Test func oversizedFrameIsRejectedFromItsHeader() {
        // Only the 7-byte header is there: the size alone is enough to reject it, nothing is buffered.
        var buffer = ByteBuffer([0x03, 0x00, 0x01, 0x00, 0x02, 0x00, 0x00])
        var decoder = AMQPFrameDecoder()
        let error = #expect(throws: AMQPError.self) { try decoder.decode(buffer: &buffer) }
        #expect(error?.code == .frameTooLarge)
        #expect(error?.size == 131_072 + 8)
        #expect(error?.channel == 1)

        var hostile = ByteBuffer([0x01, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF])
        let hostileError = #expect(throws: AMQPError.self) { try decoder.decode(buffer: &hostile) }
        #expect(hostileError?.code == .frameTooLarge)
    }

    @Test func maximumFrameSizeIncludesTheOverhead() throws {
        let payload = [UInt8](repeating: 0x61, count: 4096 - 8)
        let bytes = ByteBuffer(frameBytes(type: 3, payload: payload))
        #expect(try decodeFrames(bytes, maximumFrameSize: 4096).frames.count == 1)
        let error = #expect(throws: AMQPError.self) { try decodeFrames(bytes, maximumFrameSize: 4095) }
        #expect(error?.code == .frameTooLarge)
        // Raised after tune.
        var decoder = AMQPFrameDecoder(maximumFrameSize: 4095)
        decoder.maximumFrameSize = 4096
        var buffer = bytes
        #expect(try decoder.decode(buffer: &buffer) != nil)
        // 0: no limit.
        #expect(try decodeFrames(bytes, maximumFrameSize: 0).frames.count == 1)
    }

    @Test func badFrameEndIsATypedError() {
        let error = #expect(throws: AMQPError.self) {
            try decodeFrames(ByteBuffer(frameBytes(type: 3, payload: [1, 2, 3], end: 0xCD)))
        }
        #expect(error?.code == .frameEndMissing)
        #expect(error?.offendingByte == 0xCD)
        #expect(error?.frameType == 3)
    }

    @Test func unknownFrameTypeIsATypedError() {
        // A broker that does not speak 0-9-1 answers with its own protocol header: "AMQP"...
        var buffer = ByteBuffer([0x41, 0x4D, 0x51, 0x50, 0x00, 0x00, 0x09, 0x01])
        var decoder = AMQPFrameDecoder()
        let error = #expect(throws: AMQPError.self) { try decoder.decode(buffer: &buffer) }
        #expect(error?.code == .unknownFrameType)
        #expect(error?.frameType == 0x41)
    }

    @Test func trailingBytesAfterMethodArgumentsAreMalformed() throws {
        var payload = try encoded(methodFrame(.channel(.closeOk))).bytes
        payload = Array(payload[7..<(payload.count - 1)]) + [0x00]
        let error = #expect(throws: AMQPError.self) {
            try decodeFrames(ByteBuffer(frameBytes(type: 1, payload: payload)))
        }
        #expect(error?.code == .malformedFrame)
        #expect(error?.classID == 20)
        #expect(error?.methodID == 41)
    }

    @Test func payloadErrorsCarryFrameContext() {
        let payload: [UInt8] = [0x00, 0x3C, 0x00, 0x15, 0x05, 0x61]  // basic.consume-ok, tag cut short
        let error = #expect(throws: AMQPError.self) {
            try decodeFrames(ByteBuffer(frameBytes(type: 1, channel: 9, payload: payload)))
        }
        #expect(error?.code == .truncated)
        #expect(error?.channel == 9)
        #expect(error?.frameType == 1)
        #expect(error?.classID == 60)
        #expect(error?.methodID == 21)
        #expect(error?.offset == 4)
        let description = error.map { String(describing: $0) } ?? ""
        #expect(description.contains("truncated"))
    }

    @Test func bodyFramesShareTheInput() throws {
        let bytes = ByteBuffer(frameBytes(type: 3, channel: 4, payload: [0xDE, 0xAD]))
        let frames = try decodeFrames(bytes).frames
        #expect(frames == [AMQPFrame(channel: 4, payload: .body(ByteBuffer([0xDE, 0xAD])))])
    }
}
