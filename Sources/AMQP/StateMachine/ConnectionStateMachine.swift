import NIOCore

/// The pure state machine of an AMQP 0-9-1 connection: handshake, tuning, heartbeats, blocking, close, and the
/// channels multiplexed on it. No I/O, no locks, no `await`: each event returns an action that the channel handler
/// runs (postgres-nio's shape).
///
/// **Events and actions.**
///
/// | event | typical actions |
/// |---|---|
/// | ``start()`` | ``Action/writeProtocolHeader`` |
/// | ``frameReceived(_:)`` `connection.start` | ``Action/sendStartOk(_:)``; not 0-9 or no PLAIN: ``Action/close(_:)`` |
/// | `connection.tune` | ``Action/sendTuneOkAndOpen(_:_:_:)`` with the ``Tuning`` (frame max, heartbeat timer) |
/// | `connection.open-ok` | ``Action/connected(serverProperties:)`` |
/// | `connection.close` | ``Action/sendCloseOkAndClose(_:)``: everything fails with the reply code |
/// | `connection.blocked` / `unblocked` | ``Action/blocked(reason:)`` / ``Action/unblocked`` |
/// | frames of channel *n* | ``Action/channel(_:_:)`` with the ``ChannelStateMachine`` action |
/// | a frame not valid where it came | ``Action/sendClose(_:_:)`` with 505 / 503 / 504 (see ``ProtocolViolation``) |
/// | ``heartbeatTimerFired()`` | ``Action/sendHeartbeat``; dead peer: ``Action/close(_:)`` |
/// | ``close()`` | ``Action/sendClose(_:_:)``, then `close-ok` or ``closeTimeoutFired()``: ``Action/close(_:)`` |
/// | ``errorCaught(_:)`` | decode error: ``Action/sendClose(_:_:)`` (501 / 502); I/O error: ``Action/close(_:)`` |
/// | ``channelInactive()`` | ``Action/cleanUp(_:)`` |
/// | ``openChannel(promise:)``, ``request(_:channel:promise:)``, ``closeChannel(_:promise:)`` | ``ChannelRequestAction`` |
/// | ``send(_:channel:)``, ``publish(channel:)`` | ``ChannelSendAction``, ``PublishAction`` |
///
/// Everything pending fails exactly once: the first failure (broker close, protocol violation, dead peer, I/O error,
/// end of file, client close) hands every channel's promises and unconfirmed publishes to the handler in one
/// ``CleanUp``, and later events find nothing left to fail.
///
/// **Channels.** The machine owns a ``ChannelStateMachine`` per channel, in a dictionary by channel number. Numbers
/// are allocated round robin from 1 to the negotiated `channel_max`, so that a number just freed is not reused at
/// once. A channel's machine is removed when the channel is closed; the handler must stop using a channel's number
/// once it has run that channel's closing action.
///
/// **Heartbeats.** After ``Action/sendTuneOkAndOpen(_:_:_:)`` with a heartbeat, the handler calls
/// ``heartbeatTimerFired()`` every ``Tuning/heartbeatTimerInterval`` (half the heartbeat), and ``frameReceived(_:)``
/// / ``frameSent()`` for every frame; the rule is ``HeartbeatStateMachine``'s.
///
/// `Promise` is what the handler completes for channel requests (an `EventLoopPromise<ChannelResponse>`; tests use
/// integers). The connect and close promises of the connection itself stay in the handler: it succeeds the first on
/// ``Action/connected(serverProperties:)`` and fails it with the error of the first ``CleanUp``.
struct ConnectionStateMachine<Promise> {
    /// What to do after an event.
    enum Action {
        /// Nothing.
        case none
        /// Write the protocol header, `AMQP` 0 0 9 1.
        case writeProtocolHeader
        /// Write `connection.start-ok` (PLAIN credentials, client properties, locale).
        case sendStartOk(AMQPMethod.Connection.StartOk)
        /// Write `connection.tune-ok` then `connection.open`. Set the frame decoder's maximum frame size to
        /// `tuning.frameMax`, split bodies at it, and start the heartbeat timer when
        /// ``Tuning/heartbeatTimerInterval`` is set.
        case sendTuneOkAndOpen(AMQPMethod.Connection.TuneOk, AMQPMethod.Connection.Open, Tuning)
        /// `connection.open-ok`: the connection is open; succeed the connect promise.
        case connected(serverProperties: AMQPTable)
        /// Write a heartbeat frame.
        case sendHeartbeat
        /// The broker blocked publishing (`connection.blocked`, e.g. a memory or disk alarm): publishers wait.
        case blocked(reason: String)
        /// The broker unblocked publishing.
        case unblocked
        /// A channel's action (see ``ChannelStateMachine/Action``), for channel `channel`.
        case channel(UInt16, ChannelStateMachine<Promise>.Action)
        /// Write `connection.close`, and start the close timer: the connection ends on `connection.close-ok` or on
        /// ``closeTimeoutFired()``, both ``close(_:)``. Fail the clean-up, if any (the connect promise too).
        case sendClose(AMQPMethod.Connection.Close, CleanUp?)
        /// The broker closed the connection: write `connection.close-ok`, close the channel, and fail the clean-up
        /// (its error carries the broker's reply code).
        case sendCloseOkAndClose(CleanUp?)
        /// Close the channel now; fail the clean-up, if any.
        case close(CleanUp?)
        /// The channel is closed already (end of file): fail the clean-up.
        case cleanUp(CleanUp)
    }

    /// Everything that fails when the connection fails: each open channel's clean-up, with one error.
    struct CleanUp {
        /// Why the connection failed; the connect promise (if still pending) fails with it too.
        var error: AMQPError
        /// The channels that were open or opening, by ascending number.
        var channels: [ChannelStateMachine<Promise>.CleanUp]
    }

    private enum State {
        /// Nothing sent.
        case initialized
        /// Protocol header sent; `connection.start` due.
        case protocolHeaderSent
        /// `connection.start-ok` sent; `connection.tune` due.
        case startOkSent(serverProperties: AMQPTable)
        /// `connection.tune-ok` and `connection.open` sent; `connection.open-ok` due.
        case openSent(serverProperties: AMQPTable, Tuning)
        /// Open.
        case open(Tuning)
        /// `connection.close` sent; `connection.close-ok` (or the close timer) due. Everything was failed already.
        case closeSent
        /// Closed, with the reason.
        case closed(AMQPError)
    }

    private var state: State = .initialized
    private let configuration: ConnectionConfiguration
    private var channels: [UInt16: ChannelStateMachine<Promise>] = [:]
    private var lastChannelID: UInt16 = 0
    private var heartbeat = HeartbeatStateMachine()
    /// Why the connection is closing or closed, for operations that come later.
    private var failure: AMQPError?

    /// Creates the machine of a connection about to be established.
    ///
    /// - Parameter configuration: Credentials, virtual host and tuning wishes.
    init(configuration: ConnectionConfiguration) {
        self.configuration = configuration
    }

    /// The number of channels open or opening.
    var channelCount: Int { self.channels.count }

    // MARK: - Connection events

    /// The TCP (or TLS) connection is up.
    ///
    /// - Returns: ``Action/writeProtocolHeader``.
    mutating func start() -> Action {
        switch self.state {
        case .initialized:
            self.state = .protocolHeaderSent
            return .writeProtocolHeader
        case .protocolHeaderSent, .startOkSent, .openSent, .open, .closeSent, .closed:
            preconditionFailure("start() called twice")
        }
    }

    /// A frame was written. Cheap: it only sets a flag for the heartbeat.
    mutating func frameSent() {
        self.heartbeat.frameSent()
    }

    /// A frame came from the broker.
    ///
    /// - Parameter frame: The decoded frame.
    /// - Returns: What to do.
    mutating func frameReceived(_ frame: AMQPFrame) -> Action {
        self.heartbeat.frameReceived()
        if frame.channel == 0 {
            switch frame.payload {
            case .method(let method):
                return self.connectionMethodReceived(method)
            case .heartbeat:
                return .none
            case .header, .body:
                return self.violation(.unexpectedFrame("a content frame on channel 0"))
            }
        }
        switch self.state {
        case .open:
            break
        case .initialized, .protocolHeaderSent, .startOkSent, .openSent:
            return self.violation(.unexpectedFrame("a channel frame before the handshake finished"))
        case .closeSent, .closed:
            return .none
        }
        switch frame.payload {
        case .method(let method):
            if case .connection = method {
                return self.violation(.commandInvalid("a connection method on a channel other than 0", method: method))
            }
            return self.withChannel(frame.channel) { (channel) throws(ProtocolViolation) in
                try channel.methodReceived(method)
            }
        case .header(let header):
            return self.withChannel(frame.channel) { (channel) throws(ProtocolViolation) in
                try channel.headerReceived(header)
            }
        case .body(let body):
            return self.withChannel(frame.channel) { (channel) throws(ProtocolViolation) in
                try channel.bodyReceived(body)
            }
        case .heartbeat:
            return self.violation(.unexpectedFrame("a heartbeat frame on a channel other than 0"))
        }
    }

    /// The heartbeat timer fired (every ``Tuning/heartbeatTimerInterval``).
    ///
    /// - Returns: ``Action/sendHeartbeat``, ``Action/close(_:)`` with ``AMQPError/Code/deadPeer``, or nothing.
    mutating func heartbeatTimerFired() -> Action {
        switch self.state {
        case .openSent, .open:
            switch self.heartbeat.timerFired() {
            case .none:
                return .none
            case .sendHeartbeat:
                return .sendHeartbeat
            case .deadPeer:
                return .close(self.failAll(.deadPeer, closing: false))
            }
        case .initialized, .protocolHeaderSent, .startOkSent, .closeSent, .closed:
            return .none
        }
    }

    /// The client closes the connection.
    ///
    /// - Returns: ``Action/sendClose(_:_:)`` (200 REPLY_SUCCESS) failing every channel; ``Action/close(_:)`` before
    ///   `connection.start`; nothing when closing already.
    mutating func close() -> Action {
        switch self.state {
        case .initialized, .protocolHeaderSent:
            return .close(self.failAll(.connectionClosedByClient, closing: false))
        case .startOkSent, .openSent, .open:
            let close = AMQPMethod.Connection.Close(
                replyCode: .success,
                replyText: "Normal shutdown",
                classID: 0,
                methodID: 0
            )
            return .sendClose(close, self.failAll(.connectionClosedByClient, closing: true))
        case .closeSent, .closed:
            return .none
        }
    }

    /// The close timer, started by ``Action/sendClose(_:_:)``, fired before `connection.close-ok` came.
    ///
    /// - Returns: ``Action/close(_:)`` when still waiting for `close-ok`.
    mutating func closeTimeoutFired() -> Action {
        switch self.state {
        case .closeSent:
            self.state = .closed(self.failure ?? .connectionClosedByClient)
            return .close(nil)
        case .initialized, .protocolHeaderSent, .startOkSent, .openSent, .open, .closed:
            return .none
        }
    }

    /// The pipeline caught an error: a frame decoding error (``AMQPError``) or an I/O error.
    ///
    /// - Parameter error: The error.
    /// - Returns: For a decoding error after `connection.start`, ``Action/sendClose(_:_:)`` with 501 FRAME_ERROR
    ///   (frame structure) or 502 SYNTAX_ERROR (method and field contents); otherwise ``Action/close(_:)``.
    mutating func errorCaught(_ error: any Error) -> Action {
        switch self.state {
        case .closed:
            return .none
        case .closeSent:
            self.state = .closed(self.failure ?? .connectionLost(error))
            return .close(nil)
        case .initialized, .protocolHeaderSent:
            if let decodeError = error as? AMQPError, decodeError.code == .unknownFrameType,
                decodeError.offendingByte == AMQPFrame.protocolHeader[0]
            {
                // The broker answered the protocol header with its own: it does not speak 0-9-1.
                var mismatch = AMQPError(
                    code: .protocolVersionMismatch,
                    message: "the broker does not support AMQP 0-9-1"
                )
                mismatch.underlying = decodeError
                return .close(self.failAll(mismatch, closing: false))
            }
            return .close(self.failAll(.connectionLost(error), closing: false))
        case .startOkSent, .openSent, .open:
            guard var decodeError = error as? AMQPError else {
                return .close(self.failAll(.connectionLost(error), closing: false))
            }
            let replyCode = Self.replyCode(forDecodeError: decodeError.code)
            decodeError.replyCode = replyCode
            let close = AMQPMethod.Connection.Close(
                replyCode: replyCode,
                replyText: "\(replyCode.name ?? "ERROR") - cannot decode a frame",
                classID: decodeError.classID ?? 0,
                methodID: decodeError.methodID ?? 0
            )
            return .sendClose(close, self.failAll(decodeError, closing: true))
        }
    }

    /// The channel became inactive: end of file, or closed after an action.
    ///
    /// - Returns: ``Action/cleanUp(_:)`` with ``AMQPError/Code/connectionLost`` unless everything failed already.
    mutating func channelInactive() -> Action {
        switch self.state {
        case .closed:
            return .none
        case .closeSent:
            self.state = .closed(self.failure ?? .connectionClosedByClient)
            return .none
        case .initialized, .protocolHeaderSent, .startOkSent, .openSent, .open:
            return .cleanUp(self.failAll(.connectionLost(nil), closing: false))
        }
    }

    // MARK: - Channel events

    /// The client opens a channel.
    ///
    /// - Parameter promise: Succeeded with `channel.open-ok`.
    /// - Returns: ``ChannelRequestAction/sendMethod(channel:_:)`` with `channel.open` on a new number, or
    ///   ``ChannelRequestAction/failPromise(_:_:)``: the connection is not open, or every number is in use.
    mutating func openChannel(promise: Promise) -> ChannelRequestAction<Promise> {
        guard case .open(let tuning) = self.state else {
            return .failPromise(promise, self.failure ?? .connectionNotOpen)
        }
        let highest = tuning.highestChannelID
        guard self.channels.count < Int(highest) else {
            return .failPromise(promise, .channelLimitReached)
        }
        var candidate = self.lastChannelID
        repeat {
            candidate = candidate >= highest ? 1 : candidate + 1
        } while self.channels[candidate] != nil
        self.lastChannelID = candidate
        self.channels[candidate] = ChannelStateMachine(channelID: candidate, openPromise: promise)
        return .sendMethod(channel: candidate, ChannelStateMachine<Promise>.openMethod)
    }

    /// The client makes a synchronous request on a channel (see ``ChannelStateMachine/request(_:promise:)``).
    ///
    /// - Parameters:
    ///   - method: A method that expects a reply.
    ///   - channel: The channel number.
    ///   - promise: Completed with the reply.
    /// - Returns: Write it, queue it, or fail the promise.
    mutating func request(_ method: AMQPMethod, channel: UInt16, promise: Promise) -> ChannelRequestAction<Promise> {
        guard case .open = self.state else {
            return .failPromise(promise, self.failure ?? .connectionNotOpen)
        }
        guard let index = self.channels.index(forKey: channel) else {
            return .failPromise(promise, .channelClosedByClient(channel))
        }
        return self.channels.values[index].request(method, promise: promise)
    }

    /// The client closes a channel.
    ///
    /// - Parameters:
    ///   - channel: The channel number.
    ///   - promise: Succeeded with `channel.close-ok`.
    /// - Returns: Write `channel.close`, wait for the close under way, or complete the promise now.
    mutating func closeChannel(_ channel: UInt16, promise: Promise) -> ChannelRequestAction<Promise> {
        switch self.state {
        case .open:
            guard let index = self.channels.index(forKey: channel) else {
                return .succeedPromise(promise, .method(.channel(.closeOk)))
            }
            return self.channels.values[index].close(promise: promise)
        case .initialized, .protocolHeaderSent, .startOkSent, .openSent, .closeSent, .closed:
            return .failPromise(promise, self.failure ?? .connectionNotOpen)
        }
    }

    /// The client sends an asynchronous method on a channel (see ``ChannelStateMachine/send(_:)``).
    ///
    /// - Parameters:
    ///   - method: A method without a reply (or with `nowait`).
    ///   - channel: The channel number.
    /// - Returns: Write it, or fail.
    mutating func send(_ method: AMQPMethod, channel: UInt16) -> ChannelSendAction {
        guard case .open = self.state else {
            return .fail(self.failure ?? .connectionNotOpen)
        }
        guard let index = self.channels.index(forKey: channel) else {
            return .fail(.channelClosedByClient(channel))
        }
        return self.channels.values[index].send(method)
    }

    /// The client publishes on a channel (see ``ChannelStateMachine/publish()``).
    ///
    /// - Parameter channel: The channel number.
    /// - Returns: Write it (with its delivery tag in confirm mode), or fail.
    mutating func publish(channel: UInt16) -> PublishAction {
        guard case .open = self.state else {
            return .fail(self.failure ?? .connectionNotOpen)
        }
        guard let index = self.channels.index(forKey: channel) else {
            return .fail(.channelClosedByClient(channel))
        }
        return self.channels.values[index].publish()
    }

    // MARK: - Private

    private mutating func connectionMethodReceived(_ method: AMQPMethod) -> Action {
        guard case .connection(let connectionMethod) = method else {
            switch self.state {
            case .closeSent, .closed:
                return .none
            case .initialized, .protocolHeaderSent, .startOkSent, .openSent, .open:
                return self.violation(.commandInvalid("a method of another class than connection on channel 0"))
            }
        }
        switch self.state {
        case .initialized, .protocolHeaderSent:
            guard case .start(let start) = connectionMethod else {
                return self.violation(.unexpectedFrame("expected connection.start", method: method))
            }
            return self.startReceived(start)

        case .startOkSent(let serverProperties):
            switch connectionMethod {
            case .tune(let tune):
                let tuning = Tuning(
                    channelMax: self.configuration.channelMax,
                    frameMax: self.configuration.frameMax,
                    heartbeat: self.configuration.heartbeat,
                    tune: tune
                )
                self.state = .openSent(serverProperties: serverProperties, tuning)
                if tuning.heartbeat > 0 {
                    self.heartbeat.start()
                }
                return .sendTuneOkAndOpen(
                    tuning.tuneOk,
                    AMQPMethod.Connection.Open(virtualHost: self.configuration.virtualHost),
                    tuning
                )
            case .secure:
                var error = AMQPError(
                    code: .unsupportedMechanism,
                    message: "the broker asked for a PLAIN challenge (connection.secure), which is not supported"
                )
                error.replyCode = .notImplemented
                let close = AMQPMethod.Connection.Close(
                    replyCode: .notImplemented,
                    replyText: "NOT_IMPLEMENTED - connection.secure is not supported with PLAIN",
                    classID: method.classID,
                    methodID: method.methodID
                )
                return .sendClose(close, self.failAll(error, closing: true))
            case .close(let close):
                return self.closedByBroker(close, duringHandshake: true)
            case .start, .startOk, .secureOk, .tuneOk, .open, .openOk, .closeOk, .blocked, .unblocked, .updateSecret,
                .updateSecretOk:
                return self.violation(.unexpectedFrame("expected connection.tune", method: method))
            }

        case .openSent(let serverProperties, let tuning):
            switch connectionMethod {
            case .openOk:
                self.state = .open(tuning)
                return .connected(serverProperties: serverProperties)
            case .close(let close):
                return self.closedByBroker(close, duringHandshake: true)
            case .blocked(let blocked):
                return .blocked(reason: blocked.reason)
            case .unblocked:
                return .unblocked
            case .start, .startOk, .secure, .secureOk, .tune, .tuneOk, .open, .closeOk, .updateSecret,
                .updateSecretOk:
                return self.violation(.unexpectedFrame("expected connection.open-ok", method: method))
            }

        case .open:
            switch connectionMethod {
            case .close(let close):
                return self.closedByBroker(close, duringHandshake: false)
            case .blocked(let blocked):
                return .blocked(reason: blocked.reason)
            case .unblocked:
                return .unblocked
            case .start, .startOk, .secure, .secureOk, .tune, .tuneOk, .open, .openOk, .closeOk, .updateSecret,
                .updateSecretOk:
                return self.violation(
                    .unexpectedFrame("a connection method not valid on an open connection", method: method)
                )
            }

        case .closeSent:
            switch connectionMethod {
            case .closeOk:
                self.state = .closed(self.failure ?? .connectionClosedByClient)
                return .close(nil)
            case .close:
                // Both sides closed at once: answer, and end the connection.
                self.state = .closed(self.failure ?? .connectionClosedByClient)
                return .sendCloseOkAndClose(nil)
            case .start, .startOk, .secure, .secureOk, .tune, .tuneOk, .open, .openOk, .blocked, .unblocked,
                .updateSecret, .updateSecretOk:
                // After sending connection.close, every other method is discarded.
                return .none
            }

        case .closed:
            return .none
        }
    }

    private mutating func startReceived(_ start: AMQPMethod.Connection.Start) -> Action {
        guard start.versionMajor == 0, start.versionMinor == 9 else {
            var error = AMQPError(code: .protocolVersionMismatch, message: "the broker does not speak AMQP 0-9-1")
            error.classID = AMQPMethod.Connection.classID
            return .close(self.failAll(error, closing: false))
        }
        guard start.mechanisms.split(separator: " ").contains("PLAIN") else {
            let error = AMQPError(code: .unsupportedMechanism, message: "the broker does not offer PLAIN")
            return .close(self.failAll(error, closing: false))
        }
        self.state = .startOkSent(serverProperties: start.serverProperties)
        return .sendStartOk(self.configuration.startOk)
    }

    private mutating func closedByBroker(_ close: AMQPMethod.Connection.Close, duringHandshake: Bool) -> Action {
        let error = AMQPError.connectionClosed(by: close, duringHandshake: duringHandshake)
        return .sendCloseOkAndClose(self.failAll(error, closing: false))
    }

    /// A protocol violation: close with its code once `connection.start` came, or drop the connection before.
    private mutating func violation(_ violation: ProtocolViolation) -> Action {
        let error = AMQPError.protocolViolation(violation)
        switch self.state {
        case .initialized, .protocolHeaderSent:
            return .close(self.failAll(error, closing: false))
        case .startOkSent, .openSent, .open:
            return .sendClose(violation.close, self.failAll(error, closing: true))
        case .closeSent, .closed:
            return .none
        }
    }

    /// Runs a channel event on channel `id`: its action, or a connection-level close when the channel is unknown or
    /// the event violates the protocol. Removes the channel's machine once the channel is closed.
    private mutating func withChannel(
        _ id: UInt16,
        _ body: (inout ChannelStateMachine<Promise>) throws(ProtocolViolation) -> ChannelStateMachine<Promise>.Action
    ) -> Action {
        guard let index = self.channels.index(forKey: id) else {
            return self.violation(.channelError("a frame on a channel that is not open"))
        }
        let action: ChannelStateMachine<Promise>.Action
        do {
            action = try body(&self.channels.values[index])
        } catch {
            return self.violation(error)
        }
        if self.channels.values[index].isClosed {
            self.channels.remove(at: index)
        }
        return .channel(id, action)
    }

    /// Fails every channel with `error` and moves to `closeSent` (when a `connection.close` goes out) or `closed`.
    private mutating func failAll(_ error: AMQPError, closing: Bool) -> CleanUp {
        self.failure = error
        self.heartbeat.stop()
        self.state = closing ? .closeSent : .closed(error)
        var channels: [ChannelStateMachine<Promise>.CleanUp] = []
        channels.reserveCapacity(self.channels.count)
        for id in self.channels.keys.sorted() {
            if let cleanUp = self.channels[id]?.fail(error) {
                channels.append(cleanUp)
            }
        }
        self.channels.removeAll()
        return CleanUp(error: error, channels: channels)
    }

    /// The reply code to close with after a frame decoding error.
    ///
    /// 501 FRAME_ERROR for the frame's structure (type, size, end octet, trailing bytes); 502 SYNTAX_ERROR for the
    /// contents of a method, header or field table.
    private static func replyCode(forDecodeError code: AMQPError.Code) -> AMQPReplyCode {
        let frameErrors: [AMQPError.Code] = [.malformedFrame, .frameEndMissing, .frameTooLarge, .unknownFrameType]
        return frameErrors.contains(code) ? .frameError : .syntaxError
    }
}

extension ConnectionStateMachine.CleanUp: Equatable where Promise: Equatable {
    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.error.isSameFailure(as: rhs.error) && lhs.channels == rhs.channels
    }
}

extension ConnectionStateMachine.Action: Equatable where Promise: Equatable {}
