import BileanCore
import BileanScheduler
import BileanStore
import InMemoryLogging
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// A stop during the scheduler's work: the pass in flight is cut short without an error, and the leases are
/// released, whether the stop is graceful (SIGTERM) or a cancellation of the whole group.
@Suite("Job scheduler shutdown", .timeLimit(.minutes(1)))
struct JobSchedulerShutdownTests {
    /// Jobs from a store that gives up on a call made in a cancelled task with its own error around the
    /// `CancellationError`, as a driver or the RPC client may (`SQLite statement failed — CancellationError()`).
    final class CancellableJobs: JobsService {
        private let released = Mutex<[String]>([])
        private let claiming: AsyncStream<Void>.Continuation
        /// Yields when a pass has started claiming jobs.
        let claims: AsyncStream<Void>

        init() {
            (self.claims, self.claiming) = AsyncStream.makeStream(of: Void.self)
        }

        /// The owners whose leases were released.
        var releasedOwners: [String] { self.released.withLock { $0 } }

        static func stopped() -> StoreError {
            StoreError(.query, "SQLite statement failed", underlying: CancellationError())
        }

        func claimJobs(
            owner: String,
            dueBy horizon: BillingTime,
            leaseUntil: BillingTime,
            limit: Int
        ) async throws -> [Job] {
            self.claiming.yield()
            // The statement runs until the task is cancelled.
            let never = AsyncStream<Void> { _ in }
            for await _ in never {}
            throw Self.stopped()
        }

        func runJobs(_ jobs: [Job], owner: String) async throws -> [JobOutcome] { [] }

        func releaseJobs(owner: String) async throws {
            guard !Task.isCancelled else { throw Self.stopped() }
            self.released.withLock { $0.append(owner) }
        }

        func pendingNotices(limit: Int) async throws -> [BillingNotice] { [] }
        func releaseNotices(_ ids: [String]) async throws {}
        func deleteNotices(_ ids: [String]) async throws {}
        func claimCloudActions(limit: Int) async throws -> [CloudAction] { [] }
        func finishCloudAction(_ action: CloudAction, outcome: CloudActionOutcome) async throws {}
        func operationalCounts() async throws -> OperationalCounts { OperationalCounts() }
        func reconciliationResources(type: String, after: String?, limit: Int) async throws -> [BilledResource] { [] }
        func markSeen(resourceIDs: [String], at time: BillingTime) async throws {}
        func recordReconciliation(_ run: ReconciliationRun) async throws -> ReconciliationRun { run }
        func claimReconciliation(owner: String, every: Int64, leaseSeconds: Int64) async throws -> Bool { false }
    }

    static func scheduler(_ jobs: CancellableJobs, logs: InMemoryLogHandler) -> JobScheduler {
        JobScheduler(
            engine: jobs,
            configuration: SchedulerConfiguration(owner: "scheduler-a"),
            now: { BillingTime(seconds: 1_700_000_000) },
            logger: Logger(label: "bilean.test") { _ in logs }
        )
    }

    /// What was logged at warning or worse.
    static func problems(_ logs: InMemoryLogHandler) -> [String] {
        logs.entries.filter { $0.level >= .warning }.map { "\($0.level) \($0.message) \($0.metadata)" }
    }

    @Test func aGracefulShutdownMidPassReleasesTheLeasesWithoutAnError() async throws {
        let jobs = CancellableJobs()
        let logs = InMemoryLogHandler()
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [Self.scheduler(jobs, logs: logs)],
                logger: Logger(label: "bilean.test") { _ in logs }
            )
        )
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var claims = jobs.claims.makeAsyncIterator()
            await claims.next()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(jobs.releasedOwners == ["scheduler-a"])
        #expect(Self.problems(logs).isEmpty)
    }

    @Test func aCancelledSchedulerStillReleasesItsLeases() async throws {
        let jobs = CancellableJobs()
        let logs = InMemoryLogHandler()
        let scheduler = Self.scheduler(jobs, logs: logs)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await scheduler.run() }
            var claims = jobs.claims.makeAsyncIterator()
            await claims.next()
            // As a service group does when the graceful shutdown takes too long: the service's task is cancelled.
            tasks.cancelAll()
            try await tasks.waitForAll()
        }
        #expect(jobs.releasedOwners == ["scheduler-a"])
        #expect(Self.problems(logs).isEmpty)
    }
}
