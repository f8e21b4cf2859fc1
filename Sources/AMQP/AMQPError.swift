/// The one error type of the AMQP module.
///
/// Modelled on postgres-nio's `PSQLError`: a ``Code`` to switch on, a safe ``message`` (fixed text that never
/// contains payload data such as strings, credentials or message bodies), and optional context describing where the
/// problem was found (frame type, channel, class and method ids, the offset in the frame payload, the offending
/// byte). `description` is safe to log or show; `debugDescription` adds the context.
public struct AMQPError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong. A struct over a private enum, so that new codes can be added without breaking callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case truncated
            case malformedFrame
            case frameEndMissing
            case frameTooLarge
            case unknownFrameType
            case unknownClass
            case unknownMethod
            case invalidFieldValueType
            case invalidUTF8
            case stringTooLong
            case nestingTooDeep
            case invalidURL
            case connectionClosed
            case connectionLost
            case channelClosed
            case deadPeer
            case authenticationFailed
            case unsupportedMechanism
            case protocolVersionMismatch
            case unexpectedFrame
            case channelLimitReached
            case publishNacked
            case consumerCancelled
            case connectTimeout
            case invalidArgument
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The input ended before a complete value: a length or count points past the end of the frame payload.
        public static let truncated = Self(.truncated)
        /// The frame is structurally invalid: trailing bytes after a method's arguments, a heartbeat with a payload,
        /// unknown content property flags.
        public static let malformedFrame = Self(.malformedFrame)
        /// The byte after the frame payload is not the frame end octet (0xCE).
        public static let frameEndMissing = Self(.frameEndMissing)
        /// The frame is larger than the negotiated maximum frame size (or than a frame can be).
        public static let frameTooLarge = Self(.frameTooLarge)
        /// The frame type octet is not one of method (1), header (2), body (3) or heartbeat (8).
        public static let unknownFrameType = Self(.unknownFrameType)
        /// The class id of a method or content header is not defined by the protocol.
        public static let unknownClass = Self(.unknownClass)
        /// The method id is not defined for its class.
        public static let unknownMethod = Self(.unknownMethod)
        /// A field table or array holds a value type octet that is not a known field type.
        public static let invalidFieldValueType = Self(.invalidFieldValueType)
        /// A short string (or a string where text is required) is not valid UTF-8.
        public static let invalidUTF8 = Self(.invalidUTF8)
        /// A string is too long for its wire type (more than 255 bytes for a short string).
        public static let stringTooLong = Self(.stringTooLong)
        /// Field tables and arrays are nested deeper than ``AMQPTable/maximumNestingDepth``.
        public static let nestingTooDeep = Self(.nestingTooDeep)
        /// A connection URL is malformed (the message never repeats its password).
        public static let invalidURL = Self(.invalidURL)
        /// The connection was closed with `connection.close`: by the broker (``AMQPError/replyCode`` says why, e.g.
        /// 320 CONNECTION_FORCED or 530 NOT_ALLOWED), or by this client (200 REPLY_SUCCESS).
        public static let connectionClosed = Self(.connectionClosed)
        /// The connection ended without `connection.close`: end of file or an I/O error (see
        /// ``AMQPError/underlying``).
        public static let connectionLost = Self(.connectionLost)
        /// The channel was closed with `channel.close`: by the broker (``AMQPError/replyCode`` says why, e.g.
        /// 406 PRECONDITION_FAILED or 404 NOT_FOUND; the connection lives on), or by this client (200 REPLY_SUCCESS).
        public static let channelClosed = Self(.channelClosed)
        /// Nothing was received from the broker for two heartbeat intervals: the connection was closed.
        public static let deadPeer = Self(.deadPeer)
        /// The broker refused the credentials or the virtual host during the handshake (a `connection.close` with
        /// 403 ACCESS_REFUSED, or 530 NOT_ALLOWED for the virtual host).
        public static let authenticationFailed = Self(.authenticationFailed)
        /// The broker does not offer the PLAIN mechanism, or asked for a challenge (`connection.secure`).
        public static let unsupportedMechanism = Self(.unsupportedMechanism)
        /// The broker does not speak AMQP 0-9-1.
        public static let protocolVersionMismatch = Self(.protocolVersionMismatch)
        /// The broker sent a frame or method that is not valid where it came: this client closed the connection with
        /// the ``AMQPError/replyCode`` it sent (505 UNEXPECTED_FRAME, 503 COMMAND_INVALID, 504 CHANNEL_ERROR).
        public static let unexpectedFrame = Self(.unexpectedFrame)
        /// Every channel number up to the negotiated `channel_max` is in use.
        public static let channelLimitReached = Self(.channelLimitReached)
        /// Publisher confirms: the broker answered a publish with `basic.nack` (it could not take responsibility for
        /// the message, e.g. an internal error in a queue process). The message may not have been routed.
        public static let publishNacked = Self(.publishNacked)
        /// The broker cancelled a consumer (consumer cancel notification): its queue was deleted, or its node failed.
        public static let consumerCancelled = Self(.consumerCancelled)
        /// No broker of the URL could be reached, or none finished the handshake, within the connect timeout.
        public static let connectTimeout = Self(.connectTimeout)
        /// An argument of a call is not valid (e.g. a name longer than 255 bytes): nothing was sent.
        public static let invalidArgument = Self(.invalidArgument)

        /// The code's name, e.g. `frameTooLarge`.
        public var description: String {
            switch self.base {
            case .truncated: "truncated"
            case .malformedFrame: "malformedFrame"
            case .frameEndMissing: "frameEndMissing"
            case .frameTooLarge: "frameTooLarge"
            case .unknownFrameType: "unknownFrameType"
            case .unknownClass: "unknownClass"
            case .unknownMethod: "unknownMethod"
            case .invalidFieldValueType: "invalidFieldValueType"
            case .invalidUTF8: "invalidUTF8"
            case .stringTooLong: "stringTooLong"
            case .nestingTooDeep: "nestingTooDeep"
            case .invalidURL: "invalidURL"
            case .connectionClosed: "connectionClosed"
            case .connectionLost: "connectionLost"
            case .channelClosed: "channelClosed"
            case .deadPeer: "deadPeer"
            case .authenticationFailed: "authenticationFailed"
            case .unsupportedMechanism: "unsupportedMechanism"
            case .protocolVersionMismatch: "protocolVersionMismatch"
            case .unexpectedFrame: "unexpectedFrame"
            case .channelLimitReached: "channelLimitReached"
            case .publishNacked: "publishNacked"
            case .consumerCancelled: "consumerCancelled"
            case .connectTimeout: "connectTimeout"
            case .invalidArgument: "invalidArgument"
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// A short, fixed explanation that never contains payload data.
    public var message: String
    /// The frame type octet of the frame being decoded, when known.
    public var frameType: UInt8?
    /// The channel of the frame being decoded, when known.
    public var channel: UInt16?
    /// The class id of the method or content header being decoded or encoded, when known.
    public var classID: UInt16?
    /// The method id of the method being decoded or encoded, when known.
    public var methodID: UInt16?
    /// The offset of the problem in the buffer being read (for frame payloads: from the start of the payload).
    public var offset: Int?
    /// The offending octet: a field value type, a frame end octet, a frame type.
    public var offendingByte: UInt8?
    /// The offending size: a declared frame size, a string length.
    public var size: UInt64?
    /// The reply code of the `connection.close` or `channel.close` behind this error: the broker's, or the one this
    /// client sent.
    public var replyCode: AMQPReplyCode?
    /// The reply text of that close, as the broker sent it (it may name exchanges and queues, so it is only in
    /// `debugDescription`).
    public var replyText: String?
    /// The error that caused this one, if any.
    public var underlying: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: What went wrong.
    ///   - message: A safe explanation; never put payload data in it.
    ///   - offset: The offset of the problem in the buffer being read.
    ///   - offendingByte: The offending octet, if any.
    ///   - size: The offending size, if any.
    public init(
        code: Code,
        message: String,
        offset: Int? = nil,
        offendingByte: UInt8? = nil,
        size: UInt64? = nil
    ) {
        self.code = code
        self.message = message
        self.offset = offset
        self.offendingByte = offendingByte
        self.size = size
    }

    /// `AMQPError(code: …, message: …)`: safe to log; no payload data.
    public var description: String {
        "AMQPError(code: \(self.code), message: \(self.message))"
    }

    /// The description plus every piece of context that is set.
    public var debugDescription: String {
        var parts = ["code: \(self.code)", "message: \(self.message)"]
        if let frameType = self.frameType { parts.append("frameType: \(frameType)") }
        if let channel = self.channel { parts.append("channel: \(channel)") }
        if let classID = self.classID { parts.append("classID: \(classID)") }
        if let methodID = self.methodID { parts.append("methodID: \(methodID)") }
        if let offset = self.offset { parts.append("offset: \(offset)") }
        if let byte = self.offendingByte { parts.append("offendingByte: \(byte)") }
        if let size = self.size { parts.append("size: \(size)") }
        if let replyCode = self.replyCode { parts.append("replyCode: \(replyCode)") }
        if let replyText = self.replyText { parts.append("replyText: \(replyText)") }
        if let underlying = self.underlying { parts.append("underlying: \(String(reflecting: underlying))") }
        return "AMQPError(\(parts.joined(separator: ", ")))"
    }
}

extension AMQPError {
    /// Returns this error with the class and method ids set where they are not set yet.
    func withMethod(classID: UInt16, methodID: UInt16?) -> Self {
        var error = self
        if error.classID == nil { error.classID = classID }
        if error.methodID == nil { error.methodID = methodID }
        return error
    }

    /// Returns this error with the frame type and channel set where they are not set yet.
    func withFrame(type: UInt8, channel: UInt16) -> Self {
        var error = self
        if error.frameType == nil { error.frameType = type }
        if error.channel == nil { error.channel = channel }
        return error
    }

    /// Returns this error with its offset set to `offset`: the start of the value that failed.
    func at(offset: Int) -> Self {
        var error = self
        error.offset = offset
        return error
    }

    /// Returns this error with its offset moved by `base`: for errors found in a slice that starts at `base`.
    func shifted(by base: Int) -> Self {
        var error = self
        error.offset = error.offset.map { $0 + base }
        return error
    }

    static func truncated(at offset: Int, needed: Int) -> Self {
        AMQPError(
            code: .truncated,
            message: "the input ends before the end of a value",
            offset: offset,
            size: UInt64(clamping: needed)
        )
    }
}
