import Testing

@testable import BileanMessaging

/// The client's connection state, driven with events (the parts that need no live connection).
struct ClientLinkTests {
    @Test func closingResumesTheWaitersAndRefusesLaterCallers() async {
        var link = ClientLink()
        let session = await withCheckedContinuation { (waiter: ClientLink.Waiter) in
            guard case .wait(let id, start: true) = link.want(waiter) else {
                Issue.record("the first caller did not start the supervisor")
                waiter.resume(returning: nil)
                return
            }
            #expect(id == 1)
            let (open, waiters) = link.close()
            #expect(open == nil)
            #expect(waiters.count == 1)
            for waiter in waiters { waiter.resume(returning: nil) }
        }
        #expect(session == nil)
        #expect(link.isClosed)
        let later = await withCheckedContinuation { (waiter: ClientLink.Waiter) in
            guard case .closed = link.want(waiter) else {
                Issue.record("a closed link took a caller")
                waiter.resume(returning: nil)
                return
            }
            waiter.resume(returning: nil)
        }
        #expect(later == nil)
    }

    @Test func aWaiterThatGivesUpIsForgotten() async {
        var link = ClientLink()
        let session = await withCheckedContinuation { (waiter: ClientLink.Waiter) in
            guard case .wait(let id, start: true) = link.want(waiter) else {
                Issue.record("the first caller did not start the supervisor")
                waiter.resume(returning: nil)
                return
            }
            link.giveUp(id)?.resume(returning: nil)
            #expect(link.giveUp(id) == nil)
        }
        #expect(session == nil)
        #expect(link.close().waiters.isEmpty)
        link.failed("connection refused")
        #expect(link.lastFailure == "connection refused")
        #expect(link.nextGeneration() == 1)
        #expect(link.nextGeneration() == 2)
    }
}
