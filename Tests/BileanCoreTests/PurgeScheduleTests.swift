import BileanCore
import Testing

@Suite struct PurgeScheduleTests {
    static let t0 = BillingTime(seconds: 1_700_000_000)

    @Test func aPurgeIsDueAtFirstThenOncePerInterval() {
        let schedule = PurgeSchedule()
        #expect(schedule.isDue(at: Self.t0, everySeconds: 60))
        // Counted as done: a second caller at the same moment does not purge too.
        #expect(!schedule.isDue(at: Self.t0, everySeconds: 60))
        #expect(!schedule.isDue(at: Self.t0.adding(seconds: 59), everySeconds: 60))
        #expect(schedule.isDue(at: Self.t0.adding(seconds: 60), everySeconds: 60))
        #expect(!schedule.isDue(at: Self.t0.adding(seconds: 61), everySeconds: 60))
    }

    @Test func makeDueMakesTheNextCallPurgeAtOnce() {
        let schedule = PurgeSchedule()
        #expect(schedule.isDue(at: Self.t0, everySeconds: 60))
        schedule.makeDue()
        #expect(schedule.isDue(at: Self.t0.adding(seconds: 1), everySeconds: 60))
        #expect(!schedule.isDue(at: Self.t0.adding(seconds: 2), everySeconds: 60))
    }
}
