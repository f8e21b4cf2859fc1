import Testing

@testable import AMQP

@Suite("AMQPReplyCode")
struct AMQPReplyCodeTests {
    @Test func codesOfTheSpec() {
        #expect(AMQPReplyCode.preconditionFailed.rawValue == 406)
        #expect(AMQPReplyCode.notFound.rawValue == 404)
        #expect(AMQPReplyCode.success.rawValue == 200)
        #expect(AMQPReplyCode.connectionForced.rawValue == 320)
        #expect(AMQPReplyCode.preconditionFailed.name == "PRECONDITION_FAILED")
        #expect(AMQPReplyCode.preconditionFailed.description == "406 PRECONDITION_FAILED")
        #expect(AMQPReplyCode(rawValue: 999).description == "999")
    }

    @Test func softAndHardErrors() {
        #expect(AMQPReplyCode.notFound.errorClass == .soft)
        #expect(AMQPReplyCode.noRoute.errorClass == .soft)
        #expect(AMQPReplyCode.frameError.errorClass == .hard)
        #expect(AMQPReplyCode.connectionForced.errorClass == .hard)
        #expect(AMQPReplyCode.success.errorClass == nil)
        #expect(AMQPReplyCode(rawValue: 999).errorClass == nil)
    }
}
