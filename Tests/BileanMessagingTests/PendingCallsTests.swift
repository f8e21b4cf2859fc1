import BileanCore
import Testing

@testable import BileanMessaging

/// The pure table of waiting calls: each test drives it with events, and resumes what it returns.
struct PendingCallsTests {
    /// Attaches a waiter to `id` in `calls`, runs `events` (which may resume it), and returns its outcome.
    func outcome(
        _ calls: inout PendingCalls,
        _ id: String,
        events: (inout PendingCalls) -> [PendingCalls.Resume]
    ) async -> PendingCalls.Outcome {
        var table = calls
        let outcome = await withCheckedContinuation { (waiter: PendingCalls.Waiter) in
            if let known = table.attach(id, waiter) {
                waiter.resume(returning: known)
                return
            }
            for resume in events(&table) { resume.run() }
        }
        calls = table
        return outcome
    }

    @Test func aReplyThatComesBeforeTheWaiterIsKept() async {
        var calls = PendingCalls()
        calls.register("m1")
        guard case .resolved(nil) = calls.receive(RPCReply(messageID: "m1", result: .string("ok"))) else {
            Issue.record("the reply was not taken")
            return
        }
        let outcome = await self.outcome(&calls, "m1") { _ in [] }
        #expect(outcome == .success(.string("ok")))
    }

    @Test func heartbeatsAndOlderPartialRepliesKeepWaiting() async {
        var calls = PendingCalls()
        calls.register("m1")
        let outcome = await self.outcome(&calls, "m1") { table in
            guard case .kept = table.receive(RPCReply(messageID: "m1", ending: false)) else { return [] }
            guard case .kept = table.receive(RPCReply(messageID: "m1", result: .number("7"), ending: false)) else {
                return []
            }
            // The ending reply of an older server carries no result: the one before it is the result.
            guard case .resolved(let resume) = table.receive(RPCReply(messageID: "m1")) else { return [] }
            return resume.map { [$0] } ?? []
        }
        #expect(outcome == .success(.number("7")))
    }

    @Test func aFailureIsRemote() async {
        var calls = PendingCalls()
        calls.register("m1")
        let error = RPCRemoteError(kind: .notFound, message: "no user")
        let outcome = await self.outcome(&calls, "m1") { table in
            guard case .resolved(let resume) = table.receive(RPCReply(messageID: "m1", failure: error)) else {
                return []
            }
            return resume.map { [$0] } ?? []
        }
        #expect(outcome == .failure(.remote(error)))
    }

    @Test func theFirstOutcomeWinsAndLateRepliesAreUnknown() async {
        var calls = PendingCalls()
        calls.register("m1")
        let outcome = await self.outcome(&calls, "m1") { table in
            let timeout = table.resolve("m1", .failure(.timeout(.seconds(1))))
            #expect(table.resolve("m1", .success(.null)) == nil)
            return timeout.map { [$0] } ?? []
        }
        #expect(outcome == .failure(.timeout(.seconds(1))))
        guard case .unknown = calls.receive(RPCReply(messageID: "m1", result: .null, ending: true)) else {
            Issue.record("a reply after the outcome was taken")
            return
        }
        calls.remove("m1")
        #expect(calls.count == 0)
        guard case .unknown = calls.receive(RPCReply(messageID: "m9")) else {
            Issue.record("a reply for no call was taken")
            return
        }
    }

    @Test func aCastIsDeliveredWhenItsConnectionIsGoneBeforeTheBarrier() async {
        var calls = PendingCalls()
        calls.connectionOpened(generation: 1)
        calls.register("c1")
        #expect(calls.awaitBarrier("c1", generation: 1) == nil)
        let outcome = await self.outcome(&calls, "c1") { table in
            table.connectionClosed(generation: 1)
        }
        #expect(outcome == .success(.null))
        // Confirmed on a connection that is gone already: delivered at once.
        calls.register("c2")
        #expect(calls.awaitBarrier("c2", generation: 1) == nil)
        #expect(await self.outcome(&calls, "c2") { _ in [] } == .success(.null))
    }

    @Test func closingFailsEveryWaiter() async {
        var calls = PendingCalls()
        calls.register("m1")
        calls.register("m2")
        let outcome = await self.outcome(&calls, "m1") { table in
            table.failAll(.unreachable("closed"))
        }
        #expect(outcome == .failure(.unreachable("closed")))
        #expect(await self.outcome(&calls, "m2") { _ in [] } == .failure(.unreachable("closed")))
    }
}
