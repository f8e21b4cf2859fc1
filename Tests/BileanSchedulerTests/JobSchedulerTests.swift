import BileanCore
import BileanEngine
import BileanScheduler
import BileanStore
import BileanTestSupport
import Testing

/// The scheduler over the real engine and a real database (SQLite, and PostgreSQL when configured), driven by a
/// hand-set clock: exact notify and freeze instants, warnings, freezes, thaws, daily settlement, restarts, leases.
@Suite("Job scheduler")
struct JobSchedulerTests {
    typealias H = SchedulerHarness

    @Test(arguments: TestDatabase.available)
    func notifyAndFreezeFireAtTheirExactInstants(_ database: TestDatabase) async throws {
        try await H.with(database) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm", at: 0)
            // 10 at 1/s: warn when 5 s are left (t0 + 5 s), freeze at 0 (t0 + 10 s).
            #expect(try await h.runAt(.notify) == H.at(5))
            #expect(try await h.runAt(.freeze) == H.at(10))
            #expect(try await h.pass(at: 4.999999).fired == 0)
            #expect(try await h.engine.user("p1").status == .active)
            #expect(try await h.pass(at: 5).fired == 1)
            let warned = try await h.engine.user("p1")
            #expect(warned.status == .warning)
            #expect(try await h.jobs().map(\.kind) == [.freeze])
            // The freeze runs 2 s late (the scheduler was busy): it still settles where the balance reached 0.
            #expect(try await h.pass(at: 12).fired == 1)
            let frozen = try await h.engine.user("p1")
            #expect(frozen.status == .freeze)
            #expect(frozen.balance == .zero)
            #expect(frozen.rate == .zero)
            #expect(try await h.jobs().isEmpty)
            // Billing has stopped: an hour later the balance is still exactly 0.
            h.clock.set(H.at(3600))
            #expect(try await h.engine.user("p1").balance == .zero)
            let consumptions = try await h.engine.listConsumptions(ListQuery())
            #expect(consumptions.map(\.cause) == [.freeze])
            #expect(consumptions.first?.endTime == H.at(10))
            #expect(consumptions.first?.cost == Money(integer: 10))
            let notices = try await h.dispatch()
            #expect(notices.map(\.reason) == [.warning, .freeze])
            #expect(notices.map(\.timestamp) == [H.at(5), H.at(10)])
            #expect(notices[0].payload["expected_run_out"] == .string(H.at(10).iso8601))
            #expect(notices[0].payload["status"] == .string("WARNING"))
            #expect(notices[0].payload["balance"] == .string("5"))
            #expect(notices[1].payload["status"] == .string("FREEZE"))
            #expect(notices[1].payload["balance"] == .string("0"))
            // The outbox is empty once published.
            #expect(try await h.engine.pendingNotices(limit: 10).isEmpty)
            let events = try await h.engine.listEvents(ListQuery())
            #expect(events.contains { $0.action == "freeze" && $0.timestamp == H.at(10) })
            #expect(
                events.contains { $0.action == "status_change" && $0.status == "WARNING" && $0.timestamp == H.at(5) }
            )
        }
    }

    @Test(arguments: TestDatabase.available)
    func creditAndRateChangesMoveTheInstants(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = { $0.defaultCredit = Money(integer: 5) }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            // Credit 5: freeze at −5, 15 s; notify when the balance covers 5 s (5) above −5, i.e. at 0: 10 s.
            #expect(try await h.runAt(.freeze) == H.at(15))
            #expect(try await h.runAt(.notify) == H.at(10))
            try await h.event(.create, "vm2", at: 2)
            // At 2 s: 8 left at 2/s. Freeze: (8 + 5) / 2 = 6.5 s later; notify: the cover of 5 s is 10, so
            // 10 − 5 = 5 above zero… the balance reaches 5 after 1.5 s.
            #expect(try await h.runAt(.freeze) == H.at(8.5))
            #expect(try await h.runAt(.notify) == H.at(3.5))
            try await h.event(.update, "vm2", ["flavor": .string("half")], at: 3)
            // At 3 s: 6 left at 1.5/s. Freeze: 11 / 1.5 = 7.333333… s → 10.333334 s (rounded up to the µs);
            // notify threshold 1.5 × 5 − 5 = 2.5: (6 − 2.5) / 1.5 = 2.333333… → 5.333334 s.
            #expect(try await h.runAt(.freeze) == H.at(3).adding(microseconds: 7_333_334))
            #expect(try await h.runAt(.notify) == H.at(3).adding(microseconds: 2_333_334))
            try await h.event(.delete, "vm2", at: 4)
            // At 4 s: 6 − 1.5 = 4.5 left at 1/s: freeze 9.5 s later, notify when 0 is left: 4.5 s later.
            #expect(try await h.runAt(.freeze) == H.at(13.5))
            #expect(try await h.runAt(.notify) == H.at(8.5))
            // The freeze fires at 13.5 s: the balance is exactly −5 there.
            try await h.pass(at: 8.5)
            #expect(try await h.engine.user("p1").status == .warning)
            try await h.pass(at: 14)
            let frozen = try await h.engine.user("p1")
            #expect(frozen.status == .freeze)
            #expect(frozen.balance == Money(integer: -5))
        }
    }

    @Test(arguments: TestDatabase.available)
    func rechargesBeforeAndAfterTheWarning(_ database: TestDatabase) async throws {
        try await H.with(database) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm", at: 0)
            // The scheduler leases the jobs (within its look-ahead) before the recharge moves them.
            #expect(try await h.pass(at: 1).claimed == 2)
            h.clock.set(H.at(3))
            try await h.recharge("p1", "10")
            // At 3 s: 17 left: notify at 15 s, freeze at 20 s. The scheduler's leased copies of the old jobs are
            // replaced by the new ones at its next pass; the old instants fire nothing.
            #expect(try await h.runAt(.notify) == H.at(15))
            #expect(try await h.runAt(.freeze) == H.at(20))
            let early = try await h.pass(at: 10)
            #expect(early.fired == 0)
            #expect(early.claimed == 2)
            // A copy that was run anyway (a scheduler that missed the change) is stale.
            #expect(
                try await h.engine.runJobs([Job(userID: "p1", kind: .notify, runAt: H.at(5))], owner: "scheduler-a")
                    == [.stale]
            )
            #expect(try await h.engine.user("p1").status == .active)
            #expect(try await h.pass(at: 15).fired == 1)
            #expect(try await h.engine.user("p1").status == .warning)
            // A recharge after the warning moves the user back to ACTIVE with a new notify job.
            h.clock.set(H.at(16))
            try await h.recharge("p1", "100")
            #expect(try await h.engine.user("p1").status == .active)
            // 4 + 100 = 104 at 16 s: notify at 16 + 99 = 115 s, freeze at 120 s.
            #expect(try await h.runAt(.notify) == H.at(115))
            #expect(try await h.runAt(.freeze) == H.at(120))
            let notices = try await h.dispatch()
            #expect(notices.map(\.reason) == [.warning])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRechargeThawsAFrozenUserAndBillingResumes(_ database: TestDatabase) async throws {
        try await H.with(database) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm", at: 0)
            try await h.event(.create, "vol", type: "os.cinder.volume", ["size": .number("5")], at: 0)
            // 2/s: frozen at 5 s.
            try await h.pass(at: 6)
            #expect(try await h.engine.user("p1").status == .freeze)
            // While frozen, a resize is recorded but not billed.
            try await h.event(.update, "vm", ["flavor": .string("half")], at: 20)
            h.clock.set(H.at(30))
            #expect(try await h.engine.user("p1").balance == .zero)
            // 5 does not cover the overdraft… it does with credit 0: any positive balance thaws.
            h.clock.set(H.at(40))
            try await h.recharge("p1", "15")
            let thawed = try await h.engine.user("p1")
            #expect(thawed.status == .active)
            // Billing resumes from the recharge at the current prices: 0.5 + 1 per second.
            #expect(thawed.rate == Rate.perSecond(try Money(parsing: "1.5")))
            #expect(try await h.runAt(.freeze) == H.at(50))
            h.clock.set(H.at(44))
            #expect(try await h.engine.user("p1").balance == Money(integer: 9))
            let notices = try await h.dispatch()
            #expect(notices.map(\.reason) == [.warning, .freeze, .thaw])
            // The ledger: recharges − consumptions (closed and open) = balance, exactly.
            try await Self.expectLedger(h, user: "p1")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLateDeletionThatCoversTheOverdraftThawsTheUser(_ database: TestDatabase) async throws {
        try await H.with(database) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            // A backlog: the server's creation (at 0 s) is billed 100 s late, its deletion (at 5 s) later still.
            // At 100 s the project looks overdrawn since 10 s: the freeze is due at once, from now (never in the
            // past of what Bilean knew).
            h.clock.set(H.at(100))
            try await h.event(.create, "vm", at: 0)
            #expect(try await h.runAt(.freeze) == H.at(100))
            try await h.pass(at: 101)
            #expect(try await h.engine.user("p1").status == .freeze)
            #expect(try await h.engine.user("p1").balance == Money(integer: -90))
            // A creation that happened before the freeze is priced as usual; one after it is not billed.
            h.clock.set(H.at(102))
            try await h.event(.create, "vm-old", at: 50)
            try await h.event(.create, "vm-new", at: 101)
            #expect(try await h.engine.user("p1").balance == Money(integer: -140))
            // The late deletions re-rate the past: the overdraft is covered, the project is thawed.
            try await h.event(.delete, "vm", at: 5)
            try await h.event(.delete, "vm-old", at: 51)
            let thawed = try await h.engine.user("p1")
            // 4 left at 1 per second covers less than the 5 s of warning: thawed straight into WARNING.
            #expect(thawed.status == .warning)
            #expect(thawed.balance == Money(integer: 4))
            // vm-new is billed again from the thaw (102 s) at its price: 1 per second.
            #expect(thawed.rate == Rate.perSecond(Money(integer: 1)))
            #expect(try await h.runAt(.freeze) == H.at(106))
            #expect(try await h.dispatch().map(\.reason) == [.warning, .freeze, .thaw, .warning])
            try await Self.expectLedger(h, user: "p1")
        }
    }

    @Test(arguments: TestDatabase.available)
    func dailySettlementKeepsEveryTotal(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = { $0.dailySettlement = TimeOfDay(parsing: "00:00") }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "100000000")
            try await h.event(.create, "vm", ["flavor": .string("half")], at: 0)
            try await h.event(.create, "vol", type: "os.cinder.volume", ["size": .number("5")], at: 0.333333)
            let firstMidnight = TimeOfDay.midnight.nextOccurrence(after: H.t0)
            #expect(try await h.runAt(.daily) == firstMidnight)
            // The scheduler was down for three days: each missed midnight is settled, one per pass.
            let later = firstMidnight.adding(seconds: 3 * 86_400 + 10)
            h.clock.set(later)
            let before = try await h.engine.user("p1").balance
            var fired = 0
            for _ in 0..<6 { fired += try await h.scheduler.runPass().fired }
            #expect(fired == 4)
            #expect(try await h.runAt(.daily) == firstMidnight.adding(seconds: 4 * 86_400))
            // Nothing changed at that instant: the same real-time balance, the same totals per resource.
            #expect(try await h.engine.user("p1").balance == before)
            let consumptions = try await h.engine.listConsumptions(ListQuery(limit: 100))
            #expect(consumptions.count == 8)
            #expect(Set(consumptions.map(\.endTime)).count == 4)
            let vm = consumptions.filter { $0.resourceID == "vm" }.reduce(Money.zero) { $0 + $1.cost }
            // 0.5/s from 0 s to the fourth midnight, exactly.
            let seconds = (firstMidnight.adding(seconds: 3 * 86_400) - H.t0) / 1_000_000
            #expect(vm == Money(units: (try Money(parsing: "0.5")).units * Int128(seconds)))
            try await Self.expectLedger(h, user: "p1")
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRestartRunsOverdueJobsOnceAndTwoSchedulersShareTheJobs(_ database: TestDatabase) async throws {
        try await H.with(database) { h in
            try await h.prices()
            for index in 0..<40 {
                try await h.recharge("u\(index)", "10")
                try await h.event(.create, "vm\(index)", user: "u\(index)", at: Double(index % 4))
            }
            // Scheduler A leases everything due within a minute, then dies without releasing anything.
            let a = h.scheduler(owner: "a")
            #expect(try await h.pass(at: 1, a).claimed == 80)
            // B finds every job leased: nothing to do until A's leases expire (30 s after its last pass).
            let b = h.scheduler(owner: "b")
            let blocked = try await h.pass(at: 20, b)
            #expect(blocked.claimed == 0)
            #expect(blocked.fired == 0)
            // Overdue by then: B takes them over and fires each once (notify and freeze of every user).
            let takeover = try await h.pass(at: 31.5, b)
            #expect(takeover.claimed == 80)
            #expect(takeover.fired == 80)
            #expect(try await h.pass(at: 32, b).fired == 0)
            // A comes back (a restart with the same name): the jobs it held are gone or fired; nothing twice.
            #expect(try await h.pass(at: 33, a).fired == 0)
            let notices = try await h.dispatch()
            #expect(notices.filter { $0.reason == .warning }.count == 40)
            #expect(notices.filter { $0.reason == .freeze }.count == 40)
            for index in 0..<40 {
                let user = try await h.engine.user("u\(index)")
                #expect(user.status == .freeze)
                #expect(user.balance == .zero)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aGracefulStopHandsTheJobsOverAtOnce(_ database: TestDatabase) async throws {
        try await H.with(database) { h in
            try await h.prices()
            try await h.recharge("p1", "30")
            try await h.event(.create, "vm", at: 0)
            let a = h.scheduler(owner: "a")
            let b = h.scheduler(owner: "b")
            #expect(try await h.pass(at: 1, a).claimed == 2)
            #expect(try await h.pass(at: 2, b).claimed == 0)
            // A stops gracefully (JobScheduler.run releases its leases on the way out): B takes them at once.
            try await h.engine.releaseJobs(owner: "a")
            #expect(try await h.jobs().allSatisfy { $0.owner == nil && $0.leaseUntil == nil })
            #expect(try await h.pass(at: 3, b).claimed == 2)
            #expect(try await h.jobs().allSatisfy { $0.owner == "b" && $0.leaseUntil == H.at(33) })
            #expect(try await h.pass(at: 30, b).fired == 2)
            #expect(try await h.engine.user("p1").status == .freeze)
        }
    }

    @Test(arguments: TestDatabase.available)
    func concurrentSchedulersFireEveryJobExactlyOnce(_ database: TestDatabase) async throws {
        try await H.with(database) { h in
            try await h.prices()
            for index in 0..<60 {
                try await h.recharge("u\(index)", "10")
                try await h.event(.create, "vm\(index)", user: "u\(index)", at: 0)
            }
            h.clock.set(H.at(100))
            let schedulers = (0..<3).map { h.scheduler(owner: "s\($0)") }
            let fired = try await withThrowingTaskGroup(of: Int.self) { group in
                for scheduler in schedulers {
                    group.addTask {
                        var total = 0
                        for _ in 0..<3 { total += try await scheduler.runPass().fired }
                        return total
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(fired == 120)
            let notices = try await h.dispatch()
            #expect(notices.count == 120)
            #expect(Set(notices.map { "\($0.userID)/\($0.reason)" }).count == 120)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aJobRunTwiceHasItsEffectOnce(_ database: TestDatabase) async throws {
        try await H.with(database) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm", at: 0)
            h.clock.set(H.at(11))
            let jobs = try await h.jobs()
            // A scheduler that crashed after committing but before it forgot the jobs runs them again.
            #expect(try await h.engine.runJobs(jobs, owner: "a") == [.fired, .fired])
            #expect(try await h.engine.runJobs(jobs, owner: "a") == [.stale, .stale])
            #expect(try await h.dispatch().map(\.reason) == [.warning, .freeze])
            #expect(try await h.engine.listConsumptions(ListQuery()).count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aFailingPublisherLosesNoNotice(_ database: TestDatabase) async throws {
        try await H.with(database) { h in
            try await h.prices()
            for index in 0..<10 {
                try await h.recharge("u\(index)", "4")
                try await h.event(.create, "vm\(index)", user: "u\(index)", at: 0)
            }
            // Every user is warned at once (4 s of money, warned 5 s before).
            h.notices.fail(3)
            await #expect(throws: (any Error).self) { try await h.dispatch() }
            await #expect(throws: (any Error).self) { try await h.dispatch() }
            await #expect(throws: (any Error).self) { try await h.dispatch() }
            let sent = try await h.dispatch()
            #expect(sent.count == 10)
            #expect(Set(sent.map(\.userID)).count == 10)
        }
    }

    /// Recharges − every consumption − the open intervals' cost = the balance shown, exactly.
    static func expectLedger(_ h: SchedulerHarness, user: String) async throws {
        let shown = try await h.engine.user(user).balance
        let recharges = try await h.store.withTransaction { try await $0.recharges(userID: user) }
            .reduce(Money.zero) { $0 + $1.value }
        let consumed = try await h.engine.listConsumptions(ListQuery(limit: 1000)).filter { $0.userID == user }
            .reduce(Money.zero) { $0 + $1.cost }
        let live = try await h.store.withTransaction { try await $0.liveResources(userID: user) }
        let open = live.reduce(Money.zero) { $0 + $1.billing.openCost(at: h.clock.now) }
        #expect(recharges - consumed - open == shown)
        // And the user's O(1) sums match its resources.
        let stored = try #require(try await h.store.withTransaction { try await $0.user(user, lock: false) })
        #expect(stored.accrual == OpenAccrual.summing(live.map(\.billing)))
    }
}
