import NIOCore
import Testing

@testable import AMQP

@Suite("AMQPProperties")
struct AMQPPropertiesTests {
    static let all = AMQPProperties(
        contentType: "application/json",
        contentEncoding: "utf-8",
        headers: ["x-death": [["count": .int64(1)]], "bin": .bytes(ByteBuffer([0xFF]))],
        deliveryMode: 2,
        priority: 9,
        correlationID: "corr",
        replyTo: "reply_q",
        expiration: "60000",
        messageID: "msg-1",
        timestamp: 1_700_000_000,
        type: "billing.notify",
        userID: "guest",
        appID: "bilean",
        clusterID: "c1"
    )

    static func roundTrip(_ properties: AMQPProperties) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        try properties.encode(into: &buffer)
        let encoded = buffer
        let decoded = try AMQPProperties(decoding: &buffer)
        #expect(decoded == properties)
        #expect(buffer.readableBytes == 0)
        return encoded
    }

    @Test func allPresent() throws {
        let bytes = try Self.roundTrip(Self.all)
        #expect(bytes.getInteger(at: 0, as: UInt16.self) == 0b1111_1111_1111_1100)
        #expect(Self.all.flags == 0xFFFC)
    }

    @Test func nonePresent() throws {
        let bytes = try Self.roundTrip(AMQPProperties())
        #expect(bytes.bytes == [0x00, 0x00])
    }

    @Test func somePresentWithExactBytes() throws {
        let properties = AMQPProperties(contentType: "text/plain", deliveryMode: 2, timestamp: 0x0102_0304_0506_0708)
        let bytes = try Self.roundTrip(properties)
        let expected: [UInt8] =
            [0b1001_0000, 0b0100_0000]  // content-type (15), delivery-mode (12), timestamp (6)
            + [0x0A] + Array(utf8: "text/plain")
            + [0x02]
            + [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]
        #expect(bytes.bytes == expected)
    }

    @Test func eachPropertyHasItsOwnFlag() throws {
        let keyPaths: [(WritableKeyPath<AMQPProperties, String?>, UInt16)] = [
            (\.contentType, 15), (\.contentEncoding, 14), (\.correlationID, 10), (\.replyTo, 9), (\.expiration, 8),
            (\.messageID, 7), (\.type, 5), (\.userID, 4), (\.appID, 3), (\.clusterID, 2),
        ]
        for (keyPath, bit) in keyPaths {
            var properties = AMQPProperties()
            properties[keyPath: keyPath] = "v"
            let bytes = try Self.roundTrip(properties)
            #expect(bytes.bytes == [UInt8((1 << bit) >> 8), UInt8((1 << bit) & 0xFF), 0x01, 0x76])
        }
        #expect(try Self.roundTrip(AMQPProperties(headers: [:])).bytes == [0x20, 0x00, 0, 0, 0, 0])
        #expect(try Self.roundTrip(AMQPProperties(deliveryMode: 1)).bytes == [0x10, 0x00, 0x01])
        #expect(try Self.roundTrip(AMQPProperties(priority: 5)).bytes == [0x08, 0x00, 0x05])
        #expect(try Self.roundTrip(AMQPProperties(timestamp: 1)).bytes == [0x00, 0x40, 0, 0, 0, 0, 0, 0, 0, 1])
    }

    @Test func continuationFlagsWordsAreRead() throws {
        // content-type set, continuation bit set; then a second word with only the continuation bit; then an empty
        // third word; then the content-type value.
        var buffer = ByteBuffer([0x80, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x61])
        let properties = try AMQPProperties(decoding: &buffer)
        #expect(properties == AMQPProperties(contentType: "a"))
        #expect(buffer.readableBytes == 0)
    }

    @Test func unknownFlagsAreTypedErrors() {
        var bit1 = ByteBuffer([0x00, 0x02])
        let error1 = #expect(throws: AMQPError.self) { try AMQPProperties(decoding: &bit1) }
        #expect(error1?.code == .malformedFrame)
        var continued = ByteBuffer([0x00, 0x01, 0x80, 0x00])
        let error2 = #expect(throws: AMQPError.self) { try AMQPProperties(decoding: &continued) }
        #expect(error2?.code == .malformedFrame)
        #expect(error2?.offset == 2)
        var endless = ByteBuffer([0x00, 0x01, 0x00, 0x01, 0x00, 0x01])
        let error3 = #expect(throws: AMQPError.self) { try AMQPProperties(decoding: &endless) }
        #expect(error3?.code == .truncated)
    }

    @Test func contentHeaderKnownBytes() throws {
        let header = AMQPContentHeader(bodySize: 5, properties: AMQPProperties(deliveryMode: 2))
        let frame = AMQPFrame(channel: 1, payload: .header(header))
        let payload: [UInt8] = [0x00, 0x3C, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 5, 0x10, 0x00, 0x02]
        #expect(try encoded(frame).bytes == frameBytes(type: 2, channel: 1, payload: payload))
        #expect(try decodeFrames(ByteBuffer(frameBytes(type: 2, payload: payload))).frames == [frame])
    }

    @Test func contentHeaderOfAnotherClassIsATypedError() {
        var buffer = ByteBuffer([0x00, 0x32, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00])
        let error = #expect(throws: AMQPError.self) { try AMQPContentHeader(decoding: &buffer) }
        #expect(error?.code == .unknownClass)
        #expect(error?.classID == 50)
        var out = ByteBuffer()
        let encodeError = #expect(throws: AMQPError.self) {
            try AMQPContentHeader(classID: 50, bodySize: 0).encode(into: &out)
        }
        #expect(encodeError?.code == .unknownClass)
    }
}
