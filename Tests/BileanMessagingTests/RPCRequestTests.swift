import AMQP
import BileanCore
import Testing

@testable import BileanMessaging

struct RPCRequestTests {
    static let context = RPCContext(
        requestID: "req-1",
        projectID: "p1",
        userID: "u1",
        roles: ["admin", "member"],
        isAdmin: true
    )

    @Test func aCallHasExactlyOslosMembers() throws {
        let request = RPCRequest(
            method: "get_user",
            args: ["user_id": .string("u1"), "amount": .number("12345678901234567890")],
            namespace: "accounts",
            version: "1.2",
            messageID: "m1",
            replyQueue: "reply_q",
            uniqueID: "u-1",
            context: Self.context
        )
        let message = try OsloEnvelope.unwrap(Array(try request.body().utf8)).message
        // The members of the oslo call captured in Fixtures (call_request), no more, no fewer.
        let oslo = try OsloEnvelope.unwrap(OsloFixtures.body("call_request")).message
        #expect(message.keys.sorted() == oslo.keys.sorted())
        #expect(message["method"] == .string("get_user"))
        #expect(message["args"]?["amount"] == .number("12345678901234567890"))
        #expect(message["namespace"] == .string("accounts"))
        #expect(message["version"] == .string("1.2"))
        #expect(message["_msg_id"] == .string("m1"))
        #expect(message["_reply_q"] == .string("reply_q"))
        #expect(message["_timeout"] == .null)
        #expect(message["_unique_id"] == .string("u-1"))
        #expect(message["_context_request_id"] == .string("req-1"))
        #expect(message["_context_project_id"] == .string("p1"))
        #expect(message["_context_user_id"] == .string("u1"))
        #expect(message["_context_roles"] == .array([.string("admin"), .string("member")]))
        #expect(message["_context_is_admin"] == .bool(true))
        #expect(message["_context_auth_token"] == nil)
        #expect(try RPCRequest(message: message) == request)
    }

    @Test func aCastHasNoReplyMembers() throws {
        let request = RPCRequest(
            method: "sync",
            args: ["force": .bool(true)],
            namespace: "accounts",
            version: "1.0",
            uniqueID: "u-2",
            context: RPCContext(requestID: "req-3")
        )
        let message = request.message
        let oslo = try OsloEnvelope.unwrap(OsloFixtures.body("cast_request")).message
        // oslo sends only the context keys it was given; Bilean always sends its five.
        #expect(
            message.keys.filter { !$0.hasPrefix("_context_") }.sorted()
                == oslo.keys.filter { !$0.hasPrefix("_context_") }.sorted()
        )
        #expect(message["_msg_id"] == nil)
        #expect(message["_reply_q"] == nil)
        #expect(message["_timeout"] == nil)
        #expect(!request.isCall)
    }

    @Test func withoutANamespaceNoneIsSent() {
        let request = RPCRequest(method: "m", args: [:], namespace: nil, version: "1.0", context: RPCContext())
        #expect(request.message["namespace"] == nil)
    }

    @Test func oslosCallIsRead() throws {
        let request = try RPCRequest(body: OsloFixtures.body("call_request"))
        #expect(request.method == "get_user")
        #expect(request.namespace == "accounts")
        #expect(request.version == "1.2")
        #expect(request.isCall)
        #expect(request.replyQueue?.hasPrefix("reply_") == true)
        #expect(request.uniqueID?.count == 32)
        #expect(request.callMonitorTimeout == nil)
        #expect(request.heartbeatInterval == nil)
        #expect(request.args["amount"] == .number("12345678901234567890"))
        #expect(request.args["ratio"] == .number("0.1"))
        #expect(request.args["note"] == .string("café \"q\""))
        #expect(request.context == Self.context)
    }

    @Test func aRequestContextsNamesAreReadAndItsTokenIsNot() throws {
        let request = try RPCRequest(body: OsloFixtures.body("call_request_context"))
        let message = try OsloEnvelope.unwrap(OsloFixtures.body("call_request_context")).message
        #expect(message["_context_auth_token"] == .string("SECRET-TOKEN"))
        #expect(request.context == RPCContext(requestID: "req-2", projectID: "p2", userID: "u2", roles: ["reader"]))
        #expect(!String(describing: request.context).contains("SECRET"))
    }

    @Test func oslosCastIsRead() throws {
        let request = try RPCRequest(body: OsloFixtures.body("cast_request"))
        #expect(request.method == "sync")
        #expect(request.version == "1.0")
        #expect(!request.isCall)
        #expect(request.replyQueue == nil)
        #expect(request.args == ["force": .bool(true)])
        #expect(request.context == RPCContext(requestID: "req-3"))
    }

    @Test func oslosPropertiesAreTheOnesBileanSends() throws {
        let call = try OsloFixtures.properties("call")
        let properties = OsloRPCTopology.properties(expiration: .seconds(4))
        #expect(call["content_type"]?.stringValue == properties.contentType)
        #expect(call["content_encoding"]?.stringValue == properties.contentEncoding)
        #expect(call["delivery_mode"]?.scalarText == properties.deliveryMode.map { String($0) })
        #expect(call["priority"]?.scalarText == properties.priority.map { String($0) })
        #expect(call["expiration"]?.stringValue == properties.expiration)
        #expect(call["headers"] == .object([:]) && properties.headers == [:])
        #expect(try OsloFixtures.properties("cast")["expiration"] == nil)
        #expect(OsloRPCTopology.properties().expiration == nil)
    }

    @Test func missingMembersTakeOslosDefaults() throws {
        let request = try RPCRequest(message: ["method": .string("m")])
        #expect(request.version == "1.0")
        #expect(request.args == [:])
        #expect(request.namespace == nil)
        #expect(request.context == RPCContext())
    }

    @Test(arguments: [
        ["args": JSONValue.object([:])],
        ["method": .number("1")],
        ["method": .string("m"), "args": .array([])],
        ["method": .string("m"), "version": .number("1.0")],
        ["method": .string("m"), "_msg_id": .string("x")],
    ])
    func notARequest(message: [String: JSONValue]) {
        #expect {
            try RPCRequest(message: message)
        } throws: { error in
            (error as? MessagingError)?.code == .invalidRequest
        }
    }

    @Test(arguments: [
        (JSONValue.number("2"), Duration?.some(.seconds(1))),
        (.number("10"), .seconds(5)),
        (.number("1"), nil),
        (.string("x"), nil),
        (.null, nil),
    ])
    func callMonitorHeartbeatsEveryHalfTimeout(timeout: JSONValue, interval: Duration?) throws {
        var message = RPCRequest(
            method: "m",
            args: [:],
            namespace: nil,
            version: "1.0",
            messageID: "m",
            replyQueue: "q",
            context: RPCContext()
        ).message
        message["_timeout"] = timeout
        #expect(try RPCRequest(message: message).heartbeatInterval == interval)
    }
}
