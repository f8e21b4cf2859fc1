public import NIOCore

/// Decodes AMQP frames from bytes: a `NIOSingleStepByteToMessageDecoder`.
///
/// Reads the frame type, channel and size, checks the size against ``maximumFrameSize`` as soon as the 7-byte frame
/// header is in (so a hostile size never makes it buffer or allocate), waits for the whole frame, checks the frame
/// end octet, and decodes the payload. Malformed input throws ``AMQPError`` carrying the frame type and channel; it
/// never traps. After an error the connection must be closed (a `FRAME_ERROR`); the decoder does not resynchronise.
public struct AMQPFrameDecoder: NIOSingleStepByteToMessageDecoder, Sendable {
    /// Decoded frames.
    public typealias InboundOut = AMQPFrame

    /// The size of the frame header: type, channel, payload size.
    static let headerSize = 7

    /// The largest frame accepted, overhead included; 0 means no limit but the 32-bit payload size. Set it to the
    /// negotiated `frame_max` after `connection.tune`.
    public var maximumFrameSize: UInt32

    /// Creates a decoder.
    ///
    /// - Parameter maximumFrameSize: The largest frame accepted, overhead included; defaults to RabbitMQ's 131072.
    public init(maximumFrameSize: UInt32 = AMQPFrame.defaultMaximumFrameSize) {
        self.maximumFrameSize = maximumFrameSize
    }

    /// Decodes one frame, or returns `nil` when more bytes are needed.
    ///
    /// - Parameter buffer: The received bytes; the reader index moves past each decoded frame.
    /// - Returns: The frame, or `nil` when the buffer does not hold a whole frame yet.
    /// - Throws: ``AMQPError``: `unknownFrameType`, `frameTooLarge`, `frameEndMissing`, and payload errors
    ///   (`truncated`, `malformedFrame`, `unknownClass`, `unknownMethod`, `invalidUTF8`, field table errors).
    public mutating func decode(buffer: inout ByteBuffer) throws(AMQPError) -> AMQPFrame? {
        let start = buffer.readerIndex
        guard
            let type = buffer.getInteger(at: start, as: UInt8.self),
            let channel = buffer.getInteger(at: start + 1, endianness: .big, as: UInt16.self),
            let size = buffer.getInteger(at: start + 3, endianness: .big, as: UInt32.self)
        else {
            return nil
        }
        switch type {
        case AMQPFrame.FrameType.method, AMQPFrame.FrameType.header, AMQPFrame.FrameType.body,
            AMQPFrame.FrameType.heartbeat:
            break
        default:
            var error = AMQPError(code: .unknownFrameType, message: "unknown frame type", offendingByte: type)
            error.frameType = type
            error.channel = channel
            throw error
        }
        let frameSize = UInt64(size) + UInt64(AMQPFrame.overhead)
        guard self.maximumFrameSize == 0 || frameSize <= UInt64(self.maximumFrameSize),
            let frameLength = Int(exactly: frameSize)
        else {
            throw AMQPError(
                code: .frameTooLarge,
                message: "the frame is larger than the maximum frame size",
                size: frameSize
            )
            .withFrame(type: type, channel: channel)
        }
        guard buffer.readableBytes >= frameLength else {
            return nil
        }
        let endIndex = start + frameLength - 1
        guard let end = buffer.getInteger(at: endIndex, as: UInt8.self), end == AMQPFrame.frameEnd else {
            let end = buffer.getInteger(at: endIndex, as: UInt8.self)
            throw AMQPError(
                code: .frameEndMissing,
                message: "the frame does not end with 0xCE",
                offendingByte: end,
                size: frameSize
            ).withFrame(type: type, channel: channel)
        }
        guard var payload = buffer.getSlice(at: start + Self.headerSize, length: Int(size)) else {
            throw AMQPError.truncated(at: start + Self.headerSize, needed: Int(size)).withFrame(
                type: type,
                channel: channel
            )
        }
        buffer.moveReaderIndex(to: start + frameLength)
        do {
            return AMQPFrame(channel: channel, payload: try Self.decodePayload(type: type, payload: &payload))
        } catch {
            throw error.withFrame(type: type, channel: channel)
        }
    }

    /// Decodes what is left when the connection closes: a frame if a whole one is buffered.
    ///
    /// - Parameters:
    ///   - buffer: The received bytes.
    ///   - seenEOF: Whether the peer closed its side.
    /// - Returns: The frame, or `nil`.
    /// - Throws: As ``decode(buffer:)``.
    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws(AMQPError) -> AMQPFrame? {
        try self.decode(buffer: &buffer)
    }

    /// Decodes the payload of a frame of `type` (one of the four known types).
    static func decodePayload(type: UInt8, payload: inout ByteBuffer) throws(AMQPError) -> AMQPFrame.Payload {
        let result: AMQPFrame.Payload
        switch type {
        case AMQPFrame.FrameType.method:
            let method = try AMQPMethod(decoding: &payload)
            try Self.checkFullyRead(
                payload,
                what: "method arguments",
                classID: method.classID,
                methodID: method.methodID
            )
            result = .method(method)
        case AMQPFrame.FrameType.header:
            let header = try AMQPContentHeader(decoding: &payload)
            try Self.checkFullyRead(payload, what: "content properties", classID: header.classID, methodID: nil)
            result = .header(header)
        case AMQPFrame.FrameType.body:
            result = .body(payload)
        case AMQPFrame.FrameType.heartbeat:
            guard payload.readableBytes == 0 else {
                throw AMQPError(
                    code: .malformedFrame,
                    message: "a heartbeat frame has a payload",
                    size: UInt64(payload.readableBytes)
                )
            }
            result = .heartbeat
        default:
            throw AMQPError(code: .unknownFrameType, message: "unknown frame type", offendingByte: type)
        }
        return result
    }

    private static func checkFullyRead(
        _ payload: ByteBuffer,
        what: String,
        classID: UInt16,
        methodID: UInt16?
    ) throws(AMQPError) {
        guard payload.readableBytes == 0 else {
            throw AMQPError(
                code: .malformedFrame,
                message: "unexpected bytes after the \(what)",
                offset: payload.readerIndex,
                size: UInt64(payload.readableBytes)
            ).withMethod(classID: classID, methodID: methodID)
        }
    }
}
