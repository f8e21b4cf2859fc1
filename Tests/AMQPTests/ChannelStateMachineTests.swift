import NIOCore
import Testing

@testable import AMQP

@Suite("ChannelStateMachine")
struct ChannelStateMachineTests {
    static let deliver = AMQPMethod.Basic.Deliver(
        consumerTag: "ctag-1",
        deliveryTag: 1,
        exchange: "billing",
        routingKey: "notifications.info"
    )
    static let properties = AMQPProperties(contentType: "application/json", deliveryMode: 2, messageID: "m-1")

    // MARK: - Channel errors

    @Test func channelError406LeavesTheConnectionAndOtherChannelsUsable() {
        var machine = Handshake.openWithChannel()
        #expect(machine.openChannel(promise: 2) == .sendMethod(channel: 2, .channel(.open(.init()))))
        #expect(
            machine.frameReceived(.method(.channel(.openOk(.init())), channel: 2))
                == .channel(2, .succeedOpen(2, sendNext: nil))
        )
        let declare = AMQPMethod.exchange(.declare(.init(exchange: "billing", type: "direct")))
        #expect(machine.request(declare, channel: 1, promise: 3) == .sendMethod(channel: 1, declare))
        #expect(machine.request(.basic(.qos(.init())), channel: 1, promise: 4) == .none)

        let close = AMQPMethod.Channel.Close(
            replyCode: .preconditionFailed,
            replyText: "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'billing'",
            classID: 40,
            methodID: 10
        )
        var error = AMQPError(code: .channelClosed, message: "")
        error.channel = 1
        error.replyCode = .preconditionFailed
        error.replyText = close.replyText
        error.classID = 40
        error.methodID = 10
        #expect(
            machine.frameReceived(.method(.channel(.close(close)), channel: 1))
                == .channel(
                    1,
                    .sendCloseOk(.init(channel: 1, error: error, promises: [3, 4], unconfirmedDeliveryTags: []))
                )
        )
        #expect(machine.channelCount == 1)

        // Channel 1 is gone; channel 2 and the connection work.
        #expect(
            machine.request(.basic(.qos(.init())), channel: 1, promise: 5)
                == .failPromise(5, .channelClosedByClient(1))
        )
        let queueDeclare = AMQPMethod.queue(.declare(.init(queue: "q")))
        #expect(machine.request(queueDeclare, channel: 2, promise: 6) == .sendMethod(channel: 2, queueDeclare))
        let declareOk = AMQPMethod.queue(.declareOk(.init(queue: "q", messageCount: 0, consumerCount: 0)))
        #expect(
            machine.frameReceived(.method(declareOk, channel: 2))
                == .channel(2, .succeedRequest(6, .method(declareOk), sendNext: nil))
        )
        #expect(machine.openChannel(promise: 7) == .sendMethod(channel: 3, .channel(.open(.init()))))
        // A frame the broker sent on channel 1 before its close is a channel error now.
        guard case .sendClose(let connectionClose, _) = machine.frameReceived(.method(.basic(.qosOk), channel: 1))
        else {
            Issue.record("expected sendClose")
            return
        }
        #expect(connectionClose.replyCode == .channelError)
    }

    @Test func brokerCloseBeforeOpenOkFailsTheOpen() throws {
        var channel = TestChannel(channelID: 4, openPromise: 1)
        #expect(channel.request(.basic(.qos(.init())), promise: 2) == .none)
        let close = AMQPMethod.Channel.Close(replyCode: .notAllowed, replyText: "no", classID: 20, methodID: 10)
        #expect(
            try channel.methodReceived(.channel(.close(close)))
                == .sendCloseOk(
                    .init(
                        channel: 4,
                        error: .channelClosed(by: close, channel: 4),
                        promises: [1, 2],
                        unconfirmedDeliveryTags: []
                    )
                )
        )
        #expect(channel.isClosed)
        #expect(channel.publish() == .fail(.channelClosed(by: close, channel: 4)))
    }

    // MARK: - Synchronous requests

    @Test func requestsAreQueuedOneOnTheWireAtATime() throws {
        var channel = TestChannel(channelID: 1, openPromise: 1)
        let qos = AMQPMethod.basic(.qos(.init(prefetchCount: 100)))
        let declare = AMQPMethod.queue(.declare(.init(queue: "q", durable: true)))
        let bind = AMQPMethod.queue(.bind(.init(queue: "q", exchange: "x", routingKey: "k")))
        // Before open-ok everything waits.
        #expect(channel.request(qos, promise: 2) == .none)
        #expect(channel.request(declare, promise: 3) == .none)
        #expect(channel.send(.basic(.ack(.init(deliveryTag: 1)))) == .fail(.channelClosedByClient(1)))
        #expect(try channel.methodReceived(.channel(.openOk(.init()))) == .succeedOpen(1, sendNext: qos))
        #expect(channel.request(bind, promise: 4) == .none)
        #expect(
            try channel.methodReceived(.basic(.qosOk)) == .succeedRequest(2, .method(.basic(.qosOk)), sendNext: declare)
        )
        let declareOk = AMQPMethod.queue(.declareOk(.init(queue: "q", messageCount: 3, consumerCount: 0)))
        #expect(try channel.methodReceived(declareOk) == .succeedRequest(3, .method(declareOk), sendNext: bind))
        #expect(
            try channel.methodReceived(.queue(.bindOk)) == .succeedRequest(4, .method(.queue(.bindOk)), sendNext: nil)
        )
        // Idle again: the next request goes out at once.
        #expect(channel.request(qos, promise: 5) == .sendMethod(channel: 1, qos))
    }

    @Test func aReplyWithoutItsRequestIsCommandInvalid() throws {
        var channel = TestChannel(channelID: 1, openPromise: 1)
        _ = try channel.methodReceived(.channel(.openOk(.init())))
        _ = channel.request(.basic(.qos(.init())), promise: 2)
        #expect(throws: ProtocolViolation.commandInvalid("", method: .queue(.bindOk))) {
            try channel.methodReceived(.queue(.bindOk))
        }
        #expect(throws: ProtocolViolation.commandInvalid("", method: .basic(.ack(.init(deliveryTag: 1))))) {
            try channel.methodReceived(.basic(.ack(.init(deliveryTag: 1))))
        }
    }

    @Test func basicGetIsAnsweredWithItsMessageOrGetEmpty() throws {
        var channel = TestChannel(channelID: 1, openPromise: 1)
        _ = try channel.methodReceived(.channel(.openOk(.init())))
        let get = AMQPMethod.basic(.get(.init(queue: "q")))
        #expect(channel.request(get, promise: 2) == .sendMethod(channel: 1, get))
        #expect(channel.request(get, promise: 3) == .none)
        let getOk = AMQPMethod.Basic.GetOk(deliveryTag: 1, exchange: "", routingKey: "q", messageCount: 0)
        #expect(try channel.methodReceived(.basic(.getOk(getOk))) == .none)
        #expect(try channel.headerReceived(.init(bodySize: 5, properties: Self.properties)) == .none)
        #expect(
            try channel.bodyReceived(ByteBuffer(string: "hello"))
                == .succeedRequest(
                    2,
                    .getOk(getOk, AMQPContent(properties: Self.properties, body: ByteBuffer(string: "hello"))),
                    sendNext: get
                )
        )
        let empty = AMQPMethod.basic(.getEmpty(.init()))
        #expect(try channel.methodReceived(empty) == .succeedRequest(3, .method(empty), sendNext: nil))
        #expect(throws: ProtocolViolation.commandInvalid("", method: .basic(.getOk(getOk)))) {
            try channel.methodReceived(.basic(.getOk(getOk)))
        }
    }

    // MARK: - Content

    @Test func contentIsAssembledAcrossBodyFrames() {
        var machine = Handshake.openWithChannel()
        #expect(machine.frameReceived(.method(.basic(.deliver(Self.deliver)), channel: 1)) == .channel(1, .none))
        #expect(
            machine.frameReceived(.header(bodySize: 11, properties: Self.properties, channel: 1)) == .channel(1, .none)
        )
        #expect(machine.frameReceived(.body("hello", channel: 1)) == .channel(1, .none))
        #expect(machine.frameReceived(.body(" ", channel: 1)) == .channel(1, .none))
        #expect(machine.frameReceived(.body("", channel: 1)) == .channel(1, .none))
        #expect(
            machine.frameReceived(.body("world", channel: 1))
                == .channel(
                    1,
                    .deliver(
                        Self.deliver,
                        AMQPContent(properties: Self.properties, body: ByteBuffer(string: "hello world"))
                    )
                )
        )
        // The next message in one frame.
        var next = Self.deliver
        next.deliveryTag = 2
        _ = machine.frameReceived(.method(.basic(.deliver(next)), channel: 1))
        _ = machine.frameReceived(.header(bodySize: 2, channel: 1))
        #expect(
            machine.frameReceived(.body("ok", channel: 1))
                == .channel(
                    1,
                    .deliver(next, AMQPContent(properties: AMQPProperties(), body: ByteBuffer(string: "ok")))
                )
        )
    }

    @Test func zeroLengthBodyIsCompleteAtTheHeader() {
        var machine = Handshake.openWithChannel()
        _ = machine.frameReceived(.method(.basic(.deliver(Self.deliver)), channel: 1))
        #expect(
            machine.frameReceived(.header(bodySize: 0, properties: Self.properties, channel: 1))
                == .channel(1, .deliver(Self.deliver, AMQPContent(properties: Self.properties, body: ByteBuffer())))
        )
        // No body frame is due: a method may come.
        let returned = AMQPMethod.Basic.Return(
            replyCode: .noRoute,
            replyText: "NO_ROUTE",
            exchange: "billing",
            routingKey: "nowhere"
        )
        #expect(machine.frameReceived(.method(.basic(.return(returned)), channel: 1)) == .channel(1, .none))
        #expect(
            machine.frameReceived(.header(bodySize: 0, channel: 1))
                == .channel(1, .returned(returned, AMQPContent(properties: AMQPProperties(), body: ByteBuffer())))
        )
    }

    struct OutOfPlaceCase: Sendable, CustomTestStringConvertible {
        var name: String
        var frames: [AMQPFrame]
        var testDescription: String { self.name }
    }

    static let outOfPlaceCases: [OutOfPlaceCase] = [
        .init(name: "a header without a method", frames: [.header(bodySize: 1, channel: 1)]),
        .init(name: "a body without a header", frames: [.body("x", channel: 1)]),
        .init(
            name: "a body right after the method",
            frames: [.method(.basic(.deliver(deliver)), channel: 1), .body("x", channel: 1)]
        ),
        .init(
            name: "a method instead of the header",
            frames: [.method(.basic(.deliver(deliver)), channel: 1), .method(.basic(.deliver(deliver)), channel: 1)]
        ),
        .init(
            name: "a method in the middle of the body",
            frames: [
                .method(.basic(.deliver(deliver)), channel: 1), .header(bodySize: 4, channel: 1),
                .body("ab", channel: 1),
                .method(.channel(.flow(.init(active: false))), channel: 1),
            ]
        ),
        .init(
            name: "a second header",
            frames: [
                .method(.basic(.deliver(deliver)), channel: 1), .header(bodySize: 4, channel: 1),
                .header(bodySize: 4, channel: 1),
            ]
        ),
        .init(
            name: "a body past the body size",
            frames: [
                .method(.basic(.deliver(deliver)), channel: 1), .header(bodySize: 4, channel: 1),
                .body("abc", channel: 1), .body("de", channel: 1),
            ]
        ),
    ]

    @Test(arguments: outOfPlaceCases)
    func contentFrameOutOfPlaceIsUnexpectedFrame(_ outOfPlace: OutOfPlaceCase) {
        var machine = Handshake.openWithChannel()
        _ = machine.request(.basic(.qos(.init())), channel: 1, promise: 2)
        var action = TestConnection.Action.none
        for frame in outOfPlace.frames {
            action = machine.frameReceived(frame)
        }
        guard case .sendClose(let close, let cleanUp) = action else {
            Issue.record("expected sendClose, got \(action)")
            return
        }
        #expect(close.replyCode == .unexpectedFrame)
        #expect(cleanUp?.error.code == .unexpectedFrame)
        #expect(cleanUp?.channels.map(\.promises) == [[2]])
        #expect(machine.channelCount == 0)
    }

    // MARK: - Publisher confirms

    @Test func confirmsWithMultipleAndOutOfOrderAcksAndNacks() throws {
        var channel = TestChannel(channelID: 1, openPromise: 1)
        _ = try channel.methodReceived(.channel(.openOk(.init())))
        #expect(channel.publish() == .write(deliveryTag: nil))
        let select = AMQPMethod.confirm(.select(.init()))
        #expect(channel.request(select, promise: 2) == .sendMethod(channel: 1, select))
        #expect(channel.isConfirmMode)
        #expect(
            try channel.methodReceived(.confirm(.selectOk))
                == .succeedRequest(2, .method(.confirm(.selectOk)), sendNext: nil)
        )
        for tag in 1...5 {
            #expect(channel.publish() == .write(deliveryTag: UInt64(tag)))
        }
        // Single acks out of order.
        #expect(try channel.methodReceived(.basic(.ack(.init(deliveryTag: 2)))) == .acked(deliveryTags: [2]))
        #expect(try channel.methodReceived(.basic(.ack(.init(deliveryTag: 1)))) == .acked(deliveryTags: [1]))
        // Multiple: 3 and 4 (1 and 2 are done).
        #expect(
            try channel.methodReceived(.basic(.ack(.init(deliveryTag: 4, multiple: true))))
                == .acked(deliveryTags: [3, 4])
        )
        #expect(try channel.methodReceived(.basic(.nack(.init(deliveryTag: 5)))) == .nacked(deliveryTags: [5]))
        for tag in 6...9 {
            #expect(channel.publish() == .write(deliveryTag: UInt64(tag)))
        }
        #expect(try channel.methodReceived(.basic(.ack(.init(deliveryTag: 7)))) == .acked(deliveryTags: [7]))
        #expect(
            try channel.methodReceived(.basic(.nack(.init(deliveryTag: 8, multiple: true))))
                == .nacked(deliveryTags: [6, 8])
        )
        // A duplicate confirm resolves nothing; a tag never published is a protocol error.
        #expect(try channel.methodReceived(.basic(.ack(.init(deliveryTag: 3)))) == .acked(deliveryTags: []))
        #expect(throws: ProtocolViolation.commandInvalid("", method: .basic(.ack(.init(deliveryTag: 99))))) {
            try channel.methodReceived(.basic(.ack(.init(deliveryTag: 99))))
        }
    }

    @Test func unconfirmedPublishesFailWhenTheChannelCloses() throws {
        var channel = TestChannel(channelID: 3, openPromise: 1)
        _ = try channel.methodReceived(.channel(.openOk(.init())))
        #expect(channel.send(.confirm(.select(.init(noWait: true)))) == .write)
        for _ in 1...4 {
            _ = channel.publish()
        }
        _ = try channel.methodReceived(.basic(.ack(.init(deliveryTag: 2))))
        let close = AMQPMethod.Channel.Close(replyCode: .notFound, replyText: "NOT_FOUND", classID: 60, methodID: 40)
        #expect(
            try channel.methodReceived(.channel(.close(close)))
                == .sendCloseOk(
                    .init(
                        channel: 3,
                        error: .channelClosed(by: close, channel: 3),
                        promises: [],
                        unconfirmedDeliveryTags: [1, 3, 4]
                    )
                )
        )
    }

    @Test func confirmSelectQueuedBehindARequestCountsOnlyLaterPublishes() throws {
        var channel = TestChannel(channelID: 1, openPromise: 1)
        _ = try channel.methodReceived(.channel(.openOk(.init())))
        let qos = AMQPMethod.basic(.qos(.init()))
        let select = AMQPMethod.confirm(.select(.init()))
        _ = channel.request(qos, promise: 2)
        #expect(channel.request(select, promise: 3) == .none)
        // confirm.select is not on the wire yet: the broker will not number this publish.
        #expect(channel.publish() == .write(deliveryTag: nil))
        #expect(
            try channel.methodReceived(.basic(.qosOk)) == .succeedRequest(2, .method(.basic(.qosOk)), sendNext: select)
        )
        #expect(channel.publish() == .write(deliveryTag: 1))
    }

    @Test func confirmAcksOutsideConfirmModeAreCommandInvalid() throws {
        var machine = Handshake.openWithChannel()
        guard
            case .sendClose(let close, _) = machine.frameReceived(
                .method(.basic(.ack(.init(deliveryTag: 1))), channel: 1)
            )
        else {
            Issue.record("expected sendClose")
            return
        }
        #expect(close.replyCode == .commandInvalid)
        #expect(close.classID == 60 && close.methodID == 80)
    }

    // MARK: - Broker notifications

    @Test func brokerCancelsAConsumer() throws {
        var channel = TestChannel(channelID: 1, openPromise: 1)
        _ = try channel.methodReceived(.channel(.openOk(.init())))
        #expect(
            try channel.methodReceived(.basic(.cancel(.init(consumerTag: "ctag-1", noWait: true))))
                == .consumerCancelled(consumerTag: "ctag-1", sendCancelOk: false)
        )
        #expect(
            try channel.methodReceived(.basic(.cancel(.init(consumerTag: "ctag-2"))))
                == .consumerCancelled(consumerTag: "ctag-2", sendCancelOk: true)
        )
        // A client cancel in flight is answered as a request; the broker's cancel does not disturb it.
        let cancel = AMQPMethod.basic(.cancel(.init(consumerTag: "ctag-3")))
        #expect(channel.request(cancel, promise: 2) == .sendMethod(channel: 1, cancel))
        #expect(
            try channel.methodReceived(.basic(.cancel(.init(consumerTag: "ctag-4", noWait: true))))
                == .consumerCancelled(consumerTag: "ctag-4", sendCancelOk: false)
        )
        let cancelOk = AMQPMethod.basic(.cancelOk(.init(consumerTag: "ctag-3")))
        #expect(try channel.methodReceived(cancelOk) == .succeedRequest(2, .method(cancelOk), sendNext: nil))
    }

    @Test func flowFromTheBroker() throws {
        var channel = TestChannel(channelID: 1, openPromise: 1)
        _ = try channel.methodReceived(.channel(.openOk(.init())))
        #expect(try channel.methodReceived(.channel(.flow(.init(active: false)))) == .flowChanged(active: false))
        #expect(!channel.isFlowActive)
        #expect(try channel.methodReceived(.channel(.flow(.init(active: true)))) == .flowChanged(active: true))
        #expect(channel.isFlowActive)
    }

    // MARK: - Client close

    @Test func clientCloseHandshake() throws {
        var machine = Handshake.openWithChannel()
        _ = machine.request(.basic(.qos(.init())), channel: 1, promise: 2)
        _ = machine.request(.queue(.purge(.init(queue: "q"))), channel: 1, promise: 3)
        let close = AMQPMethod.channel(
            .close(.init(replyCode: .success, replyText: "Normal shutdown", classID: 0, methodID: 0))
        )
        #expect(machine.closeChannel(1, promise: 4) == .sendMethod(channel: 1, close))
        #expect(machine.closeChannel(1, promise: 5) == .none)
        #expect(
            machine.request(.basic(.qos(.init())), channel: 1, promise: 6) == .failPromise(6, .channelClosedByClient(1))
        )
        #expect(machine.publish(channel: 1) == .fail(.channelClosedByClient(1)))
        // Until close-ok, frames on the channel are discarded, content included.
        #expect(machine.frameReceived(.method(.basic(.qosOk), channel: 1)) == .channel(1, .none))
        #expect(machine.frameReceived(.method(.basic(.deliver(Self.deliver)), channel: 1)) == .channel(1, .none))
        #expect(machine.frameReceived(.header(bodySize: 3, channel: 1)) == .channel(1, .none))
        #expect(machine.frameReceived(.body("abc", channel: 1)) == .channel(1, .none))
        #expect(
            machine.frameReceived(.method(.channel(.closeOk), channel: 1))
                == .channel(
                    1,
                    .closed(
                        closePromises: [4, 5],
                        .init(
                            channel: 1,
                            error: .channelClosedByClient(1),
                            promises: [2, 3],
                            unconfirmedDeliveryTags: []
                        )
                    )
                )
        )
        #expect(machine.channelCount == 0)
        #expect(machine.closeChannel(1, promise: 7) == .succeedPromise(7, .method(.channel(.closeOk))))
    }

    @Test func channelClosesCrossing() throws {
        var channel = TestChannel(channelID: 2, openPromise: 1)
        _ = try channel.methodReceived(.channel(.openOk(.init())))
        _ = channel.request(.basic(.qos(.init())), promise: 2)
        _ = channel.close(promise: 3)
        let close = AMQPMethod.Channel.Close(replyCode: .resourceLocked, replyText: "locked", classID: 50, methodID: 10)
        #expect(
            try channel.methodReceived(.channel(.close(close)))
                == .sendCloseOk(
                    .init(
                        channel: 2,
                        error: .channelClosed(by: close, channel: 2),
                        promises: [2],
                        unconfirmedDeliveryTags: []
                    )
                )
        )
        #expect(!channel.isClosed)
        #expect(
            try channel.methodReceived(.channel(.closeOk))
                == .closed(
                    closePromises: [3],
                    .init(channel: 2, error: .channelClosedByClient(2), promises: [], unconfirmedDeliveryTags: [])
                )
        )
        #expect(channel.isClosed)
    }

    @Test func closeBeforeOpenOkFailsTheOpenAtCloseOk() throws {
        var channel = TestChannel(channelID: 1, openPromise: 1)
        #expect(channel.close(promise: 2) != .none)
        #expect(try channel.methodReceived(.channel(.openOk(.init()))) == .none)
        #expect(
            try channel.methodReceived(.channel(.closeOk))
                == .closed(
                    closePromises: [2],
                    .init(channel: 1, error: .channelClosedByClient(1), promises: [1], unconfirmedDeliveryTags: [])
                )
        )
    }

    // MARK: - Reply table

    @Test func everyRequestIsAnsweredByItsOkMethodsOnly() {
        for request in MethodSamples.defaults {
            let expectsReply = request.isSynchronous && request.classID != AMQPMethod.Connection.classID
            #expect(request.expectsReply == expectsReply, "\(request.name)")
            let replyNames: Set<String> =
                !expectsReply
                ? [] : request.name == "basic.get" ? ["basic.get-ok", "basic.get-empty"] : [request.name + "-ok"]
            for reply in MethodSamples.defaults {
                #expect(
                    request.isAnswered(by: reply) == replyNames.contains(reply.name),
                    "\(request.name) answered by \(reply.name)"
                )
            }
        }
        #expect(!AMQPMethod.queue(.declare(.init(queue: "q", noWait: true))).expectsReply)
        #expect(!AMQPMethod.basic(.consume(.init(noWait: true))).expectsReply)
        #expect(!AMQPMethod.confirm(.select(.init(noWait: true))).expectsReply)
    }
}
