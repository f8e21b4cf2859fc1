import NIOCore
import Testing

@testable import AMQP

@Suite("ContentAssembler")
struct ContentAssemblerTests {
    /// A body in one frame is a slice of the connection's receive buffer. Kept as it is, each message held until its
    /// acknowledgement would keep that whole buffer (up to 64 KiB) alive: the assembled body has storage of its own,
    /// the size of the body, with the same bytes.
    @Test func aOneFrameBodyDoesNotKeepTheReceiveBuffer() throws {
        var received = ByteBuffer(repeating: UInt8(ascii: "x"), count: 65_536)
        received.moveReaderIndex(forwardBy: 1_000)
        let frame = try #require(received.getSlice(at: 1_000, length: 2_200))
        var assembler = ContentAssembler()
        try assembler.start(.deliver(ChannelStateMachineTests.deliver))
        #expect(try assembler.header(AMQPContentHeader(bodySize: 2_200, properties: .init())) == nil)
        let (_, content) = try #require(try assembler.body(frame))
        #expect(content.body == frame)
        #expect(content.body.storageCapacity <= 4_096)
        #expect(frame.storageCapacity >= 65_536)
        #expect(assembler.isIdle)
    }

    /// A body in several frames is gathered into one buffer, in order.
    @Test func aBodyInSeveralFramesIsGatheredInOrder() throws {
        var assembler = ContentAssembler()
        try assembler.start(.deliver(ChannelStateMachineTests.deliver))
        #expect(try assembler.header(AMQPContentHeader(bodySize: 11, properties: .init())) == nil)
        #expect(try assembler.body(ByteBuffer(string: "hello ")) == nil)
        let (_, content) = try #require(try assembler.body(ByteBuffer(string: "world")))
        #expect(content.body == ByteBuffer(string: "hello world"))
        #expect(assembler.isIdle)
    }
}
