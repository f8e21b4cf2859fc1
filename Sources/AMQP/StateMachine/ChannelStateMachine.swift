import NIOCore

/// The pure state machine of one AMQP channel: open, synchronous requests and their replies, incoming content,
/// publisher confirms, consumer cancel notifications, flow, and close. No I/O.
///
/// ``ConnectionStateMachine`` owns one per open channel, in a dictionary by channel number: it routes the frames of
/// channel *n* here, removes the machine once the channel is closed (so that the number can be used again), and turns
/// a ``ProtocolViolation`` thrown here into a connection-level close.
///
/// `Promise` is whatever the handler completes when a request is answered (an `EventLoopPromise<ChannelResponse>`;
/// tests use integers). The machine only stores and returns promises.
///
/// **Synchronous requests.** AMQP allows one outstanding synchronous method per channel. Requests are queued, not
/// rejected: the first one in the queue is on the wire, the others wait, and the action that answers a request
/// carries the next one to send (`sendNext`). Requests made while `channel.open` is on its way wait for `open-ok`.
/// Asynchronous methods (``send(_:)``, ``publish()``) are written at once, in the caller's order.
///
/// **Close.** A `channel.close` from the broker is answered with `close-ok`; everything pending fails with
/// ``AMQPError/Code/channelClosed`` carrying the reply code (e.g. 406 PRECONDITION_FAILED), and only this channel is
/// closed. A close from the client sends `channel.close`, discards all frames but `close` and `close-ok` (as the spec
/// says), and on `close-ok` succeeds the close promises and fails what was still pending. When both sides close at
/// once, the broker's close is answered with `close-ok` and the channel stays closing until its own `close-ok`.
struct ChannelStateMachine<Promise> {
    /// What to do after a frame from the broker.
    enum Action {
        /// Nothing.
        case none
        /// `channel.open-ok`: succeed the open promise with it; then write `sendNext`, the first request queued
        /// meanwhile, if any.
        case succeedOpen(Promise, sendNext: AMQPMethod?)
        /// The reply to the outstanding request: succeed its promise; then write `sendNext`, the next queued request,
        /// if any.
        case succeedRequest(Promise, ChannelResponse, sendNext: AMQPMethod?)
        /// A message for a consumer (`basic.deliver` and its content): pass it to the consumer of its consumer tag.
        case deliver(AMQPMethod.Basic.Deliver, AMQPContent)
        /// A mandatory message the broker could not route (`basic.return` and its content): report it to the
        /// publisher. In confirm mode its `basic.ack` follows.
        case returned(AMQPMethod.Basic.Return, AMQPContent)
        /// Publisher confirms: the broker accepted these publishes (ascending delivery tags).
        case acked(deliveryTags: [UInt64])
        /// Publisher confirms: the broker lost these publishes (ascending delivery tags).
        case nacked(deliveryTags: [UInt64])
        /// The broker cancelled a consumer (consumer cancel notification, e.g. its queue was deleted): end that
        /// consumer's deliveries; when `sendCancelOk` is set, write `basic.cancel-ok` with the tag.
        case consumerCancelled(consumerTag: String, sendCancelOk: Bool)
        /// `channel.flow` from the broker: write `channel.flow-ok` with `active`, and let publishers on this channel
        /// wait while `active` is false.
        case flowChanged(active: Bool)
        /// `channel.close` from the broker: write `channel.close-ok`; fail the clean-up's promises and unconfirmed
        /// publishes with its error. The channel is closed (unless the client's own close is still waiting for
        /// `close-ok`); the connection lives on.
        case sendCloseOk(CleanUp)
        /// `channel.close-ok` for the client's close: succeed `closePromises` with it, fail the clean-up's promises
        /// and unconfirmed publishes. The channel is closed.
        case closed(closePromises: [Promise], CleanUp)
    }

    /// What to fail when a channel closes: every promise still waiting, and every publish still unconfirmed.
    struct CleanUp {
        /// The channel number.
        var channel: UInt16
        /// The error to fail them with.
        var error: AMQPError
        /// The promises: the open promise, close promises (when the connection failed), queued requests in order.
        var promises: [Promise]
        /// The delivery tags of publishes not confirmed yet (confirm mode), ascending.
        var unconfirmedDeliveryTags: [UInt64]
    }

    private enum State {
        /// `channel.open` sent; `open-ok` due.
        case opening(openPromise: Promise)
        /// Open.
        case open
        /// `channel.close` sent; `close-ok` due. `openPromise` is set when the close was sent before `open-ok`.
        case closing(closePromises: [Promise], openPromise: Promise?)
        /// Closed, with the reason.
        case closed(AMQPError)
    }

    private struct Request {
        var method: AMQPMethod
        var promise: Promise
    }

    /// The channel number.
    let channelID: UInt16
    private var state: State
    /// Synchronous requests; the first is on the wire when the channel is open.
    private var requests = CircularBuffer<Request>()
    private var content = ContentAssembler()
    /// Set once `confirm.select` is written.
    private var confirms: ConfirmTracker?
    /// Whether the broker paused publishing with `channel.flow`.
    private(set) var isFlowActive = true

    /// Creates the machine of a channel whose `channel.open` is being sent.
    ///
    /// - Parameters:
    ///   - channelID: The channel number.
    ///   - openPromise: Succeeded on `channel.open-ok`.
    init(channelID: UInt16, openPromise: Promise) {
        self.channelID = channelID
        self.state = .opening(openPromise: openPromise)
    }

    /// The `channel.open` to write when the channel is created.
    static var openMethod: AMQPMethod { .channel(.open(.init())) }

    /// Whether the channel is closed (its number may be used again).
    var isClosed: Bool {
        switch self.state {
        case .closed: true
        case .opening, .open, .closing: false
        }
    }

    /// Whether the channel is in confirm mode (`confirm.select` was written).
    var isConfirmMode: Bool { self.confirms != nil }

    // MARK: - Events from the client

    /// The client makes a synchronous request: a method that expects a reply.
    ///
    /// - Parameters:
    ///   - method: A method with ``AMQPMethod/expectsReply``, other than `channel.open` and `channel.close` (see
    ///     ``close(promise:)``). `basic.get` is answered with ``ChannelResponse/getOk(_:_:)`` or `basic.get-empty`.
    ///   - promise: Completed with the reply.
    /// - Returns: Write it now, wait in the queue, or fail the promise.
    mutating func request(_ method: AMQPMethod, promise: Promise) -> ChannelRequestAction<Promise> {
        precondition(method.expectsReply, "\(method.name) does not expect a reply; use send(_:)")
        switch method {
        case .channel(.open), .channel(.close):
            preconditionFailure("channel.open and channel.close have their own events")
        case .connection, .channel, .access, .exchange, .queue, .basic, .tx, .confirm:
            break
        }
        switch self.state {
        case .opening:
            self.requests.append(Request(method: method, promise: promise))
            return .none
        case .open:
            self.requests.append(Request(method: method, promise: promise))
            guard self.requests.count == 1 else { return .none }
            self.willSend(method)
            return .sendMethod(channel: self.channelID, method)
        case .closing:
            return .failPromise(promise, .channelClosedByClient(self.channelID))
        case .closed(let error):
            return .failPromise(promise, error)
        }
    }

    /// The client sends an asynchronous method: one without a reply (`basic.ack`, `basic.nack`, `basic.reject`,
    /// `basic.recover-async`), or a synchronous one with `nowait` set.
    ///
    /// - Parameter method: The method; not `basic.publish` (see ``publish()``).
    /// - Returns: Write it, or fail.
    mutating func send(_ method: AMQPMethod) -> ChannelSendAction {
        precondition(!method.expectsReply, "\(method.name) expects a reply; use request(_:promise:)")
        switch self.state {
        case .open:
            if case .basic(.publish) = method {
                preconditionFailure("basic.publish has its own event")
            }
            self.willSend(method)
            return .write
        case .opening, .closing:
            return .fail(.channelClosedByClient(self.channelID))
        case .closed(let error):
            return .fail(error)
        }
    }

    /// The client publishes a message.
    ///
    /// - Returns: Write it (with its delivery tag in confirm mode), or fail.
    mutating func publish() -> PublishAction {
        switch self.state {
        case .open:
            return .write(deliveryTag: self.confirms?.publish())
        case .opening, .closing:
            return .fail(.channelClosedByClient(self.channelID))
        case .closed(let error):
            return .fail(error)
        }
    }

    /// The client closes the channel.
    ///
    /// - Parameter promise: Succeeded with `channel.close-ok`.
    /// - Returns: Write `channel.close`, wait for the close already sent, or succeed at once when closed.
    mutating func close(promise: Promise) -> ChannelRequestAction<Promise> {
        switch self.state {
        case .opening(let openPromise):
            self.state = .closing(closePromises: [promise], openPromise: openPromise)
            return .sendMethod(channel: self.channelID, Self.closeMethod)
        case .open:
            self.content.reset()
            self.state = .closing(closePromises: [promise], openPromise: nil)
            return .sendMethod(channel: self.channelID, Self.closeMethod)
        case .closing(var closePromises, let openPromise):
            closePromises.append(promise)
            self.state = .closing(closePromises: closePromises, openPromise: openPromise)
            return .none
        case .closed:
            return .succeedPromise(promise, .method(.channel(.closeOk)))
        }
    }

    /// The connection failed or closed: everything on the channel fails with `error`.
    ///
    /// - Parameter error: The connection's error.
    /// - Returns: What to fail (close promises included).
    mutating func fail(_ error: AMQPError) -> CleanUp {
        var promises: [Promise] = []
        switch self.state {
        case .opening(let openPromise):
            promises.append(openPromise)
        case .open:
            break
        case .closing(let closePromises, let openPromise):
            if let openPromise { promises.append(openPromise) }
            promises += closePromises
        case .closed:
            return CleanUp(channel: self.channelID, error: error, promises: [], unconfirmedDeliveryTags: [])
        }
        self.state = .closed(error)
        return self.cleanUp(error, promises: promises)
    }

    // MARK: - Frames from the broker

    /// A method frame arrived on this channel.
    ///
    /// - Parameter method: The method (its class is not `connection`; the connection checked).
    /// - Returns: What to do.
    /// - Throws: ``ProtocolViolation`` when the method is not valid here: the connection must close.
    mutating func methodReceived(_ method: AMQPMethod) throws(ProtocolViolation) -> Action {
        switch self.state {
        case .opening(let openPromise):
            switch method {
            case .channel(.openOk):
                self.state = .open
                return .succeedOpen(openPromise, sendNext: self.dispatchNext())
            case .channel(.close(let close)):
                return self.closedByBroker(close, promises: [openPromise])
            case .connection, .channel, .access, .exchange, .queue, .basic, .tx, .confirm:
                throw .commandInvalid("expected channel.open-ok", method: method)
            }

        case .open:
            guard self.content.isIdle else {
                throw .unexpectedFrame("expected a content header or body frame, got a method frame", method: method)
            }
            return try self.methodReceivedWhenOpen(method)

        case .closing(let closePromises, let openPromise):
            switch method {
            case .channel(.closeOk):
                self.state = .closed(.channelClosedByClient(self.channelID))
                var promises: [Promise] = []
                if let openPromise { promises.append(openPromise) }
                return .closed(
                    closePromises: closePromises,
                    self.cleanUp(.channelClosedByClient(self.channelID), promises: promises)
                )
            case .channel(.close(let close)):
                // Both sides closed at once: answer, and keep waiting for the close-ok of our close.
                self.state = .closing(closePromises: closePromises, openPromise: nil)
                var promises: [Promise] = []
                if let openPromise { promises.append(openPromise) }
                return .sendCloseOk(
                    self.cleanUp(.channelClosed(by: close, channel: self.channelID), promises: promises)
                )
            case .connection, .channel, .access, .exchange, .queue, .basic, .tx, .confirm:
                // After sending channel.close, every other frame is discarded.
                return .none
            }

        case .closed:
            throw .channelError("a method on a closed channel", method: method)
        }
    }

    /// A content header frame arrived on this channel.
    ///
    /// - Parameter header: The content header.
    /// - Returns: What to do: a delivery, a return or a `basic.get` reply when the body is empty.
    /// - Throws: ``ProtocolViolation`` (505) when no content method came before it.
    mutating func headerReceived(_ header: AMQPContentHeader) throws(ProtocolViolation) -> Action {
        switch self.state {
        case .open:
            guard let (method, content) = try self.content.header(header) else { return .none }
            return self.contentComplete(method, content)
        case .closing:
            return .none
        case .opening:
            throw .unexpectedFrame("a content header before channel.open-ok")
        case .closed:
            throw .channelError("a content header on a closed channel")
        }
    }

    /// A content body frame arrived on this channel.
    ///
    /// - Parameter body: The frame's payload.
    /// - Returns: What to do: a delivery, a return or a `basic.get` reply when the body is complete.
    /// - Throws: ``ProtocolViolation`` (505) when no header came before it, or it goes past the body size.
    mutating func bodyReceived(_ body: ByteBuffer) throws(ProtocolViolation) -> Action {
        switch self.state {
        case .open:
            guard let (method, content) = try self.content.body(body) else { return .none }
            return self.contentComplete(method, content)
        case .closing:
            return .none
        case .opening:
            throw .unexpectedFrame("a content body frame before channel.open-ok")
        case .closed:
            throw .channelError("a content body frame on a closed channel")
        }
    }

    // MARK: - Private

    private static var closeMethod: AMQPMethod {
        .channel(.close(.init(replyCode: .success, replyText: "Normal shutdown", classID: 0, methodID: 0)))
    }

    private mutating func methodReceivedWhenOpen(_ method: AMQPMethod) throws(ProtocolViolation) -> Action {
        switch method {
        case .basic(.deliver(let deliver)):
            try self.content.start(.deliver(deliver))
            return .none
        case .basic(.return(let returned)):
            try self.content.start(.return(returned))
            return .none
        case .basic(.getOk(let getOk)):
            guard let request = self.requests.first, request.method.isAnswered(by: method) else {
                throw .commandInvalid("basic.get-ok without a basic.get", method: method)
            }
            try self.content.start(.getOk(getOk))
            return .none
        case .basic(.ack(let ack)):
            return .acked(deliveryTags: try self.resolveConfirms(ack.deliveryTag, ack.multiple, method))
        case .basic(.nack(let nack)):
            return .nacked(deliveryTags: try self.resolveConfirms(nack.deliveryTag, nack.multiple, method))
        case .basic(.cancel(let cancel)):
            return .consumerCancelled(consumerTag: cancel.consumerTag, sendCancelOk: !cancel.noWait)
        case .channel(.flow(let flow)):
            self.isFlowActive = flow.active
            return .flowChanged(active: flow.active)
        case .channel(.close(let close)):
            return self.closedByBroker(close, promises: [])
        case .connection, .channel, .access, .exchange, .queue, .basic, .tx, .confirm:
            guard let request = self.requests.first, request.method.isAnswered(by: method) else {
                throw .commandInvalid("a method that answers no request", method: method)
            }
            self.requests.removeFirst()
            return .succeedRequest(request.promise, .method(method), sendNext: self.dispatchNext())
        }
    }

    private mutating func contentComplete(_ method: ContentAssembler.Method, _ content: AMQPContent) -> Action {
        switch method {
        case .deliver(let deliver):
            return .deliver(deliver, content)
        case .return(let returned):
            return .returned(returned, content)
        case .getOk(let getOk):
            // The request was checked when basic.get-ok arrived.
            let request = self.requests.removeFirst()
            return .succeedRequest(request.promise, .getOk(getOk, content), sendNext: self.dispatchNext())
        }
    }

    private mutating func resolveConfirms(
        _ deliveryTag: UInt64,
        _ multiple: Bool,
        _ method: AMQPMethod
    ) throws(ProtocolViolation) -> [UInt64] {
        guard self.confirms != nil else {
            throw .commandInvalid("a publisher confirm outside confirm mode", method: method)
        }
        guard let tags = self.confirms?.resolve(deliveryTag: deliveryTag, multiple: multiple) else {
            throw .commandInvalid("a publisher confirm for a delivery tag never published", method: method)
        }
        return tags
    }

    /// The next queued request, now on the wire; `nil` when none is queued.
    private mutating func dispatchNext() -> AMQPMethod? {
        guard let next = self.requests.first else { return nil }
        self.willSend(next.method)
        return next.method
    }

    /// Bookkeeping of a method about to be written: `confirm.select` starts confirm mode (the broker numbers the
    /// publishes that follow it on the wire).
    private mutating func willSend(_ method: AMQPMethod) {
        if case .confirm(.select) = method, self.confirms == nil {
            self.confirms = ConfirmTracker()
        }
    }

    private mutating func closedByBroker(_ close: AMQPMethod.Channel.Close, promises: [Promise]) -> Action {
        let error = AMQPError.channelClosed(by: close, channel: self.channelID)
        self.state = .closed(error)
        return .sendCloseOk(self.cleanUp(error, promises: promises))
    }

    /// Fails the queued requests and unconfirmed publishes, after `promises`.
    private mutating func cleanUp(_ error: AMQPError, promises: [Promise]) -> CleanUp {
        var promises = promises
        promises.reserveCapacity(promises.count + self.requests.count)
        while let request = self.requests.popFirst() {
            promises.append(request.promise)
        }
        self.content.reset()
        return CleanUp(
            channel: self.channelID,
            error: error,
            promises: promises,
            unconfirmedDeliveryTags: self.confirms?.drain() ?? []
        )
    }
}

extension ChannelStateMachine.CleanUp: Equatable where Promise: Equatable {
    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.channel == rhs.channel && lhs.error.isSameFailure(as: rhs.error) && lhs.promises == rhs.promises
            && lhs.unconfirmedDeliveryTags == rhs.unconfirmedDeliveryTags
    }
}

extension ChannelStateMachine.Action: Equatable where Promise: Equatable {}
