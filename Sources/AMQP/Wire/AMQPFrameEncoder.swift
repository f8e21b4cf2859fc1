public import NIOCore

/// Encodes frames into one reused buffer, to be flushed to the channel in one write.
///
/// Append frames (or a whole message: method, content header and body frames), then ``flush()`` to take the bytes.
/// The buffer's storage is reused for the next frames once the flushed bytes have been written and released. A frame
/// that fails to encode, or that is larger than ``maximumFrameSize``, leaves the buffer as it was.
public struct AMQPFrameEncoder: Sendable {
    private var buffer: ByteBuffer
    private var clearBeforeNextWrite = false

    /// The largest frame written, overhead included; 0 means no limit. Set it to the negotiated `frame_max`.
    public var maximumFrameSize: UInt32

    /// Creates an encoder.
    ///
    /// - Parameters:
    ///   - buffer: The buffer to reuse, e.g. `channel.allocator.buffer(capacity: 4096)`.
    ///   - maximumFrameSize: The largest frame written, overhead included; defaults to RabbitMQ's 131072.
    public init(buffer: ByteBuffer, maximumFrameSize: UInt32 = AMQPFrame.defaultMaximumFrameSize) {
        self.buffer = buffer
        self.buffer.clear()
        self.maximumFrameSize = maximumFrameSize
    }

    /// The number of bytes appended since the last flush.
    public var pendingBytes: Int {
        self.clearBeforeNextWrite ? 0 : self.buffer.readableBytes
    }

    private mutating func prepareForWrite() {
        if self.clearBeforeNextWrite {
            self.buffer.clear()
            self.clearBeforeNextWrite = false
        }
    }

    /// Appends the protocol header, `AMQP` 0 0 9 1.
    public mutating func appendProtocolHeader() {
        self.prepareForWrite()
        AMQPFrame.writeProtocolHeader(into: &self.buffer)
    }

    /// Appends a frame.
    ///
    /// - Parameter frame: The frame.
    /// - Throws: ``AMQPError``: `frameTooLarge` when the frame is larger than ``maximumFrameSize``, `stringTooLong`,
    ///   field table errors. Nothing is appended then.
    public mutating func append(_ frame: AMQPFrame) throws(AMQPError) {
        self.prepareForWrite()
        let start = self.buffer.writerIndex
        do {
            try frame.encode(into: &self.buffer)
        } catch {
            self.buffer.moveWriterIndex(to: start)
            throw error
        }
        let size = self.buffer.writerIndex - start
        if self.maximumFrameSize != 0 && size > Int(self.maximumFrameSize) {
            self.buffer.moveWriterIndex(to: start)
            throw AMQPError(
                code: .frameTooLarge,
                message: "the frame is larger than the maximum frame size",
                size: UInt64(size)
            )
            .withFrame(type: frame.typeOctet, channel: frame.channel)
        }
    }

    /// Appends a method frame.
    ///
    /// - Parameters:
    ///   - method: The method.
    ///   - channel: The channel.
    /// - Throws: As ``append(_:)``.
    public mutating func append(_ method: AMQPMethod, channel: UInt16) throws(AMQPError) {
        try self.append(AMQPFrame(channel: channel, payload: .method(method)))
    }

    /// Appends a method that carries content, its content header and its body split into body frames that fit
    /// ``maximumFrameSize``.
    ///
    /// - Parameters:
    ///   - method: The method, e.g. `basic.publish`.
    ///   - properties: The content properties.
    ///   - body: The body.
    ///   - channel: The channel.
    /// - Throws: As ``append(_:)``; nothing is appended then.
    public mutating func appendContent(
        _ method: AMQPMethod,
        properties: AMQPProperties,
        body: ByteBuffer,
        channel: UInt16
    ) throws(AMQPError) {
        self.prepareForWrite()
        let start = self.buffer.writerIndex
        do {
            try self.append(method, channel: channel)
            let header = AMQPContentHeader(
                classID: method.classID,
                bodySize: UInt64(body.readableBytes),
                properties: properties
            )
            try self.append(AMQPFrame(channel: channel, payload: .header(header)))
            for frame in AMQPFrame.bodyFrames(for: body, channel: channel, maximumFrameSize: self.maximumFrameSize) {
                try self.append(frame)
            }
        } catch {
            self.buffer.moveWriterIndex(to: start)
            throw error
        }
    }

    /// Appends frames encoded already (by another encoder).
    ///
    /// - Parameter bytes: Whole frames.
    mutating func appendEncoded(_ bytes: inout ByteBuffer) {
        self.prepareForWrite()
        self.buffer.writeBuffer(&bytes)
    }

    /// Takes the bytes appended since the last flush.
    ///
    /// - Returns: The bytes to write to the channel.
    public mutating func flush() -> ByteBuffer {
        self.prepareForWrite()
        self.clearBeforeNextWrite = true
        return self.buffer
    }
}
