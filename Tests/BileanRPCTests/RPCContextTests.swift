import BileanCore
import BileanMessaging
import BileanRPC
import Testing

/// The context the engine callers send: the API request's (its id and authorized caller) within a request, the
/// service's otherwise.
@Suite("RPC context")
struct RPCContextTests {
    @Test func outsideARequestItIsTheServices() {
        #expect(RPCContext.outgoing == RPCContext.service)
        #expect(RPCContext.service.isAdmin && RPCContext.service.requestID == nil)
    }

    @Test func withinARequestItIsTheCallers() async {
        let caller = CallerContext(
            requestID: "req-42",
            projectID: "p1",
            userID: "u1",
            roles: ["member", "reader"],
            isAdmin: false
        )
        let sent = await CallerContext.$current.withValue(caller) {
            // As a call made deeper in the request's work, on a child task.
            await Task { RPCContext.outgoing }.value
        }
        #expect(
            sent
                == RPCContext(requestID: "req-42", projectID: "p1", userID: "u1", roles: ["member", "reader"])
        )
        #expect(sent.messageMembers["_context_request_id"] == .string("req-42"))
        #expect(RPCContext.outgoing == RPCContext.service)
    }
}
