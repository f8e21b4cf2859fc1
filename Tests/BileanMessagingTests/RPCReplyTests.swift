import BileanCore
import Testing

@testable import BileanMessaging

struct RPCReplyTests {
    @Test func aResultReplyHasExactlyOslosMembers() throws {
        let reply = RPCReply(messageID: "m1", result: .object(["n": .number("12345678901234567890")]), uniqueID: "u1")
        let message = try OsloEnvelope.unwrap(Array(try reply.body().utf8)).message
        let oslo = try OsloEnvelope.unwrap(OsloFixtures.body("reply_result")).message
        #expect(message.keys.sorted() == oslo.keys.sorted())
        #expect(message["failure"] == .null)
        #expect(message["ending"] == .bool(true))
        #expect(message["_msg_id"] == .string("m1"))
        #expect(try RPCReply(message: message) == reply)
    }

    @Test func aFailureIsOslosJSONText() throws {
        let error = RPCRemoteError(kind: .invalidInput, message: "amount must be positive", field: "amount")
        let reply = RPCReply(messageID: "m2", failure: error, uniqueID: "u2")
        let message = try reply.message()
        #expect(message["result"] == .null)
        let text = try #require(message["failure"]?.stringValue)
        let failure = try #require(try ExactJSONReader.parse(Array(text.utf8), maximumDepth: 10).objectValue)
        let oslo = try OsloEnvelope.unwrap(OsloFixtures.body("reply_failure_bilean")).message
        let osloText = try #require(oslo["failure"]?.stringValue)
        let osloFailure = try #require(try ExactJSONReader.parse(Array(osloText.utf8), maximumDepth: 10).objectValue)
        #expect(failure.keys.sorted() == osloFailure.keys.sorted())
        #expect(failure["class"] == .string("InvalidInput"))
        #expect(failure["module"] == .string("bilean.common.exception"))
        #expect(failure["message"] == .string("amount must be positive"))
        #expect(failure["tb"] == .array([]))
        #expect(failure["args"] == .array([.string("amount must be positive")]))
        #expect(failure["kwargs"] == .object(["field": .string("amount")]))
        #expect(try RPCReply(message: message).failure == error)
    }

    @Test func oslosResultIsReadExactly() throws {
        let reply = try RPCReply(body: OsloFixtures.body("reply_result"))
        #expect(reply.messageID == "msg-get_user")
        #expect(reply.ending)
        #expect(!reply.isHeartbeat)
        #expect(
            reply.outcome
                == .success(
                    .object([
                        "id": .string("u1"), "balance": .string("10.50"), "n": .number("12345678901234567890"),
                    ])
                )
        )
    }

    @Test func oslosFailureOfABuiltinExceptionIsAnInternalErrorNamingIt() throws {
        let reply = try RPCReply(body: OsloFixtures.body("reply_failure_builtin"))
        #expect(
            reply.outcome == .failure(RPCRemoteError(kind: .internalError, message: "builtins.ValueError: bad thing"))
        )
    }

    @Test func oslosFailureOfABileanExceptionIsTyped() throws {
        let reply = try RPCReply(body: OsloFixtures.body("reply_failure_bilean"))
        #expect(
            reply.outcome
                == .failure(RPCRemoteError(kind: .invalidInput, message: "amount must be positive", field: "amount"))
        )
    }

    @Test func oslosHeartbeatIsAHeartbeat() throws {
        let reply = try RPCReply(body: OsloFixtures.body("reply_heartbeat"))
        #expect(reply.isHeartbeat)
        #expect(reply.messageID == "msg-slow")
        let ours = RPCReply(messageID: "m", ending: false, uniqueID: "u")
        #expect(ours.isHeartbeat)
        #expect(try ours.message()["result"] == .null)
        #expect(try ours.message()["ending"] == .bool(false))
    }

    @Test func missingMembersTakeOslosDefaults() throws {
        let reply = try RPCReply(message: ["_msg_id": .string("m")])
        #expect(reply.result == .null)
        #expect(reply.failure == nil)
        #expect(!reply.ending)
    }

    @Test(arguments: [
        ["_msg_id": JSONValue.number("1")],
        ["_msg_id": .string("m"), "ending": .string("yes")],
    ])
    func notAReply(message: [String: JSONValue]) {
        #expect {
            try RPCReply(message: message)
        } throws: { error in
            (error as? MessagingError)?.code == .invalidReply
        }
    }
}
