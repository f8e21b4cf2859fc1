import Testing

@testable import AMQP

@Suite("AMQPError")
struct AMQPErrorTests {
    @Test func descriptionIsSafeAndDebugDescriptionHasContext() {
        var error = AMQPError(code: .frameEndMissing, message: "the frame does not end with 0xCE", offendingByte: 0)
        error.channel = 3
        error.frameType = 1
        #expect(
            String(describing: error) == "AMQPError(code: frameEndMissing, message: the frame does not end with 0xCE)"
        )
        let debug = String(reflecting: error)
        #expect(debug.contains("channel: 3"))
        #expect(debug.contains("frameType: 1"))
        #expect(debug.contains("offendingByte: 0"))
    }

    @Test func codesAreDistinct() {
        let codes: [AMQPError.Code] = [
            .truncated, .malformedFrame, .frameEndMissing, .frameTooLarge, .unknownFrameType, .unknownClass,
            .unknownMethod, .invalidFieldValueType, .invalidUTF8, .stringTooLong, .nestingTooDeep,
        ]
        #expect(Set(codes).count == codes.count)
        #expect(Set(codes.map(\.description)).count == codes.count)
    }
}
