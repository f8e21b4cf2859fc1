import Testing

@testable import AMQP

@Suite("AMQPError codes of the state machines")
struct AMQPErrorStateMachineTests {
    @Test func codesAreDistinct() {
        let codes: [AMQPError.Code] = [
            .truncated, .malformedFrame, .frameEndMissing, .frameTooLarge, .unknownFrameType, .unknownClass,
            .unknownMethod, .invalidFieldValueType, .invalidUTF8, .stringTooLong, .nestingTooDeep, .invalidURL,
            .connectionClosed, .connectionLost, .channelClosed, .deadPeer, .authenticationFailed,
            .unsupportedMechanism, .protocolVersionMismatch, .unexpectedFrame, .channelLimitReached,
        ]
        #expect(Set(codes).count == codes.count)
        #expect(Set(codes.map(\.description)).count == codes.count)
    }

    @Test func theBrokersReplyIsInTheDebugDescriptionOnly() {
        let close = AMQPMethod.Channel.Close(
            replyCode: .preconditionFailed,
            replyText: "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'secret-queue'",
            classID: 50,
            methodID: 10
        )
        let error = AMQPError.channelClosed(by: close, channel: 3)
        #expect(error.code == .channelClosed)
        #expect(error.replyCode == .preconditionFailed)
        #expect(!String(describing: error).contains("secret-queue"))
        let debug = String(reflecting: error)
        #expect(debug.contains("replyCode: 406 PRECONDITION_FAILED"))
        #expect(debug.contains("secret-queue"))
        #expect(debug.contains("channel: 3"))
    }

    @Test func a403DuringTheHandshakeIsAnAuthenticationFailure() {
        let close = AMQPMethod.Connection.Close(replyCode: .accessRefused, replyText: "", classID: 0, methodID: 0)
        #expect(AMQPError.connectionClosed(by: close, duringHandshake: true).code == .authenticationFailed)
        #expect(AMQPError.connectionClosed(by: close, duringHandshake: false).code == .connectionClosed)
    }
}
