import NIOCore
import Testing

@testable import AMQP

@Suite("ByteBuffer+AMQP")
struct ByteBufferAMQPTests {
    @Test func integersAreBigEndian() throws {
        var buffer = ByteBuffer()
        buffer.writeAMQPOctet(0x01)
        buffer.writeAMQPShort(0x0203)
        buffer.writeAMQPLong(0x0405_0607)
        buffer.writeAMQPLongLong(0x0809_0A0B_0C0D_0E0F)
        buffer.writeAMQPTimestamp(0x1011_1213_1415_1617)
        #expect(buffer.bytes == Array(0x01...0x0F) + Array(0x10...0x17))
        #expect(try buffer.readAMQPOctet() == 0x01)
        #expect(try buffer.readAMQPShort() == 0x0203)
        #expect(try buffer.readAMQPLong() == 0x0405_0607)
        #expect(try buffer.readAMQPLongLong() == 0x0809_0A0B_0C0D_0E0F)
        #expect(try buffer.readAMQPTimestamp() == 0x1011_1213_1415_1617)
        let error = #expect(throws: AMQPError.self) { try buffer.readAMQPOctet() }
        #expect(error?.code == .truncated)
        #expect(error?.offset == 23)
    }

    @Test func shortStrings() throws {
        var buffer = ByteBuffer()
        try buffer.writeAMQPShortString("héllo")
        #expect(buffer.bytes == [0x06] + Array(utf8: "héllo"))
        #expect(try buffer.readAMQPShortString() == "héllo")
        try buffer.writeAMQPShortString(String(repeating: "a", count: 255))
        #expect(try buffer.readAMQPShortString().count == 255)
        let error = #expect(throws: AMQPError.self) {
            try buffer.writeAMQPShortString(String(repeating: "é", count: 128))
        }
        #expect(error?.code == .stringTooLong)
        #expect(error?.size == 256)
        #expect(buffer.readableBytes == 0)
    }

    @Test func truncatedShortStringLeavesTheReaderIndex() {
        var buffer = ByteBuffer([0x05, 0x61, 0x62])
        let error = #expect(throws: AMQPError.self) { try buffer.readAMQPShortString() }
        #expect(error?.code == .truncated)
        #expect(buffer.readerIndex == 0)
    }

    @Test func longStrings() throws {
        var buffer = ByteBuffer()
        try buffer.writeAMQPLongString("PLAIN AMQPLAIN")
        try buffer.writeAMQPLongString(bytes: ByteBuffer([0x00, 0xFF]))
        #expect(try buffer.readAMQPLongString() == "PLAIN AMQPLAIN")
        #expect(try buffer.readAMQPLongStringBytes() == ByteBuffer([0x00, 0xFF]))
        var invalid = ByteBuffer([0x00, 0x00, 0x00, 0x01, 0xFF])
        let error = #expect(throws: AMQPError.self) { try invalid.readAMQPLongString() }
        #expect(error?.code == .invalidUTF8)
        var hostile = ByteBuffer([0xFF, 0xFF, 0xFF, 0xFF, 0x00])
        let hostileError = #expect(throws: AMQPError.self) { try hostile.readAMQPLongStringBytes() }
        #expect(hostileError?.code == .truncated)
        #expect(hostileError?.size == 0xFFFF_FFFF)
    }

    @Test func bitsArePackedLeastSignificantFirst() throws {
        var buffer = ByteBuffer()
        buffer.writeAMQPBits(AMQPBits(true, false, true), count: 3)
        buffer.writeAMQPBits(AMQPBits(false, false, false, false, false, false, false, false, true), count: 9)
        #expect(buffer.bytes == [0b101, 0x00, 0x01])
        let three = try buffer.readAMQPBits(count: 3)
        #expect([three[0], three[1], three[2]] == [true, false, true])
        let nine = try buffer.readAMQPBits(count: 9)
        #expect(nine[8] && !nine[0])
        // Unused bits are ignored.
        var noisy = ByteBuffer([0xFF])
        #expect(try noisy.readAMQPBits(count: 2).rawValue == 0b11)
    }
}
