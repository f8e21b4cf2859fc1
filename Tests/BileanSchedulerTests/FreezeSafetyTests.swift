import BileanCore
import BileanEngine
import BileanScheduler
import BileanStore
import BileanTestSupport
import Testing

/// Issue #18 §1–2: a freeze waits for current billing data (the listeners' lag reports), `max_hold` bounds the
/// wait (stops may then go, deletions never on stale data), a grace period, the two-step stop → delete, and a
/// freeze that holds (what a frozen project creates or restarts gets the freeze action; a thaw restarts only what
/// the freeze stopped, with `restart_on_thaw`). The engine and scheduler are real, over both databases; the clock
/// is set by hand.
@Suite("Freeze safety")
struct FreezeSafetyTests {
    typealias H = SchedulerHarness

    /// A listener's report, recorded at the harness clock's time.
    static func report(
        _ h: H,
        depth: Int64,
        oldest: Int64 = 0,
        at seconds: Double,
        listener: String = "host/q"
    ) async throws {
        h.clock.set(H.at(seconds))
        try await h.engine.reportListener(
            ListenerReport(listener: listener, queueDepth: depth, oldestHeldSeconds: oldest)
        )
    }

    static func actions(_ h: H, _ user: String = "p1") async throws -> [CloudAction] {
        try await h.store.withTransaction { try await $0.cloudActions(userID: user) }.sorted {
            ($0.resourceID, $0.kind.rawValue) < ($1.resourceID, $1.kind.rawValue)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBacklogHoldsTheFreezeUntilTheLateDeletionIsBilled(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = { $0.freezeAction = .delete }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "100")
            // The listener is far behind: a creation from t=0 arrives at t=100, its deletion (at t=10) later still.
            try await Self.report(h, depth: 20_000, at: 99)
            h.clock.set(H.at(100))
            try await h.event(.create, "cheap", ["flavor": .string("half")], at: 0)
            try await h.event(.create, "dear", at: 0)
            // 1.5 per second from t=0: the freeze instant (66.7 s) is already past.
            #expect(try await h.runAt(.freeze).map { $0 <= H.at(100) } == true)
            let held = try await h.pass(at: 100)
            #expect(held.held == 1 && held.fired == 0)
            #expect(try await h.engine.user("p1").status != .freeze)
            #expect(try await h.engine.claimCloudActions(limit: 10).isEmpty)
            // Held again at the next pass (the hold is re-judged every poll interval); recorded once.
            #expect(try await h.pass(at: 102).held == 1)
            let holds = try await h.engine.listEvents(ListQuery(limit: 100)).filter { $0.action == "freeze_held" }
            #expect(holds.count == 1 && holds.first?.userID == "p1")
            // The deletion from t=10 is billed: in order, the project was never short.
            h.clock.set(H.at(103))
            try await h.event(.delete, "dear", at: 10)
            try await Self.report(h, depth: 0, at: 103)
            let after = try await h.pass(at: 110)
            #expect(after.fired == 0 && after.held == 0)
            let user = try await h.engine.user("p1")
            #expect(user.status != .freeze)
            // 100 − 10 (dear for 10 s) − 0.5 × 110 = 35.
            #expect(user.balance == Money(integer: 35))
            // Its freeze is now where in-order delivery puts it: 10 + 85 / 0.5 = 180 s.
            #expect(try await h.runAt(.freeze) == H.at(180))
            #expect(try await Self.actions(h).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aHeldFreezeRunsOnceTheListenerHasCaughtUpAndSettled(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = { $0.freezeAction = .stop }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            try await Self.report(h, depth: 5000, at: 1)
            #expect(try await h.pass(at: 11).held == 1)
            // Caught up at 12: the freeze still waits settle_time (5 s) for the backlog's last messages.
            try await Self.report(h, depth: 3, at: 12)
            #expect(try await h.pass(at: 13).held == 1)
            try await Self.report(h, depth: 0, at: 16)
            let pass = try await h.pass(at: 17.5)
            #expect(pass.fired == 1)
            let user = try await h.engine.user("p1")
            #expect(user.status == .freeze)
            // Settled where the balance reached −credit, not when the hold ended.
            #expect(user.balance == .zero)
            #expect(try await h.engine.claimCloudActions(limit: 10).map(\.resourceID) == ["vm1"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aSilentListenerCountsAsBehind(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = {
            $0.freezeAction = .stop
            $0.freezeHold.maxListenerLagSeconds = 30
        }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            try await Self.report(h, depth: 0, at: 0)
            // Silent for 41 s > max_listener_lag: held.
            #expect(try await h.pass(at: 41).held == 1)
            let (statuses, currency) = try await h.engine.listenerStatuses()
            #expect(statuses.map(\.listener) == ["host/q"])
            #expect(!currency.isCurrent)
            // A retired listener is forgotten: nothing holds the freeze any more.
            #expect(try await h.engine.forgetListener("host/q"))
            #expect(try await !h.engine.forgetListener("host/q"))
            #expect(try await h.pass(at: 43).fired == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func afterMaxHoldTheFreezeAndItsStopsGoButDeletionsWait(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = {
            $0.freezeActions = FreezeActions(defaultKind: .delete, byType: ["os.nova.server": .stop])
            $0.freezeHold.maxHoldSeconds = 60
        }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            try await h.event(.create, "vol1", type: "os.cinder.volume", ["size": .number("5")], at: 0)
            try await Self.report(h, depth: 50_000, at: 1)
            // Frozen at 10 / 2 per second = 5 s; held from 6.
            #expect(try await h.pass(at: 6).held == 1)
            #expect(try await h.pass(at: 65).held == 1)
            try await Self.report(h, depth: 50_000, at: 66)
            #expect(try await h.pass(at: 67).fired == 1)
            #expect(try await h.engine.user("p1").status == .freeze)
            #expect(try await Self.actions(h).map(\.kind) == [.stop, .delete])
            // The stop goes (its freeze waited max_hold); the volume's deletion waits for current data.
            #expect(try await h.engine.claimCloudActions(limit: 10).map(\.resourceID) == ["vm1"])
            try await Self.report(h, depth: 0, at: 68)
            h.clock.set(H.at(80))
            #expect(try await h.engine.claimCloudActions(limit: 10).map(\.resourceID) == ["vol1"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func theGracePeriodKeepsTheUserWarningAndBilledUntilItEnds(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = {
            $0.freezeAction = .stop
            $0.freezeGraceSeconds = 30
        }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            // Overdrawn at 10 s; frozen 30 s later.
            #expect(try await h.runAt(.freeze) == H.at(40))
            #expect(try await h.engine.user("p1").freezeAt == H.at(40))
            try await h.pass(at: 20)
            var user = try await h.engine.user("p1")
            #expect(user.status == .warning)
            #expect(user.balance == Money(integer: -10))
            // A change during the grace period does not move its start.
            h.clock.set(H.at(25))
            try await h.event(.create, "vm2", ["flavor": .string("half")], at: 25)
            #expect(try await h.runAt(.freeze) == H.at(40))
            #expect(try await h.pass(at: 40).fired == 1)
            user = try await h.engine.user("p1")
            #expect(user.status == .freeze)
            // Billed through the grace period: 10 − 40 − 0.5 × 15.
            #expect(user.balance == (try Money(parsing: "-37.5")))
            #expect(try await Self.actions(h).count == 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func twoStepFreezeStopsThenDeletesAfterTheDelay(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = {
            $0.freezeAction = .stop
            $0.freezeDeleteAfterSeconds = 3600
        }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            try await h.event(.create, "vol1", type: "os.cinder.volume", ["size": .number("5")], at: 0)
            #expect(try await h.pass(at: 6).fired == 1)
            #expect(try await Self.actions(h).map(\.kind) == [.stop])
            #expect(try await h.runAt(.freezeDelete) == H.at(3606))
            // The stop runs.
            for action in try await h.engine.claimCloudActions(limit: 10) {
                try await h.engine.finishCloudAction(action, outcome: .completed(.done("server stopped")))
            }
            #expect(try await h.pass(at: 3606).fired == 1)
            // What was stopped is deleted; the volume (no freeze action) is left.
            #expect(try await Self.actions(h).map { "\($0.resourceID):\($0.kind.rawValue)" } == ["vm1:delete"])
            #expect(try await h.runAt(.freezeDelete) == nil)
            let events = try await h.engine.listEvents(ListQuery(limit: 100)).map(\.action)
            #expect(events.contains("freeze") && events.contains("freeze_delete"))
            let reasons = try await h.dispatch().map(\.reason)
            #expect(reasons.contains(.freeze) && reasons.contains(.freezeDelete))
        }
    }

    @Test(arguments: TestDatabase.available)
    func aRechargeBetweenTheStepsThawsAndCancelsTheDeletion(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = {
            $0.freezeAction = .stop
            $0.freezeDeleteAfterSeconds = 3600
        }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            try await h.pass(at: 11)
            #expect(try await h.engine.user("p1").status == .freeze)
            #expect(try await h.runAt(.freezeDelete) != nil)
            h.clock.set(H.at(100))
            try await h.recharge("p1", "100000")
            #expect(try await h.engine.user("p1").status != .freeze)
            #expect(try await h.runAt(.freezeDelete) == nil)
            #expect(try await Self.actions(h).isEmpty)
            #expect(try await h.pass(at: 3611).fired == 0)
            #expect(try await Self.actions(h).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func whatAFrozenProjectCreatesOrRestartsGetsTheFreezeAction(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = {
            $0.freezeActions = FreezeActions(
                defaultKind: .stop,
                byType: ["os.cinder.volume": .delete, "os.neutron.floatingip": nil]
            )
        }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            try await h.pass(at: 11)
            #expect(try await h.engine.user("p1").status == .freeze)
            for action in try await h.engine.claimCloudActions(limit: 10) {
                try await h.engine.finishCloudAction(action, outcome: .completed(.done("server stopped")))
            }
            #expect(try await Self.actions(h).isEmpty)
            h.clock.set(H.at(20))
            try await h.event(.create, "vm2", at: 20)
            try await h.event(.create, "vol2", type: "os.cinder.volume", ["size": .number("1")], at: 20)
            try await h.event(.create, "fip2", type: "os.neutron.floatingip", [:], at: 20)
            // vm1 started again (power_on is an update).
            try await h.event(.update, "vm1", at: 21)
            // A late event from before the freeze is not a restart.
            try await h.event(.update, "vm1", at: 5)
            #expect(
                try await Self.actions(h).map { "\($0.resourceID):\($0.kind.rawValue)" }
                    == ["vm1:stop", "vm2:stop", "vol2:delete"]
            )
            // Nothing is billed while frozen, for what was created during the freeze too.
            h.clock.set(H.at(1000))
            let user = try await h.engine.user("p1")
            #expect(user.rate.isZero)
            #expect(user.balance == .zero)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aThawRestartsOnlyWhatTheFreezeStopped(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = {
            $0.freezeAction = .stop
            $0.restartOnThaw = true
        }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            try await h.event(.create, "vm2", ["flavor": .string("half")], at: 0)
            try await h.pass(at: 11)
            #expect(try await h.engine.user("p1").status == .freeze)
            for action in try await h.engine.claimCloudActions(limit: 10) {
                // vm2 was already stopped by its owner: Nova's 409.
                let result: CloudActionResult =
                    action.resourceID == "vm1" ? .done("server stopped") : .unchanged("409")
                try await h.engine.finishCloudAction(action, outcome: .completed(result))
            }
            h.clock.set(H.at(30))
            try await h.recharge("p1", "1000")
            #expect(try await h.engine.user("p1").status != .freeze)
            #expect(try await Self.actions(h).map { "\($0.resourceID):\($0.kind.rawValue)" } == ["vm1:start"])
            // A thawed user's restart is carried out (a freeze action of a thawed user would not be).
            let claimed = try await h.engine.claimCloudActions(limit: 10)
            #expect(claimed.map(\.kind) == [.start])
            let stopped = try await h.store.withTransaction { try await $0.stoppedResources(userID: "p1") }
            #expect(stopped.isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func withoutRestartOnThawAThawStartsNothing(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = { $0.freezeAction = .stop }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            try await h.pass(at: 11)
            #expect(try await h.engine.user("p1").status == .freeze)
            for action in try await h.engine.claimCloudActions(limit: 10) {
                try await h.engine.finishCloudAction(action, outcome: .completed(.done("server stopped")))
            }
            h.clock.set(H.at(30))
            try await h.recharge("p1", "1000")
            #expect(try await Self.actions(h).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aListenerIsCaughtUpSinceItsFirstReportWithinTheLimits(_ database: TestDatabase) async throws {
        try await H.with(database) { h in
            try await Self.report(h, depth: 10, at: 1)
            try await Self.report(h, depth: 0, oldest: 2, at: 2)
            var status = try await h.engine.listenerStatuses().statuses[0]
            #expect(status.caughtUpSince == H.at(1))
            #expect(status.reportedAt == H.at(2) && status.oldestHeldSeconds == 2)
            // Out of the limits: no longer caught up; then again from the next report within them.
            try await Self.report(h, depth: 1001, at: 3)
            status = try await h.engine.listenerStatuses().statuses[0]
            #expect(status.caughtUpSince == nil && status.queueDepth == 1001)
            try await Self.report(h, depth: 0, oldest: 61, at: 4)
            #expect(try await h.engine.listenerStatuses().statuses[0].caughtUpSince == nil)
            try await Self.report(h, depth: 0, at: 5)
            #expect(try await h.engine.listenerStatuses().statuses[0].caughtUpSince == H.at(5))
        }
    }

    @Test(arguments: TestDatabase.available)
    func withListenersExpectedNoReportMeansNotCurrent(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = {
            $0.freezeAction = .stop
            $0.freezeHold.expectsListeners = true
        }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            // After an upgrade (or with the listener down): no report yet, so the freeze waits.
            #expect(try await h.pass(at: 11).held == 1)
            try await Self.report(h, depth: 0, at: 12)
            #expect(try await h.pass(at: 18).fired >= 1)
            #expect(try await h.engine.user("p1").status == .freeze)
        }
    }

    @Test(arguments: TestDatabase.available)
    func deletingAndCreatingResourcesDoesNotRestartTheGracePeriod(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = {
            $0.freezeAction = .stop
            $0.freezeGraceSeconds = 30
        }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            #expect(try await h.runAt(.freeze) == H.at(40))
            // Overdrawn since 10: nothing billed for a moment, then a new server.
            h.clock.set(H.at(20))
            try await h.event(.delete, "vm1", at: 20)
            #expect(try await h.runAt(.freeze) == nil)
            h.clock.set(H.at(25))
            try await h.event(.create, "vm2", at: 25)
            #expect(try await h.runAt(.freeze) == H.at(40))
            try await h.pass(at: 40)
            #expect(try await h.engine.user("p1").status == .freeze)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aFreezeAgainCancelsTheThawsRestartsAndRestartsAreNotHeld(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = {
            $0.freezeAction = .stop
            $0.restartOnThaw = true
        }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            try await h.pass(at: 11)
            for action in try await h.engine.claimCloudActions(limit: 10) {
                try await h.engine.finishCloudAction(action, outcome: .completed(.done("server stopped")))
            }
            h.clock.set(H.at(20))
            try await h.recharge("p1", "5")
            #expect(try await Self.actions(h).map(\.kind) == [.start])
            // Frozen again before the restart ran: the restart is cancelled.
            try await h.pass(at: 40)
            #expect(try await h.engine.user("p1").status == .freeze)
            #expect(try await Self.actions(h).map(\.kind) == [.stop])
            for action in try await h.engine.claimCloudActions(limit: 10) {
                try await h.engine.finishCloudAction(action, outcome: .completed(.done("server stopped")))
            }
            // A thaw while a listener is behind: the restart goes at once (it is no freeze action).
            try await Self.report(h, depth: 99_999, at: 50)
            try await h.recharge("p1", "1000")
            #expect(try await h.engine.claimCloudActions(limit: 10).map(\.kind) == [.start])
        }
    }

    @Test(arguments: TestDatabase.available)
    func aStopCarriedOutWhileAThawCancelledItIsUndone(_ database: TestDatabase) async throws {
        let configure: (inout Engine.Configuration) -> Void = {
            $0.freezeAction = .stop
            $0.restartOnThaw = true
        }
        try await H.with(database, configure: configure) { h in
            try await h.prices()
            try await h.recharge("p1", "10")
            try await h.event(.create, "vm1", at: 0)
            try await h.pass(at: 11)
            let inFlight = try await h.engine.claimCloudActions(limit: 10)
            #expect(inFlight.map(\.kind) == [.stop])
            // The thaw comes while the runner is stopping the server: it cancels the action it cannot stop.
            h.clock.set(H.at(12))
            try await h.recharge("p1", "1000")
            #expect(try await Self.actions(h).isEmpty)
            for action in inFlight {
                try await h.engine.finishCloudAction(action, outcome: .completed(.done("server stopped")))
            }
            #expect(try await Self.actions(h).map { "\($0.resourceID):\($0.kind.rawValue)" } == ["vm1:start"])
        }
    }
}
