import BileanCore
import BileanEngine
import BileanMessaging
import BileanScheduler
import BileanStore
import BileanTestSupport
import Synchronization
import Testing

/// An engine, its scheduler and a hand-set clock over a fresh database: no test sleeps to let time pass.
struct SchedulerHarness {
    static let t0 = BillingTime(seconds: 1_700_000_000)

    let engine: Engine
    let clock: ManualNow
    let store: SQLBillingStore
    let scheduler: JobScheduler
    let notices: RecordingSender

    /// A scheduler over the same database and clock (another process sharing it).
    func scheduler(owner: String) -> JobScheduler {
        var configuration = SchedulerConfiguration(owner: owner)
        configuration.lookAheadSeconds = 60
        configuration.leaseSeconds = 30
        return JobScheduler(
            engine: self.engine,
            configuration: configuration,
            now: self.clock.source,
            logger: TestDatabase.logger
        )
    }

    static func with(
        _ database: TestDatabase,
        configure: (inout Engine.Configuration) -> Void = { _ in },
        _ body: (SchedulerHarness) async throws -> Void
    ) async throws {
        try await database.withStore { store in
            let clock = ManualNow(Self.t0)
            var configuration = Engine.Configuration()
            // Warn 5 s before the money runs out; no daily settlement unless a test asks for it.
            configuration.priorNotifySeconds = 5
            configuration.dailySettlement = nil
            configure(&configuration)
            let engine = Engine(
                store: store,
                configuration: configuration,
                now: clock.source,
                logger: TestDatabase.logger
            )
            var loop = SchedulerConfiguration(owner: "scheduler-a")
            loop.lookAheadSeconds = 60
            loop.leaseSeconds = 30
            let scheduler = JobScheduler(
                engine: engine,
                configuration: loop,
                now: clock.source,
                logger: TestDatabase.logger
            )
            try await body(
                SchedulerHarness(
                    engine: engine,
                    clock: clock,
                    store: store,
                    scheduler: scheduler,
                    notices: RecordingSender()
                )
            )
        }
    }

    /// A policy: flavor `f` at 3600 per hour (1 per second), `half` at 0.5 per second, volumes at 1 per second.
    func prices() async throws {
        let nova = try await self.engine.createRule(
            name: "nova",
            spec: Specs.nova([("f", "3600"), ("half", "1800")]),
            metadata: .object([:])
        )
        let cinder = try await self.engine.createRule(
            name: "cinder",
            spec: Specs.cinder([(1, nil, "3600")]),
            metadata: .object([:])
        )
        _ = try await self.engine.createPolicy(name: "p", ruleIDs: [nova.id, cinder.id], metadata: .object([:]))
    }

    func recharge(_ user: String, _ value: String) async throws {
        _ = try await self.engine.recharge(
            userID: user,
            value: try Money(parsing: value),
            kind: .recharge,
            metadata: .object([:])
        )
    }

    /// A resource event at t0 + `seconds`.
    func event(
        _ action: ResourceEvent.Action,
        _ resource: String,
        user: String = "p1",
        type: String = "os.nova.server",
        _ properties: [String: JSONValue] = ["flavor": .string("f")],
        at seconds: Double
    ) async throws {
        _ = try await self.engine.apply([
            ResourceEvent(
                messageID: "m-\(resource)-\(action.rawValue)-\(seconds)",
                action: action,
                resourceType: type,
                resourceID: resource,
                userID: user,
                properties: properties,
                time: Self.t0.adding(microseconds: Int64(seconds * 1_000_000))
            )
        ])
    }

    /// Sets the clock to t0 + `seconds` and runs one scheduler pass.
    @discardableResult
    func pass(at seconds: Double, _ scheduler: JobScheduler? = nil) async throws -> JobScheduler.Pass {
        self.clock.set(Self.t0.adding(microseconds: Int64(seconds * 1_000_000)))
        return try await (scheduler ?? self.scheduler).runPass()
    }

    func jobs(_ user: String = "p1") async throws -> [Job] {
        try await self.store.withTransaction { try await $0.jobs(userID: user) }
    }

    func runAt(_ kind: Job.Kind, _ user: String = "p1") async throws -> BillingTime? {
        try await self.jobs(user).first { $0.kind == kind }?.runAt
    }

    /// Publishes the outbox to the recording sender and returns what it got so far.
    @discardableResult
    func dispatch() async throws -> [BillingNotice] {
        var configuration = SchedulerConfiguration(owner: "dispatcher")
        configuration.outboxBatch = 7
        try await NoticeDispatcher(
            engine: self.engine,
            sender: self.notices,
            configuration: configuration,
            logger: TestDatabase.logger
        ).dispatch()
        return self.notices.sent
    }

    static func at(_ seconds: Double) -> BillingTime { Self.t0.adding(microseconds: Int64(seconds * 1_000_000)) }
}

/// A notice sender that keeps what it is given, and can be told to fail.
final class RecordingSender: BillingNoticeSender {
    private let state = Mutex<(sent: [BillingNotice], failures: Int)>(([], 0))

    var sent: [BillingNotice] { self.state.withLock { $0.sent } }

    /// The next `count` sends fail.
    func fail(_ count: Int) { self.state.withLock { $0.failures = count } }

    func send(_ notice: BillingNotice) async throws {
        try self.state.withLock { state in
            if state.failures > 0 {
                state.failures -= 1
                throw BileanError(.internalError, "broker unreachable (test)")
            }
            state.sent.append(notice)
        }
    }
}
