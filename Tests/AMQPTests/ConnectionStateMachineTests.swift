import NIOCore
import Testing

@testable import AMQP

@Suite("ConnectionStateMachine")
struct ConnectionStateMachineTests {
    struct SomeIOError: Error {}

    // MARK: - Handshake

    @Test func happyHandshake() {
        var machine = TestConnection(configuration: Handshake.configuration)
        #expect(machine.start() == .writeProtocolHeader)

        let expectedStartOk = AMQPMethod.Connection.StartOk(
            clientProperties: [
                "product": .string("Bilean AMQP"),
                "version": .string("1.0.0"),
                "platform": .string("Swift"),
                "capabilities": .table([
                    "publisher_confirms": .bool(true),
                    "consumer_cancel_notify": .bool(true),
                    "connection.blocked": .bool(true),
                    "basic.nack": .bool(true),
                    "exchange_exchange_bindings": .bool(true),
                    "authentication_failure_close": .bool(true),
                    "per_consumer_qos": .bool(true),
                ]),
                "connection_name": .string("bilean-engine"),
            ],
            mechanism: "PLAIN",
            response: ByteBuffer(bytes: [0] + Array("bilean".utf8) + [0] + Array("s3cret".utf8)),
            locale: "en_US"
        )
        #expect(machine.frameReceived(.method(.connection(.start(Handshake.start)))) == .sendStartOk(expectedStartOk))

        let tune = AMQPMethod.Connection.Tune(channelMax: 2047, frameMax: 131_072, heartbeat: 60)
        let tuning = Tuning(channelMax: 2047, frameMax: 131_072, heartbeat: 30)
        #expect(
            machine.frameReceived(.method(.connection(.tune(tune))))
                == .sendTuneOkAndOpen(
                    .init(channelMax: 2047, frameMax: 131_072, heartbeat: 30),
                    .init(virtualHost: "/billing"),
                    tuning
                )
        )
        #expect(tuning.heartbeatTimerInterval == .seconds(15))
        #expect(
            machine.frameReceived(.method(.connection(.openOk(.init()))))
                == .connected(serverProperties: Handshake.serverProperties)
        )
        #expect(machine.openChannel(promise: 7) == .sendMethod(channel: 1, .channel(.open(.init()))))
    }

    @Test func operationsBeforeTheHandshakeEndsFail() {
        var machine = TestConnection(configuration: Handshake.configuration)
        _ = machine.start()
        #expect(machine.openChannel(promise: 1) == .failPromise(1, .connectionNotOpen))
        #expect(machine.publish(channel: 1) == .fail(.connectionNotOpen))
    }

    struct NegotiationCase: Sendable, CustomTestStringConvertible {
        var client: (channelMax: UInt16, frameMax: UInt32, heartbeat: UInt16)
        var server: (channelMax: UInt16, frameMax: UInt32, heartbeat: UInt16)
        var expected: (channelMax: UInt16, frameMax: UInt32, heartbeat: UInt16)
        var testDescription: String { "client \(self.client), server \(self.server)" }
    }

    static let negotiationCases: [NegotiationCase] = [
        // Client 0 takes the broker's, whatever it is.
        .init(client: (0, 0, 0), server: (2047, 131_072, 60), expected: (2047, 131_072, 60)),
        .init(client: (0, 0, 0), server: (0, 0, 0), expected: (0, 0, 0)),
        // Broker 0 (no limit / no heartbeat) takes the client's.
        .init(client: (100, 65_536, 10), server: (0, 0, 0), expected: (100, 65_536, 10)),
        // Both non-zero: the lower wins, either way round.
        .init(client: (100, 65_536, 10), server: (2047, 131_072, 60), expected: (100, 65_536, 10)),
        .init(client: (4000, 1_048_576, 600), server: (2047, 131_072, 60), expected: (2047, 131_072, 60)),
        .init(client: (2047, 131_072, 60), server: (2047, 131_072, 60), expected: (2047, 131_072, 60)),
        // frame_max is at least 4096 (FRAME-MIN-SIZE), whoever asked for less.
        .init(client: (0, 1024, 0), server: (0, 131_072, 0), expected: (0, 4096, 0)),
        .init(client: (0, 1024, 0), server: (0, 0, 0), expected: (0, 4096, 0)),
        .init(client: (0, 0, 0), server: (0, 2048, 0), expected: (0, 4096, 0)),
        // Mixed zeros per value.
        .init(client: (0, 8192, 0), server: (10, 0, 5), expected: (10, 8192, 5)),
    ]

    @Test(arguments: negotiationCases)
    func negotiation(_ negotiation: NegotiationCase) {
        var configuration = Handshake.configuration
        configuration.channelMax = negotiation.client.channelMax
        configuration.frameMax = negotiation.client.frameMax
        configuration.heartbeat = negotiation.client.heartbeat
        var machine = TestConnection(configuration: configuration)
        _ = machine.start()
        _ = machine.frameReceived(.method(.connection(.start(Handshake.start))))
        let tune = AMQPMethod.Connection.Tune(
            channelMax: negotiation.server.channelMax,
            frameMax: negotiation.server.frameMax,
            heartbeat: negotiation.server.heartbeat
        )
        let expected = Tuning(
            channelMax: negotiation.expected.channelMax,
            frameMax: negotiation.expected.frameMax,
            heartbeat: negotiation.expected.heartbeat
        )
        #expect(
            machine.frameReceived(.method(.connection(.tune(tune))))
                == .sendTuneOkAndOpen(expected.tuneOk, .init(virtualHost: "/billing"), expected)
        )
        #expect(expected.highestChannelID == (negotiation.expected.channelMax == 0 ? 65535 : expected.channelMax))
        #expect(
            expected.heartbeatTimerInterval
                == (expected.heartbeat == 0 ? nil : .milliseconds(Int64(expected.heartbeat) * 500))
        )
    }

    @Test func brokerWithoutVersion0_9IsRefused() {
        var machine = TestConnection(configuration: Handshake.configuration)
        _ = machine.start()
        let start = AMQPMethod.Connection.Start(versionMajor: 8, versionMinor: 0, serverProperties: [:])
        var error = AMQPError(code: .protocolVersionMismatch, message: "")
        error.classID = 10
        #expect(machine.frameReceived(.method(.connection(.start(start)))) == .close(.init(error: error, channels: [])))
        #expect(machine.channelInactive() == .none)
    }

    @Test func brokerAnsweringWithItsProtocolHeaderIsAVersionMismatch() {
        var machine = TestConnection(configuration: Handshake.configuration)
        _ = machine.start()
        // "AMQP" 0 0 9 1 read as a frame: type 0x41 ('A').
        let decodeError = AMQPError(code: .unknownFrameType, message: "", offendingByte: 0x41)
        let expected = AMQPError(code: .protocolVersionMismatch, message: "")
        #expect(machine.errorCaught(decodeError) == .close(.init(error: expected, channels: [])))
    }

    @Test func brokerWithoutPlainIsRefused() {
        var machine = TestConnection(configuration: Handshake.configuration)
        _ = machine.start()
        let start = AMQPMethod.Connection.Start(serverProperties: [:], mechanisms: "AMQPLAIN EXTERNAL")
        #expect(
            machine.frameReceived(.method(.connection(.start(start))))
                == .close(.init(error: .init(code: .unsupportedMechanism, message: ""), channels: []))
        )
    }

    @Test func connectionSecureIsNotSupported() {
        var machine = TestConnection(configuration: Handshake.configuration)
        _ = machine.start()
        _ = machine.frameReceived(.method(.connection(.start(Handshake.start))))
        let action = machine.frameReceived(.method(.connection(.secure(.init(challenge: ByteBuffer())))))
        var error = AMQPError(code: .unsupportedMechanism, message: "")
        error.replyCode = .notImplemented
        guard case .sendClose(let close, let cleanUp) = action else {
            Issue.record("expected sendClose, got \(action)")
            return
        }
        #expect(close.replyCode == .notImplemented)
        #expect(close.classID == 10 && close.methodID == 20)
        #expect(cleanUp == .init(error: error, channels: []))
        #expect(machine.frameReceived(.method(.connection(.closeOk))) == .close(nil))
    }

    @Test func authenticationFailureIsA403CloseDuringTheHandshake() {
        var machine = TestConnection(configuration: Handshake.configuration)
        _ = machine.start()
        _ = machine.frameReceived(.method(.connection(.start(Handshake.start))))
        let close = AMQPMethod.Connection.Close(
            replyCode: .accessRefused,
            replyText: "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN.",
            classID: 0,
            methodID: 0
        )
        var error = AMQPError(code: .authenticationFailed, message: "")
        error.replyCode = .accessRefused
        error.replyText = close.replyText
        #expect(
            machine.frameReceived(.method(.connection(.close(close))))
                == .sendCloseOkAndClose(.init(error: error, channels: []))
        )
        // Failed once: the end of file that follows fails nothing more.
        #expect(machine.channelInactive() == .none)
        #expect(machine.openChannel(promise: 1) == .failPromise(1, error))
    }

    @Test func virtualHostRefusedIsAConnectionClosedWithItsCode() {
        var machine = TestConnection(configuration: Handshake.configuration)
        _ = machine.start()
        _ = machine.frameReceived(.method(.connection(.start(Handshake.start))))
        _ = machine.frameReceived(.method(.connection(.tune(.init(channelMax: 0, frameMax: 0, heartbeat: 0)))))
        let close = AMQPMethod.Connection.Close(
            replyCode: .notAllowed,
            replyText: "NOT_ALLOWED - vhost /billing not found",
            classID: 10,
            methodID: 40
        )
        var error = AMQPError(code: .connectionClosed, message: "")
        error.replyCode = .notAllowed
        error.replyText = close.replyText
        error.classID = 10
        error.methodID = 40
        #expect(
            machine.frameReceived(.method(.connection(.close(close))))
                == .sendCloseOkAndClose(.init(error: error, channels: []))
        )
    }

    @Test func endOfFileDuringTheHandshakeFailsOnce() {
        var machine = TestConnection(configuration: Handshake.configuration)
        _ = machine.start()
        _ = machine.frameReceived(.method(.connection(.start(Handshake.start))))
        #expect(machine.channelInactive() == .cleanUp(.init(error: .connectionLost(nil), channels: [])))
        #expect(machine.channelInactive() == .none)
        #expect(machine.errorCaught(SomeIOError()) == .none)
        #expect(machine.close() == .none)
    }

    // MARK: - Heartbeats

    @Test func heartbeatIsSentAfterHalfAnIntervalWithoutSendingAndThePeerIsDeadAfterTwoSilentIntervals() {
        // heartbeat 30 s: a tick every 15 s.
        var machine = Handshake.openWithChannel()
        #expect(
            machine.request(.basic(.qos(.init(prefetchCount: 10))), channel: 1, promise: 2)
                == .sendMethod(channel: 1, .basic(.qos(.init(prefetchCount: 10))))
        )

        machine.frameSent()  // as the handler reports every frame it writes
        // Tick 1: a frame was sent (the qos) since the timer started: nothing to do.
        #expect(machine.heartbeatTimerFired() == .none)
        // Tick 2: half an interval without sending: a heartbeat.
        #expect(machine.heartbeatTimerFired() == .sendHeartbeat)
        machine.frameReceived(.heartbeat).expectNone()
        // Tick 3: received, so the broker is alive; nothing sent since the last tick (the handler would report the
        // heartbeat with frameSent(); this test does not): another heartbeat.
        #expect(machine.heartbeatTimerFired() == .sendHeartbeat)
        // Ticks 4 to 6: one to three ticks without a frame from the broker; a heartbeat on each.
        #expect(machine.heartbeatTimerFired() == .sendHeartbeat)
        #expect(machine.heartbeatTimerFired() == .sendHeartbeat)
        #expect(machine.heartbeatTimerFired() == .sendHeartbeat)
        // Tick 7: four ticks, two intervals, without a frame from the broker: dead.
        let error = AMQPError.deadPeer
        #expect(
            machine.heartbeatTimerFired()
                == .close(
                    .init(
                        error: error,
                        channels: [.init(channel: 1, error: error, promises: [2], unconfirmedDeliveryTags: [])]
                    )
                )
        )
        #expect(machine.heartbeatTimerFired() == .none)
        #expect(machine.channelInactive() == .none)
    }

    @Test func trafficBothWaysNeedsNoHeartbeat() {
        var open = Handshake.open()
        for _ in 0..<20 {
            open.frameSent()
            open.frameReceived(.heartbeat).expectNone()
            #expect(open.heartbeatTimerFired() == .none)
        }
        // Receiving only: a heartbeat goes out on every tick, and the peer stays alive.
        var receiving = Handshake.open()
        var actions: [TestConnection.Action] = []
        for _ in 0..<6 {
            receiving.frameReceived(.heartbeat).expectNone()
            actions.append(receiving.heartbeatTimerFired())
        }
        #expect(
            actions == [.sendHeartbeat, .sendHeartbeat, .sendHeartbeat, .sendHeartbeat, .sendHeartbeat, .sendHeartbeat]
        )
    }

    @Test func withoutHeartbeatTheTimerDoesNothing() {
        var configuration = Handshake.configuration
        configuration.heartbeat = 0
        var machine = Handshake.open(configuration, tune: .init(channelMax: 0, frameMax: 0, heartbeat: 0))
        for _ in 0..<10 {
            #expect(machine.heartbeatTimerFired() == .none)
        }
    }

    // MARK: - Close

    @Test func brokerConnectionForcedFailsEveryChannel() {
        var machine = Handshake.openWithChannel()
        #expect(machine.openChannel(promise: 2) == .sendMethod(channel: 2, .channel(.open(.init()))))
        #expect(
            machine.request(.queue(.declare(.init(queue: "q"))), channel: 1, promise: 3)
                == .sendMethod(channel: 1, .queue(.declare(.init(queue: "q"))))
        )
        #expect(machine.request(.basic(.qos(.init())), channel: 1, promise: 4) == .none)

        let close = AMQPMethod.Connection.Close(
            replyCode: .connectionForced,
            replyText: "CONNECTION_FORCED - broker forced connection closure with reason 'shutdown'",
            classID: 0,
            methodID: 0
        )
        let error = AMQPError.testConnectionClosed(.connectionForced, close.replyText)
        #expect(error.code == .connectionClosed && error.replyCode == .connectionForced)
        #expect(
            machine.frameReceived(.method(.connection(.close(close))))
                == .sendCloseOkAndClose(
                    .init(
                        error: error,
                        channels: [
                            .init(channel: 1, error: error, promises: [3, 4], unconfirmedDeliveryTags: []),
                            .init(channel: 2, error: error, promises: [2], unconfirmedDeliveryTags: []),
                        ]
                    )
                )
        )
        #expect(machine.channelCount == 0)
        #expect(machine.channelInactive() == .none)
        #expect(machine.request(.basic(.qos(.init())), channel: 1, promise: 5) == .failPromise(5, error))
        #expect(machine.send(.basic(.ack(.init(deliveryTag: 1))), channel: 1) == .fail(error))
        #expect(machine.frameReceived(.method(.channel(.openOk(.init())), channel: 2)) == .none)
    }

    @Test func clientCloseWaitsForCloseOk() {
        var machine = Handshake.openWithChannel()
        _ = machine.request(.basic(.qos(.init())), channel: 1, promise: 2)
        let error = AMQPError.connectionClosedByClient
        #expect(
            machine.close()
                == .sendClose(
                    .init(replyCode: .success, replyText: "Normal shutdown", classID: 0, methodID: 0),
                    .init(
                        error: error,
                        channels: [.init(channel: 1, error: error, promises: [2], unconfirmedDeliveryTags: [])]
                    )
                )
        )
        #expect(machine.close() == .none)
        // Frames until close-ok are discarded.
        #expect(machine.frameReceived(.method(.basic(.qosOk), channel: 1)) == .none)
        #expect(machine.frameReceived(.method(.connection(.blocked(.init(reason: "low memory"))))) == .none)
        #expect(machine.heartbeatTimerFired() == .none)
        #expect(machine.frameReceived(.method(.connection(.closeOk))) == .close(nil))
        #expect(machine.closeTimeoutFired() == .none)
        #expect(machine.channelInactive() == .none)
    }

    @Test func clientCloseWithoutCloseOkEndsOnTheTimer() {
        var machine = Handshake.open()
        guard case .sendClose = machine.close() else {
            Issue.record("expected sendClose")
            return
        }
        #expect(machine.closeTimeoutFired() == .close(nil))
        #expect(machine.frameReceived(.method(.connection(.closeOk))) == .none)
    }

    @Test func closesCrossing() {
        var machine = Handshake.open()
        _ = machine.close()
        let close = AMQPMethod.Connection.Close(replyCode: .connectionForced, replyText: "bye", classID: 0, methodID: 0)
        #expect(machine.frameReceived(.method(.connection(.close(close)))) == .sendCloseOkAndClose(nil))
    }

    @Test func clientCloseBeforeConnectionStartClosesAtOnce() {
        var machine = TestConnection(configuration: Handshake.configuration)
        _ = machine.start()
        #expect(machine.close() == .close(.init(error: .connectionClosedByClient, channels: [])))
    }

    @Test func blockedAndUnblocked() {
        var machine = Handshake.open()
        #expect(
            machine.frameReceived(.method(.connection(.blocked(.init(reason: "low on memory")))))
                == .blocked(reason: "low on memory")
        )
        #expect(machine.frameReceived(.method(.connection(.unblocked))) == .unblocked)
    }

    // MARK: - Errors

    @Test func ioErrorFailsEverythingOnce() {
        var machine = Handshake.openWithChannel()
        let error = AMQPError.connectionLost(SomeIOError())
        #expect(error.code == .connectionLost)
        #expect(
            machine.errorCaught(SomeIOError())
                == .close(
                    .init(
                        error: error,
                        channels: [.init(channel: 1, error: error, promises: [], unconfirmedDeliveryTags: [])]
                    )
                )
        )
        #expect(machine.channelInactive() == .none)
        #expect(machine.errorCaught(SomeIOError()) == .none)
    }

    @Test func decodeErrorClosesWithFrameError() {
        var machine = Handshake.open()
        var decodeError = AMQPError(code: .frameTooLarge, message: "", size: 1 << 20)
        let action = machine.errorCaught(decodeError)
        decodeError.replyCode = .frameError
        guard case .sendClose(let close, let cleanUp) = action else {
            Issue.record("expected sendClose, got \(action)")
            return
        }
        #expect(close.replyCode == .frameError)
        #expect(cleanUp == .init(error: decodeError, channels: []))

        var other = Handshake.open()
        var syntax = AMQPError(code: .invalidUTF8, message: "")
        syntax.classID = 60
        syntax.methodID = 60
        guard case .sendClose(let syntaxClose, _) = other.errorCaught(syntax) else {
            Issue.record("expected sendClose")
            return
        }
        #expect(syntaxClose.replyCode == .syntaxError)
        #expect(syntaxClose.classID == 60 && syntaxClose.methodID == 60)
    }

    struct UnexpectedCase: Sendable, CustomTestStringConvertible {
        enum Stage: Sendable { case protocolHeaderSent, startOkSent, openSent, open }
        var name: String
        var stage: Stage
        var frame: AMQPFrame
        var replyCode: AMQPReplyCode
        var classID: UInt16 = 0
        var methodID: UInt16 = 0
        var testDescription: String { self.name }
    }

    static let unexpectedCases: [UnexpectedCase] = [
        .init(
            name: "open-ok before tune",
            stage: .startOkSent,
            frame: .method(.connection(.openOk(.init()))),
            replyCode: .unexpectedFrame,
            classID: 10,
            methodID: 41
        ),
        .init(
            name: "a channel method before open-ok",
            stage: .openSent,
            frame: .method(.channel(.openOk(.init())), channel: 1),
            replyCode: .unexpectedFrame
        ),
        .init(
            name: "tune on an open connection",
            stage: .open,
            frame: .method(.connection(.tune(.init()))),
            replyCode: .unexpectedFrame,
            classID: 10,
            methodID: 30
        ),
        .init(
            name: "a basic method on channel 0",
            stage: .open,
            frame: .method(.basic(.qosOk)),
            replyCode: .commandInvalid
        ),
        .init(
            name: "a connection method on channel 1",
            stage: .open,
            frame: .method(.connection(.blocked(.init())), channel: 1),
            replyCode: .commandInvalid,
            classID: 10,
            methodID: 60
        ),
        .init(
            name: "a content header on channel 0",
            stage: .open,
            frame: .header(bodySize: 1, channel: 0),
            replyCode: .unexpectedFrame
        ),
        .init(
            name: "a heartbeat on channel 1",
            stage: .open,
            frame: AMQPFrame(channel: 1, payload: .heartbeat),
            replyCode: .unexpectedFrame
        ),
        .init(
            name: "a frame on a channel never opened",
            stage: .open,
            frame: .method(.basic(.qosOk), channel: 9),
            replyCode: .channelError
        ),
        .init(
            name: "a body frame on a channel never opened",
            stage: .open,
            frame: .body("x", channel: 9),
            replyCode: .channelError
        ),
    ]

    @Test(arguments: unexpectedCases)
    func unexpectedFrameClosesTheConnection(_ unexpected: UnexpectedCase) {
        var machine = TestConnection(configuration: Handshake.configuration)
        _ = machine.start()
        if unexpected.stage != .protocolHeaderSent {
            _ = machine.frameReceived(.method(.connection(.start(Handshake.start))))
        }
        if unexpected.stage == .openSent || unexpected.stage == .open {
            _ = machine.frameReceived(.method(.connection(.tune(.init(channelMax: 0, frameMax: 0, heartbeat: 0)))))
        }
        if unexpected.stage == .open {
            _ = machine.frameReceived(.method(.connection(.openOk(.init()))))
        }
        let action = machine.frameReceived(unexpected.frame)
        guard case .sendClose(let close, let cleanUp) = action else {
            Issue.record("expected sendClose, got \(action)")
            return
        }
        #expect(close.replyCode == unexpected.replyCode)
        #expect(close.classID == unexpected.classID)
        #expect(close.methodID == unexpected.methodID)
        #expect(cleanUp?.error.code == .unexpectedFrame)
        #expect(cleanUp?.error.replyCode == unexpected.replyCode)
        #expect(cleanUp?.channels.isEmpty == true)
        // Then only close-ok matters.
        #expect(machine.frameReceived(.method(.connection(.openOk(.init())))) == .none)
        #expect(machine.frameReceived(.method(.connection(.closeOk))) == .close(nil))
    }

    @Test func unexpectedFrameBeforeConnectionStartDropsTheConnection() {
        var machine = TestConnection(configuration: Handshake.configuration)
        _ = machine.start()
        let violation = ProtocolViolation.unexpectedFrame("", method: .connection(.tune(.init())))
        #expect(
            machine.frameReceived(.method(.connection(.tune(.init()))))
                == .close(.init(error: .protocolViolation(violation), channels: []))
        )
    }

    // MARK: - Channels on the connection

    @Test func channelNumbersAreAllocatedRoundRobinUpToChannelMax() {
        var configuration = Handshake.configuration
        configuration.channelMax = 3
        var machine = Handshake.open(configuration)
        #expect(machine.openChannel(promise: 1) == .sendMethod(channel: 1, .channel(.open(.init()))))
        #expect(machine.openChannel(promise: 2) == .sendMethod(channel: 2, .channel(.open(.init()))))
        #expect(machine.openChannel(promise: 3) == .sendMethod(channel: 3, .channel(.open(.init()))))
        #expect(machine.openChannel(promise: 4) == .failPromise(4, .channelLimitReached))
        _ = machine.frameReceived(.method(.channel(.openOk(.init())), channel: 2))
        #expect(machine.closeChannel(2, promise: 5) != .none)
        #expect(machine.openChannel(promise: 6) == .failPromise(6, .channelLimitReached))
        let closeOk = machine.frameReceived(.method(.channel(.closeOk), channel: 2))
        #expect(
            closeOk
                == .channel(
                    2,
                    .closed(
                        closePromises: [5],
                        .init(channel: 2, error: .channelClosedByClient(2), promises: [], unconfirmedDeliveryTags: [])
                    )
                )
        )
        #expect(machine.openChannel(promise: 7) == .sendMethod(channel: 2, .channel(.open(.init()))))
        #expect(machine.channelCount == 3)
    }
}

extension ConnectionStateMachine.Action {
    func expectNone(sourceLocation: SourceLocation = #_sourceLocation) {
        if case .none = self { return }
        Issue.record("expected no action, got \(self)", sourceLocation: sourceLocation)
    }
}
