import NIOCore

@testable import AMQP

extension ByteBuffer {
    /// A buffer holding `bytes`.
    init(_ bytes: [UInt8]) {
        self.init(bytes: bytes)
    }

    /// The readable bytes as an array.
    var bytes: [UInt8] {
        self.getBytes(at: self.readerIndex, length: self.readableBytes) ?? []
    }
}

extension Array where Element == UInt8 {
    /// The UTF-8 bytes of `string`.
    init(utf8 string: String) {
        self = Array(string.utf8)
    }
}

/// Encodes `frame` into a fresh buffer.
func encoded(_ frame: AMQPFrame) throws(AMQPError) -> ByteBuffer {
    var buffer = ByteBuffer()
    try frame.encode(into: &buffer)
    return buffer
}

/// A method frame on `channel`.
func methodFrame(_ method: AMQPMethod, channel: UInt16 = 1) -> AMQPFrame {
    AMQPFrame(channel: channel, payload: .method(method))
}

/// Frame bytes around `payload`: type, channel, size, payload, frame end.
func frameBytes(type: UInt8, channel: UInt16 = 1, payload: [UInt8], end: UInt8 = 0xCE) -> [UInt8] {
    let size = UInt32(payload.count)
    return [type, UInt8(channel >> 8), UInt8(channel & 0xFF)]
        + [UInt8(size >> 24), UInt8((size >> 16) & 0xFF), UInt8((size >> 8) & 0xFF), UInt8(size & 0xFF)]
        + payload + [end]
}

/// Decodes every whole frame in `bytes`.
func decodeFrames(
    _ bytes: ByteBuffer,
    maximumFrameSize: UInt32 = AMQPFrame.defaultMaximumFrameSize
) throws(AMQPError) -> (frames: [AMQPFrame], leftover: Int) {
    var decoder = AMQPFrameDecoder(maximumFrameSize: maximumFrameSize)
    var buffer = bytes
    var frames: [AMQPFrame] = []
    while let frame = try decoder.decode(buffer: &buffer) {
        frames.append(frame)
    }
    return (frames, buffer.readableBytes)
}
