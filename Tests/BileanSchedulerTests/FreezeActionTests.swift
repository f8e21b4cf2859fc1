import BileanCore
import BileanEngine
import BileanOpenStack
import BileanScheduler
import BileanStore
import BileanTestSupport
import Testing

/// Freezes carried out in the cloud: `[freeze] action = stop | delete` through the real Keystone/Nova/Cinder
/// client (`OpenStackCloud`) against `FakeOpenStack`, a small fake HTTP endpoint: Nova, Cinder and Keystone cannot
/// run on this machine. Failures are injected by the fake (503, 409, 400).
@Suite("Freeze actions")
struct FreezeActionTests {
    typealias H = SchedulerHarness

    static func withCloud(_ body: (FakeOpenStack, FreezeActionRunner.Type) async throws -> Void) async throws {
        let fake = try await FakeOpenStack.start()
        do {
            try await body(fake, FreezeActionRunner.self)
        } catch {
            await fake.shutdown()
            throw error
        }
        await fake.shutdown()
    }

    static func runner(_ h: SchedulerHarness, _ fake: FakeOpenStack) -> FreezeActionRunner {
        let credentials = OpenStackCredentials(
            authURL: fake.authURL,
            username: fake.username,
            password: fake.password,
            projectName: fake.projectName
        )
        return FreezeActionRunner(
            engine: h.engine,
            executor: OpenStackCloud(credentials: credentials, logger: TestDatabase.logger),
            configuration: SchedulerConfiguration(owner: "runner"),
            logger: TestDatabase.logger
        )
    }

    /// Two servers, a volume and a floating IP, frozen at 4 s (1 + 1 + 0.5 per second … see below).
    static func freezeUser(_ h: SchedulerHarness) async throws {
        try await h.prices()
        try await h.recharge("p1", "10")
        try await h.event(.create, "vm1", at: 0)
        try await h.event(.create, "vm2", ["flavor": .string("half")], at: 0)
        try await h.event(.create, "vol1", type: "os.cinder.volume", ["size": .number("5")], at: 0)
        try await h.event(.create, "fip1", type: "os.neutron.floatingip", [:], at: 0)
        // 2.5 per second: 10 lasts 4 s.
        try await h.pass(at: 5)
        #expect(try await h.engine.user("p1").status == .freeze)
        #expect(try await h.engine.user("p1").balance == .zero)
    }

    @Test(arguments: TestDatabase.available)
    func deleteRemovesServersAndVolumesRetryingFailures(_ database: TestDatabase) async throws {
        try await Self.withCloud { fake, _ in
            try await H.with(
                database,
                configure: {
                    $0.freezeAction = .delete
                    $0.cloudActionRetrySeconds = 10
                }
            ) { h in
                for id in ["vm1", "vm2"] { fake.addServer(id) }
                fake.addVolume("vol1")
                fake.addFloatingIP("fip1")
                try await Self.freezeUser(h)
                let pending = try await h.store.withTransaction { try await $0.cloudActions(userID: "p1") }
                #expect(pending.count == 4)
                // The volume is still attached at first (Cinder answers 409), and Nova fails once (503).
                fake.failNext(1, status: 409, onPathContaining: "/volumes/vol1")
                fake.failNext(1, status: 503, onPathContaining: "/servers/vm2")
                let runner = Self.runner(h, fake)
                #expect(try await runner.runDue() == 4)
                #expect(fake.serverState("vm1") == nil)
                #expect(fake.serverState("vm2") == "ACTIVE")
                #expect(fake.volumeExists("vol1"))
                // The two failures wait for their backoff (10 s), then succeed.
                #expect(try await runner.runDue() == 0)
                h.clock.set(H.at(5 + 10))
                #expect(try await runner.runDue() == 2)
                #expect(fake.serverState("vm2") == nil)
                #expect(!fake.volumeExists("vol1"))
                #expect(try await h.store.withTransaction { try await $0.cloudActions(userID: "p1") }.isEmpty)
                let events = try await h.engine.listEvents(ListQuery(limit: 200))
                let freezeEvents = events.filter { $0.action.hasPrefix("freeze_") }
                #expect(freezeEvents.filter { $0.status == "DONE" }.count == 4)
                #expect(freezeEvents.filter { $0.status == "RETRYING" }.count == 2)
                // `action = delete` releases floating IPs (their deletion is their release).
                #expect(freezeEvents.filter { $0.status == "DONE" && $0.objectID == "fip1" }.count == 1)
                #expect(!fake.floatingIPExists("fip1"))
                // One Keystone token served every call.
                #expect(fake.authenticationCount == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func stopStopsServersAndGivesUpOnWhatTheCloudRefuses(_ database: TestDatabase) async throws {
        try await Self.withCloud { fake, _ in
            try await H.with(
                database,
                configure: {
                    $0.freezeAction = .stop
                    $0.cloudActionMaxAttempts = 3
                }
            ) { h in
                fake.addServer("vm1")
                fake.addServer("vm2", state: "SHUTOFF")
                fake.addVolume("vol1")
                try await Self.freezeUser(h)
                // Nova keeps failing for vm1: given up after 3 attempts.
                fake.failNext(3, status: 500, onPathContaining: "/servers/vm1")
                let runner = Self.runner(h, fake)
                // Only servers can be stopped: the volume and the floating IP get no action.
                #expect(try await runner.runDue() == 2)
                for second in [1_000.0, 10_000.0] {
                    h.clock.set(H.at(second))
                    _ = try await runner.runDue()
                }
                #expect(fake.serverState("vm1") == "ACTIVE")
                #expect(fake.serverState("vm2") == "SHUTOFF")
                #expect(fake.volumeExists("vol1"))
                let events = try await h.engine.listEvents(ListQuery(limit: 200)).filter { $0.action == "freeze_stop" }
                #expect(
                    events.filter { $0.objectID == "vm1" && $0.status == "FAILED" && $0.level == .error }.count == 1
                )
                #expect(events.filter { $0.objectID == "vm1" && $0.status == "RETRYING" }.count == 2)
                // Already stopped (409): done; a volume cannot be stopped: it has no action at all.
                #expect(events.contains { $0.objectID == "vm2" && $0.status == "DONE" })
                #expect(!events.contains { $0.objectID == "vol1" })
                #expect(try await h.store.withTransaction { try await $0.cloudActions(userID: "p1") }.isEmpty)
            }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aThawCancelsTheActionsNotCarriedOutYet(_ database: TestDatabase) async throws {
        try await Self.withCloud { fake, _ in
            let configure: (inout Engine.Configuration) -> Void = { $0.freezeAction = .delete }
            try await H.with(database, configure: configure) { h in
                for id in ["vm1", "vm2"] { fake.addServer(id) }
                fake.addVolume("vol1")
                try await Self.freezeUser(h)
                // Nova is down at the first attempt: every server deletion waits for its retry.
                fake.failNext(2, status: 503, onPathContaining: "/servers/")
                let runner = Self.runner(h, fake)
                #expect(try await runner.runDue() == 4)
                #expect(fake.serverState("vm1") == "ACTIVE")
                // The customer pays before the retry: the project is thawed and nothing more is deleted.
                h.clock.set(H.at(6))
                try await h.recharge("p1", "100")
                #expect(try await h.engine.user("p1").status == .active)
                #expect(try await h.store.withTransaction { try await $0.cloudActions(userID: "p1") }.isEmpty)
                h.clock.set(H.at(3600))
                #expect(try await runner.runDue() == 0)
                #expect(fake.serverState("vm1") == "ACTIVE")
                #expect(fake.serverState("vm2") == "ACTIVE")
            }
        }
    }
}
