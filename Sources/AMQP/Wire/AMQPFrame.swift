public import NIOCore

/// An AMQP 0-9-1 frame: a channel and a payload.
///
/// On the wire: type (octet), channel (short), payload size (long), payload, frame end (0xCE). The 8 bytes around the
/// payload are ``overhead``; the negotiated `frame_max` bounds the whole frame, overhead included.
public struct AMQPFrame: Sendable, Hashable {
    /// What a frame carries.
    public enum Payload: Sendable, Hashable {
        /// A method frame (type 1).
        case method(AMQPMethod)
        /// A content header frame (type 2), following a method that carries content.
        case header(AMQPContentHeader)
        /// A content body frame (type 3): a part of the body.
        case body(ByteBuffer)
        /// A heartbeat frame (type 8), on channel 0, with an empty payload.
        case heartbeat
    }

    /// The channel: 0 for the connection, 1 through `channel_max` for channels.
    public var channel: UInt16
    /// The payload.
    public var payload: Payload

    /// Creates a frame.
    ///
    /// - Parameters:
    ///   - channel: The channel.
    ///   - payload: The payload.
    public init(channel: UInt16, payload: Payload) {
        self.channel = channel
        self.payload = payload
    }

    /// A heartbeat frame (channel 0).
    public static let heartbeat = AMQPFrame(channel: 0, payload: .heartbeat)

    /// The protocol header a client sends first: `AMQP` 0 0 9 1.
    public static let protocolHeader: [UInt8] = [0x41, 0x4D, 0x51, 0x50, 0, 0, 9, 1]

    /// The frame end octet, 0xCE (206, the spec's FRAME-END).
    public static let frameEnd: UInt8 = 0xCE

    /// The bytes of a frame outside its payload: type, channel and size before, the frame end after.
    public static let overhead = 8

    /// The spec's FRAME-MIN-SIZE: every peer accepts frames of 4096 bytes, whatever `frame_max` is.
    public static let minimumFrameSize: UInt32 = 4096

    /// RabbitMQ's default `frame_max`: 131072 bytes.
    public static let defaultMaximumFrameSize: UInt32 = 131_072

    /// The frame type octets of the spec (FRAME-METHOD, FRAME-HEADER, FRAME-BODY, FRAME-HEARTBEAT).
    enum FrameType {
        static let method: UInt8 = 1
        static let header: UInt8 = 2
        static let body: UInt8 = 3
        static let heartbeat: UInt8 = 8
    }

    /// The frame type octet of this frame.
    public var typeOctet: UInt8 {
        switch self.payload {
        case .method: FrameType.method
        case .header: FrameType.header
        case .body: FrameType.body
        case .heartbeat: FrameType.heartbeat
        }
    }
}

// MARK: - Encoding

extension AMQPFrame {
    /// Writes the frame: type, channel, size, payload and frame end.
    ///
    /// - Parameter buffer: The buffer to write to. On error, partial output may be left; ``AMQPFrameEncoder`` rolls
    ///   it back.
    /// - Throws: ``AMQPError``: `stringTooLong`, field table errors, `frameTooLarge` for a payload over 2³² − 1 bytes.
    public func encode(into buffer: inout ByteBuffer) throws(AMQPError) {
        buffer.writeAMQPOctet(self.typeOctet)
        buffer.writeAMQPShort(self.channel)
        do {
            try buffer.writeAMQPLengthPrefixed { (buffer: inout ByteBuffer) throws(AMQPError) in
                switch self.payload {
                case .method(let method): try method.encode(into: &buffer)
                case .header(let header): try header.encode(into: &buffer)
                case .body(let body): buffer.writeImmutableBuffer(body)
                case .heartbeat: break
                }
            }
        } catch {
            throw error.withFrame(type: self.typeOctet, channel: self.channel)
        }
        buffer.writeAMQPOctet(Self.frameEnd)
    }

    /// Writes the protocol header, `AMQP` 0 0 9 1, that a client sends before any frame.
    ///
    /// - Parameter buffer: The buffer to write to.
    public static func writeProtocolHeader(into buffer: inout ByteBuffer) {
        buffer.writeBytes(Self.protocolHeader)
    }

    /// The largest body payload that fits in one frame of `maximumFrameSize` bytes, or `nil` for no limit.
    ///
    /// `maximumFrameSize` 0 means no limit (as in `connection.tune`); values below ``minimumFrameSize`` are treated as
    /// ``minimumFrameSize``, which every peer accepts.
    static func maximumBodyPayload(maximumFrameSize: UInt32) -> Int? {
        guard maximumFrameSize != 0 else { return nil }
        return Int(max(maximumFrameSize, Self.minimumFrameSize)) - Self.overhead
    }

    /// Splits a message body into body frames that each fit in `maximumFrameSize` bytes, overhead included.
    ///
    /// The frames share the body's storage (no copy). An empty body gives no frames: the content header's body size
    /// of 0 says it all.
    ///
    /// - Parameters:
    ///   - body: The message body.
    ///   - channel: The channel of the frames.
    ///   - maximumFrameSize: The negotiated `frame_max`; 0 means no limit, values below 4096 are treated as 4096.
    /// - Returns: The body frames in order.
    public static func bodyFrames(
        for body: ByteBuffer,
        channel: UInt16,
        maximumFrameSize: UInt32
    ) -> [AMQPFrame] {
        var remaining = body
        let chunk = Self.maximumBodyPayload(maximumFrameSize: maximumFrameSize) ?? max(remaining.readableBytes, 1)
        var frames: [AMQPFrame] = []
        frames.reserveCapacity((remaining.readableBytes + chunk - 1) / chunk)
        while remaining.readableBytes > 0 {
            let length = min(chunk, remaining.readableBytes)
            guard let slice = remaining.readSlice(length: length) else { break }
            frames.append(AMQPFrame(channel: channel, payload: .body(slice)))
        }
        return frames
    }
}
