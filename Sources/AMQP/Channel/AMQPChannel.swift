import NIOCore
import Synchronization

/// A channel of an ``AMQPConnection``: declarations, publishing, consuming and acknowledgements.
///
/// A value type that names the channel; copies share it. Synchronous methods (declare, bind, qos, get…) are sent one
/// at a time in call order and return the broker's answer. When the broker closes the channel (e.g. 406
/// PRECONDITION_FAILED for a conflicting declare), the call that caused it and every later call throw that
/// ``AMQPError`` (``AMQPError/replyCode`` tells why); the connection and its other channels live on.
public struct AMQPChannel: Sendable {
    /// Why the channel closed, readable from any thread.
    final class Shared: Sendable {
        private struct State {
            var closeError: AMQPError?
            var isConfirmMode = false
        }

        private let state = Mutex(State())

        var closeError: AMQPError? { self.state.withLock { $0.closeError } }

        /// The close error, and whether the channel is in confirm mode: what a publish checks.
        var publishState: (closeError: AMQPError?, isConfirmMode: Bool) {
            self.state.withLock { ($0.closeError, $0.isConfirmMode) }
        }

        func setCloseError(_ error: AMQPError) {
            self.state.withLock { state in
                if state.closeError == nil { state.closeError = error }
            }
        }

        func setConfirmMode() {
            self.state.withLock { $0.isConfirmMode = true }
        }
    }

    /// The channel number.
    public let number: UInt16
    let writer: TaskWriter
    /// The negotiated largest frame (publishes are encoded by the caller).
    let frameMax: UInt32
    let shared: Shared

    init(number: UInt16, writer: TaskWriter, frameMax: UInt32, shared: Shared) {
        self.number = number
        self.writer = writer
        self.frameMax = frameMax
        self.shared = shared
    }

    /// Why the channel is closed: the broker's close (with its reply code), the connection's failure, or a close by
    /// the client (200); `nil` while it is open.
    public var closeError: AMQPError? { self.shared.closeError }

    /// Closes the channel (`channel.close`, waiting for `close-ok`). Its consumers end, and publishes not confirmed
    /// yet fail. Closing a closed channel does nothing.
    public func close() async throws {
        if self.shared.closeError != nil { return }
        do {
            _ = try await self.writer.submit { .closeChannel(self.number, $0) }
        } catch let error as AMQPError where error.code == .channelClosed {
            return
        }
    }

    // MARK: - Internals shared by the extensions

    /// Sends a synchronous method and returns the broker's answer.
    func request(_ method: AMQPMethod) async throws -> ChannelResponse {
        try self.validate(method)
        do {
            return try await self.writer.submit { .request(method, channel: self.number, $0) }
        } catch let error as AMQPError {
            throw self.shared.closeError ?? error
        }
    }

    /// Sends an asynchronous method (ack, nack, reject) through the outbox, without waiting for the event loop.
    func send(_ method: AMQPMethod) throws(AMQPError) {
        if let error = self.shared.closeError { throw error }
        // Fixed-size methods without strings: they always encode, on the event loop.
        try self.enqueue(.send(channel: self.number, method), size: 32)
    }

    /// Appends an encoded item to the connection's outbox, and schedules the drain when it is the first.
    func enqueue(_ item: ConnectionShared.Item, size: Int) throws(AMQPError) {
        switch self.writer.connection.enqueue(item, size: size) {
        case .scheduleDrain:
            self.writer.channel.writeAndFlush(HandlerTask.drainOutbox, promise: nil)
        case .queued:
            break
        case .failed(let error):
            throw self.shared.closeError ?? error
        }
    }

    /// Checks that a method encodes within the negotiated frame size, so that no invalid request reaches the
    /// connection (where it could not be answered).
    func validate(_ method: AMQPMethod) throws(AMQPError) {
        var encoder = AMQPFrameEncoder(buffer: ByteBuffer(), maximumFrameSize: self.frameMax)
        do {
            try encoder.append(method, channel: self.number)
        } catch {
            var invalid = AMQPError(code: .invalidArgument, message: "the method cannot be sent: \(error.message)")
            invalid.classID = method.classID
            invalid.methodID = method.methodID
            invalid.underlying = error
            throw invalid
        }
    }
}
