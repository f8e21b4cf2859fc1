import Logging
import NIOCore

/// The NIO channel handler of one AMQP connection: decodes frames, feeds them and the client's ``HandlerTask``s to
/// the ``ConnectionStateMachine``, and runs the actions it returns (writes, timers, promises, consumer streams).
///
/// All of its state lives on the channel's event loop. Writes are appended to one ``AMQPFrameEncoder`` buffer and
/// flushed once per read burst or once per event loop tick (``scheduleFlush(_:)``), so that many publishes or acks
/// sent at once go out in one system call.
final class AMQPChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = HandlerTask
    typealias OutboundOut = ByteBuffer

    /// What the handler knows of an open channel beyond its state machine.
    private struct ChannelContext {
        /// The value handed to the client (deliveries carry it, to be acked).
        var handle: AMQPChannel
        /// Consumers by consumer tag, and whether they consume with `no-ack`.
        var consumers: [String: (queue: DeliveryQueue, noAck: Bool)] = [:]
        /// Merges in-order acks into multiple acks.
        var acks = AckCoalescer()
        /// Publisher confirms still due, by delivery tag.
        var confirms: [UInt64: PublishConfirmation] = [:]
        /// Where `basic.return`s go; `nil`: they are logged and dropped.
        var returns: AsyncStream<AMQPReturnedMessage>.Continuation?
    }

    private var machine: ConnectionStateMachine<EventLoopPromise<ChannelResponse>>
    private var decoder = AMQPFrameDecoder()
    private var encoder: AMQPFrameEncoder
    /// Received bytes not decoded yet (a partial frame).
    private var pending = ByteBuffer()
    private var channels: [UInt16: ChannelContext] = [:]
    private var flushScheduled = false
    /// Consumers that got deliveries in this read while their task waited: woken at the end of the read.
    private var consumersToWake: [DeliveryQueue] = []
    private var heartbeatTask: Scheduled<Void>?
    private var heartbeatInterval: TimeAmount?
    private var closeTimer: Scheduled<Void>?
    private let closeTimeout: TimeAmount
    private let connectPromise: EventLoopPromise<AMQPTable>
    private let closedPromise: EventLoopPromise<Void>
    /// Why the connection failed or closed, once it did.
    private var failure: AMQPError?
    private var connectionClosePromises: [EventLoopPromise<Void>] = []
    private let shared: ConnectionShared
    private let logger: Logger

    /// Creates the handler of a connection about to start.
    ///
    /// - Parameters:
    ///   - configuration: The handshake's parameters.
    ///   - closeTimeout: How long to wait for `connection.close-ok`.
    ///   - connectPromise: Succeeded with the server properties on `connection.open-ok`; failed otherwise.
    ///   - closedPromise: Completed when the connection ends: succeeded after a close by the client, failed with the
    ///     connection's ``AMQPError`` otherwise.
    ///   - shared: State the ``AMQPConnection`` reads from other threads (blocked flag).
    ///   - logger: The connection's logger.
    init(
        configuration: ConnectionConfiguration,
        closeTimeout: TimeAmount,
        connectPromise: EventLoopPromise<AMQPTable>,
        closedPromise: EventLoopPromise<Void>,
        shared: ConnectionShared,
        logger: Logger
    ) {
        self.machine = ConnectionStateMachine(configuration: configuration)
        self.encoder = AMQPFrameEncoder(buffer: ByteBuffer())
        self.closeTimeout = closeTimeout
        self.connectPromise = connectPromise
        self.closedPromise = closedPromise
        self.shared = shared
        self.logger = logger
    }

    // MARK: - Channel events

    func handlerAdded(context: ChannelHandlerContext) {
        self.encoder = AMQPFrameEncoder(buffer: context.channel.allocator.buffer(capacity: 4096))
        if context.channel.isActive {
            self.run(self.machine.start(), context: context)
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.run(self.machine.start(), context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.cancelTimers()
        self.run(self.machine.channelInactive(), context: context)
        // Whatever the machine says, nothing can wait any more.
        let failure = self.failure ?? .connectionLost(nil)
        self.finishEverything(with: failure)
        self.connectPromise.fail(failure)
        if failure.code == .connectionClosed && failure.replyCode == .success {
            self.closedPromise.succeed()
        } else {
            self.closedPromise.fail(failure)
        }
        for promise in self.connectionClosePromises {
            promise.succeed()
        }
        self.connectionClosePromises = []
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = self.unwrapInboundIn(data)
        if self.pending.readableBytes == 0 {
            self.pending = bytes
        } else {
            self.pending.writeBuffer(&bytes)
        }
        while true {
            let frame: AMQPFrame?
            do {
                frame = try self.decoder.decode(buffer: &self.pending)
            } catch {
                self.pending = ByteBuffer()
                self.run(self.machine.errorCaught(error), context: context)
                return
            }
            guard let frame else { break }
            self.run(self.machine.frameReceived(frame), context: context)
        }
        // Deliveries of large messages may take many reads: wake their consumers without waiting for the burst to end.
        if self.consumersToWake.count > 0 && self.pending.readableBytes == 0 {
            self.wakeConsumers()
        }
        if self.pending.readableBytes == 0 {
            // Drops the reference to the read buffer, which deliveries may still hold slices of.
            self.pending = ByteBuffer()
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.wakeConsumers()
        self.flushNow(context)
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        self.logger.debug("AMQP connection error", metadata: ["error": "\(String(reflecting: error))"])
        self.run(self.machine.errorCaught(error), context: context)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.shared.update(isSocketWritable: context.channel.isWritable)
        context.fireChannelWritabilityChanged()
    }

    // MARK: - Tasks from the client

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let task = self.unwrapOutboundIn(data)
        promise?.succeed()
        switch task {
        case .openChannel(let promise):
            let inner = context.eventLoop.makePromise(of: ChannelResponse.self)
            let action = self.machine.openChannel(promise: inner)
            if case .sendMethod(let number, _) = action {
                let handle = AMQPChannel(
                    number: number,
                    writer: TaskWriter(channel: context.channel, connection: self.shared),
                    frameMax: self.encoder.maximumFrameSize,
                    shared: AMQPChannel.Shared()
                )
                self.channels[number] = ChannelContext(handle: handle)
                inner.futureResult.map { _ in handle }.cascade(to: promise)
            } else {
                // The machine fails the promise: the connection is not open, or every number is in use.
                inner.futureResult.flatMapThrowing { _ -> AMQPChannel in throw AMQPError.connectionNotOpen }
                    .cascade(to: promise)
            }
            self.run(action, context: context)

        case .request(let method, let channel, let promise):
            if case .basic(.get(let get)) = method, get.noAck {
                // The broker settles that message's tag without telling: acks can no longer be merged safely.
                self.channels[channel]?.acks.disable()
            }
            self.run(self.machine.request(method, channel: channel, promise: promise), context: context)

        case .consume(let consume, let channel, let queue, let promise):
            let action = self.machine.request(.basic(.consume(consume)), channel: channel, promise: promise)
            switch action {
            case .sendMethod, .none:
                self.channels[channel]?.consumers[consume.consumerTag] = (queue, consume.noAck)
            case .succeedPromise, .failPromise:
                break
            }
            self.run(action, context: context)

        case .drainOutbox:
            self.drainOutbox(context)

        case .closeChannel(let channel, let promise):
            self.run(self.machine.closeChannel(channel, promise: promise), context: context)

        case .setReturnHandler(let channel, let continuation):
            if self.channels[channel] != nil {
                self.channels[channel]?.returns = continuation
            } else {
                continuation?.finish()
            }

        case .closeConnection(let promise):
            if context.channel.isActive {
                self.connectionClosePromises.append(promise)
                self.run(self.machine.close(), context: context)
            } else {
                promise.succeed()
            }
        }
    }

    func flush(context: ChannelHandlerContext) {
        if self.encoder.pendingBytes > 0 {
            self.scheduleFlush(context)
        }
    }

    private func wakeConsumers() {
        guard !self.consumersToWake.isEmpty else { return }
        let consumers = self.consumersToWake
        self.consumersToWake = []
        for consumer in consumers {
            consumer.wakeIfNeeded()
        }
    }

    // MARK: - The outbox

    /// Writes everything callers appended to the outbox since the last drain, in their order, in one flush.
    private func drainOutbox(_ context: ChannelHandlerContext) {
        let items = self.shared.takeItems()
        var pendingAcks: [UInt16] = []
        for item in items {
            switch item {
            case .publish(let channel, var bytes, let confirm):
                switch self.machine.publish(channel: channel) {
                case .write(let deliveryTag):
                    self.encoder.appendEncoded(&bytes)
                    if let deliveryTag {
                        self.channels[channel]?.confirms[deliveryTag] = confirm ?? PublishConfirmation()
                    } else {
                        confirm?.succeed()
                    }
                case .fail(let error):
                    let error = self.channels[channel]?.handle.shared.closeError ?? error
                    if let confirm {
                        confirm.fail(error)
                    } else {
                        self.logger.debug(
                            "a publish on a closed channel was dropped",
                            metadata: ["channel": "\(channel)"]
                        )
                    }
                }
            case .send(let channel, let method):
                switch self.machine.send(method, channel: channel) {
                case .write:
                    guard let methods = self.channels[channel]?.acks.process(method) else {
                        self.append(method, channel: channel, context: context)
                        break
                    }
                    for method in methods {
                        self.append(method, channel: channel, context: context)
                    }
                    if self.channels[channel]?.acks.pending != nil, !pendingAcks.contains(channel) {
                        pendingAcks.append(channel)
                    }
                case .fail:
                    // The broker requeued the unacknowledged messages of the closed channel.
                    self.logger.debug(
                        "an acknowledgement on a closed channel was dropped",
                        metadata: ["channel": "\(channel)", "method": "\(method.name)"]
                    )
                }
            }
        }
        for channel in pendingAcks {
            if let ack = self.channels[channel]?.acks.flush() {
                self.append(ack, channel: channel, context: context)
            }
        }
        self.machine.frameSent()
        self.shared.update()
        self.flushNow(context)
    }

    // MARK: - Actions

    private func run(
        _ action: ConnectionStateMachine<EventLoopPromise<ChannelResponse>>.Action,
        context: ChannelHandlerContext
    ) {
        switch action {
        case .none:
            break
        case .writeProtocolHeader:
            self.encoder.appendProtocolHeader()
            self.flushNow(context)
        case .sendStartOk(let startOk):
            self.append(.connection(.startOk(startOk)), channel: 0, context: context)
            self.flushNow(context)
        case .sendTuneOkAndOpen(let tuneOk, let open, let tuning):
            self.decoder.maximumFrameSize = tuning.frameMax
            self.shared.setFrameMax(tuning.frameMax)
            self.append(.connection(.tuneOk(tuneOk)), channel: 0, context: context)
            self.encoder.maximumFrameSize = tuning.frameMax
            self.append(.connection(.open(open)), channel: 0, context: context)
            self.flushNow(context)
            if let interval = tuning.heartbeatTimerInterval {
                self.heartbeatInterval = .nanoseconds(
                    interval.components.seconds * 1_000_000_000 + interval.components.attoseconds / 1_000_000_000
                )
                self.scheduleHeartbeat(context)
            }
        case .connected(let serverProperties):
            self.connectPromise.succeed(serverProperties)
        case .sendHeartbeat:
            do {
                try self.encoder.append(AMQPFrame(channel: 0, payload: .heartbeat))
            } catch {
                preconditionFailure("a heartbeat frame always encodes")
            }
            self.machine.frameSent()
            self.flushNow(context)
        case .blocked(let reason):
            self.logger.warning("the broker blocked publishing on this connection", metadata: ["reason": "\(reason)"])
            self.shared.update(isBlocked: true)
        case .unblocked:
            self.logger.notice("the broker unblocked publishing on this connection")
            self.shared.update(isBlocked: false)
        case .channel(let number, let channelAction):
            self.run(channelAction, channel: number, context: context)
        case .sendClose(let close, let cleanUp):
            if let cleanUp { self.cleanUp(cleanUp, context: context) }
            self.append(.connection(.close(close)), channel: 0, context: context)
            self.flushNow(context)
            self.closeTimer = context.eventLoop.assumeIsolated().scheduleTask(in: self.closeTimeout) {
                self.run(self.machine.closeTimeoutFired(), context: context)
            }
        case .sendCloseOkAndClose(let cleanUp):
            self.append(.connection(.closeOk), channel: 0, context: context)
            let bytes = self.encoder.flush()
            if let cleanUp { self.cleanUp(cleanUp, context: context) }
            context.writeAndFlush(self.wrapOutboundOut(bytes)).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        case .close(let cleanUp):
            if let cleanUp { self.cleanUp(cleanUp, context: context) }
            self.flushNow(context)
            context.close(promise: nil)
        case .cleanUp(let cleanUp):
            self.cleanUp(cleanUp, context: context)
        }
    }

    private func run(
        _ action: ChannelStateMachine<EventLoopPromise<ChannelResponse>>.Action,
        channel number: UInt16,
        context: ChannelHandlerContext
    ) {
        switch action {
        case .none:
            break
        case .succeedOpen(let promise, let next):
            promise.succeed(.method(.channel(.openOk(.init()))))
            if let next { self.append(next, channel: number, context: context) }
        case .succeedRequest(let promise, let response, let next):
            if case .method(.basic(.cancelOk(let cancelOk))) = response {
                self.channels[number]?.consumers.removeValue(forKey: cancelOk.consumerTag)?.queue.finish(throwing: nil)
            }
            promise.succeed(response)
            if let next { self.append(next, channel: number, context: context) }
        case .deliver(let deliver, let content):
            guard let channel = self.channels[number], let (consumer, noAck) = channel.consumers[deliver.consumerTag]
            else {
                self.logger.warning(
                    "a delivery for a consumer that is not registered; it stays unacknowledged",
                    metadata: ["channel": "\(number)", "consumer_tag": "\(deliver.consumerTag)"]
                )
                return
            }
            if noAck {
                self.channels[number]?.acks.settledByBroker(deliver.deliveryTag)
            }
            if consumer.append(AMQPDelivery(deliver: deliver, content: content, channel: channel.handle)) {
                self.consumersToWake.append(consumer)
            }
        case .returned(let returned, let content):
            let message = AMQPReturnedMessage(returned: returned, content: content)
            if let returns = self.channels[number]?.returns {
                returns.yield(message)
            } else {
                self.logger.warning(
                    "the broker returned a mandatory message that no queue took",
                    metadata: [
                        "channel": "\(number)", "reply_code": "\(returned.replyCode)",
                        "exchange": "\(returned.exchange)", "routing_key": "\(returned.routingKey)",
                    ]
                )
            }
        case .acked(let tags):
            for tag in tags {
                self.channels[number]?.confirms.removeValue(forKey: tag)?.succeed()
            }
        case .nacked(let tags):
            for tag in tags {
                var error = AMQPError(code: .publishNacked, message: "the broker did not accept the message")
                error.channel = number
                self.channels[number]?.confirms.removeValue(forKey: tag)?.fail(error)
            }
        case .consumerCancelled(let consumerTag, let sendCancelOk):
            var error = AMQPError(code: .consumerCancelled, message: "the broker cancelled the consumer")
            error.channel = number
            self.channels[number]?.consumers.removeValue(forKey: consumerTag)?.queue.finish(throwing: error)
            if sendCancelOk {
                self.append(.basic(.cancelOk(.init(consumerTag: consumerTag))), channel: number, context: context)
            }
        case .flowChanged(let active):
            // RabbitMQ never sends channel.flow (it blocks the connection instead); it is answered, and publishes
            // go on.
            self.logger.notice(
                "channel.flow from the broker",
                metadata: ["channel": "\(number)", "active": "\(active)"]
            )
            self.append(.channel(.flowOk(.init(active: active))), channel: number, context: context)
        case .sendCloseOk(let cleanUp):
            self.append(.channel(.closeOk), channel: number, context: context)
            self.cleanUp(cleanUp, context: context)
        case .closed(let closePromises, let cleanUp):
            self.cleanUp(cleanUp, context: context)
            for promise in closePromises {
                promise.succeed(.method(.channel(.closeOk)))
            }
        }
    }

    private func run(_ action: ChannelRequestAction<EventLoopPromise<ChannelResponse>>, context: ChannelHandlerContext)
    {
        switch action {
        case .sendMethod(let channel, let method):
            self.append(method, channel: channel, context: context)
        case .none:
            break
        case .succeedPromise(let promise, let response):
            promise.succeed(response)
        case .failPromise(let promise, let error):
            promise.fail(error)
        }
    }

    // MARK: - Failures

    /// Fails what the connection's failure left pending.
    private func cleanUp(
        _ cleanUp: ConnectionStateMachine<EventLoopPromise<ChannelResponse>>.CleanUp,
        context: ChannelHandlerContext
    ) {
        self.cancelTimers()
        if self.failure == nil { self.failure = cleanUp.error }
        self.connectPromise.fail(cleanUp.error)
        for channel in cleanUp.channels {
            self.cleanUp(channel, context: context)
        }
        self.finishEverything(with: cleanUp.error)
    }

    /// Fails what a channel's close left pending and forgets the channel.
    private func cleanUp(
        _ cleanUp: ChannelStateMachine<EventLoopPromise<ChannelResponse>>.CleanUp,
        context: ChannelHandlerContext
    ) {
        for promise in cleanUp.promises {
            promise.fail(cleanUp.error)
        }
        guard let channel = self.channels.removeValue(forKey: cleanUp.channel) else { return }
        Self.finish(channel, with: cleanUp.error)
    }

    /// Ends every channel's consumers, confirms and returns, and the outbox: the connection is gone.
    private func finishEverything(with error: AMQPError) {
        for item in self.shared.fail(error) {
            if case .publish(_, _, let confirm?) = item {
                confirm.fail(error)
            }
        }
        let channels = self.channels
        self.channels = [:]
        for channel in channels.values {
            Self.finish(channel, with: error)
        }
    }

    private static func finish(_ channel: ChannelContext, with error: AMQPError) {
        channel.handle.shared.setCloseError(error)
        let closedByClient = error.replyCode == .success
        for consumer in channel.consumers.values {
            consumer.queue.finish(throwing: closedByClient ? nil : error)
        }
        for confirm in channel.confirms.values {
            confirm.fail(error)
        }
        channel.returns?.finish()
    }

    // MARK: - Writing

    private func append(_ method: AMQPMethod, channel: UInt16, context: ChannelHandlerContext) {
        do {
            try self.encoder.append(method, channel: channel)
        } catch {
            // The methods written here are checked by their callers; an encoding error is a client bug.
            self.logger.error(
                "cannot encode a method",
                metadata: ["method": "\(method.name)", "error": "\(String(reflecting: error))"]
            )
            return
        }
        self.machine.frameSent()
        self.scheduleFlush(context)
    }

    /// Flushes at the end of the current event loop tick: writes from many tasks go out together.
    private func scheduleFlush(_ context: ChannelHandlerContext) {
        guard !self.flushScheduled else { return }
        self.flushScheduled = true
        context.eventLoop.assumeIsolated().execute {
            self.flushNow(context)
        }
    }

    private func flushNow(_ context: ChannelHandlerContext) {
        self.flushScheduled = false
        guard self.encoder.pendingBytes > 0 else { return }
        context.writeAndFlush(self.wrapOutboundOut(self.encoder.flush()), promise: nil)
    }

    // MARK: - Timers

    private func scheduleHeartbeat(_ context: ChannelHandlerContext) {
        guard let interval = self.heartbeatInterval else { return }
        self.heartbeatTask = context.eventLoop.assumeIsolated().scheduleTask(in: interval) {
            self.run(self.machine.heartbeatTimerFired(), context: context)
            if self.heartbeatTask != nil {
                self.scheduleHeartbeat(context)
            }
        }
    }

    private func cancelTimers() {
        self.heartbeatTask?.cancel()
        self.heartbeatTask = nil
        self.heartbeatInterval = nil
        self.closeTimer?.cancel()
        self.closeTimer = nil
    }
}
