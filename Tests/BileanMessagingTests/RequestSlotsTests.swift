import Testing

@testable import BileanMessaging

struct RequestSlotsTests {
    @Test func aSlotIsGrantedUpToTheLimitThenWaitedFor() async throws {
        let slots = RequestSlots(count: 2)
        #expect(await slots.acquire())
        #expect(await slots.acquire())
        #expect(slots.inUse == 2)
        let third = Task { await slots.acquire() }
        // The third waits until one is released; it then holds it.
        slots.release()
        #expect(await third.value)
        #expect(slots.inUse == 2)
    }

    @Test func aCancelledWaiterTakesNoSlot() async {
        let slots = RequestSlots(count: 1)
        #expect(await slots.acquire())
        let waiter = Task { await slots.acquire() }
        waiter.cancel()
        #expect(await waiter.value == false)
        slots.release()
        #expect(slots.inUse == 0)
    }

    @Test func waitingUntilIdleEndsWithTheLastRelease() async {
        let slots = RequestSlots(count: 3)
        await slots.waitUntilIdle()
        #expect(await slots.acquire())
        #expect(await slots.acquire())
        let idle = Task { await slots.waitUntilIdle() }
        slots.release()
        slots.release()
        await idle.value
        #expect(slots.inUse == 0)
    }
}
