package import BileanCore
import CoreMetrics
package import Logging
package import ServiceLifecycle

/// bilean-scheduler's job loop: leases the per-user jobs that fall due soon, fires each at its instant, and keeps
/// its leases alive; several schedulers may share one database (each job is leased by one at a time, and a dead
/// scheduler's jobs are taken over when its leases expire).
///
/// Firing is exact and exactly-once: the engine judges each job at the job's own instant (not at the moment it
/// runs) and commits its effect together with its rescheduling, so a job fired late, fired again after a crash, or
/// fired by two schedulers has its effect once.
package final class JobScheduler: Service {
    private let engine: any JobsService
    private let configuration: SchedulerConfiguration
    private let now: @Sendable () -> BillingTime
    private let logger: Logger
    private let state = SchedulerState()
    private let metrics: SchedulerMetrics

    /// What one pass did.
    package struct Pass: Sendable, Hashable {
        /// Jobs leased or renewed.
        package var claimed = 0
        /// Jobs fired.
        package var fired = 0
        /// Jobs found rescheduled or gone.
        package var stale = 0
        /// Jobs held by another scheduler.
        package var ownedElsewhere = 0
        /// Freezes held because the billing data is not current (tried again after the poll interval).
        package var held = 0
        /// Jobs that failed (left for a later pass).
        package var failed = 0
        /// The earliest run time among the jobs still held.
        package var nextDue: BillingTime?
    }

    /// Creates the scheduler.
    /// - Parameters:
    ///   - engine: The engine that runs the jobs.
    ///   - configuration: The settings.
    ///   - now: The clock (injectable: tests drive ``runPass()`` by hand).
    ///   - logger: The logger.
    ///   - metrics: Where the jobs are counted.
    package init(
        engine: any JobsService,
        configuration: SchedulerConfiguration,
        now: @escaping @Sendable () -> BillingTime,
        logger: Logger,
        metrics: SchedulerMetrics = SchedulerMetrics()
    ) {
        self.engine = engine
        self.configuration = configuration
        self.now = now
        self.logger = logger
        self.metrics = metrics
    }

    package func run() async throws {
        self.logger.info(
            "scheduler started",
            metadata: [
                "owner": "\(self.configuration.owner)", "lease_s": "\(self.configuration.leaseSeconds)",
                "look_ahead_s": "\(self.configuration.lookAheadSeconds)",
            ]
        )
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                var pass = Pass()
                do {
                    pass = try await self.runPass()
                } catch is CancellationError {
                    break
                } catch {
                    if Task.isCancelled {
                        // Stopping: the pass was cut short (the store or the RPC gave up on the cancelled call),
                        // which is no failure. What it did not commit is done again by whoever takes the jobs.
                        self.logger.debug("scheduler pass stopped", metadata: ["error": "\(String(reflecting: error))"])
                        break
                    }
                    self.logger.error("scheduler pass failed", metadata: ["error": "\(String(reflecting: error))"])
                }
                try? await Task.sleep(for: self.sleep(after: pass))
            }
        }
        await self.releaseLeases()
        let totals = await self.state.totals
        self.logger.info(
            "scheduler stopped",
            metadata: [
                "fired": "\(totals.fired)", "stale": "\(totals.stale)", "failed": "\(totals.failed)",
                "held": "\(totals.held)",
            ]
        )
    }

    /// Leaves the jobs to another scheduler at once rather than when the leases expire.
    ///
    /// The loop above stops by cancellation, and the service's own task is cancelled too when the group stops
    /// without waiting (a shutdown past its time limit): a call made in a cancelled task fails at once in the store
    /// or the RPC client. The release runs in a task of its own, awaited, which that cancellation does not reach.
    private func releaseLeases() async {
        let engine = self.engine
        let owner = self.configuration.owner
        let release = Task { try await engine.releaseJobs(owner: owner) }
        do {
            try await release.value
        } catch {
            self.logger.warning(
                "could not release the scheduler's leases; they expire after lease_time",
                metadata: ["error": "\(String(reflecting: error))"]
            )
        }
    }

    /// How long to sleep after a pass: until the next held job is due, at most the poll interval.
    private func sleep(after pass: Pass) -> Duration {
        guard let next = pass.nextDue else { return self.configuration.pollInterval }
        let micros = next.microseconds - self.now().microseconds
        let untilNext = Duration.microseconds(max(micros, 0))
        return min(untilNext, self.configuration.pollInterval)
    }

    /// One pass: lease (and renew) the jobs due within the look-ahead, then fire those whose time has come, in
    /// batches of one transaction each. A batch that fails is retried one job at a time, so that one failing job
    /// does not hold back the others; a job that fails alone is retried at later passes.
    /// - Returns: What it did.
    package func runPass() async throws -> Pass {
        var pass = Pass()
        let now = self.now()
        let claimed = try await self.engine.claimJobs(
            owner: self.configuration.owner,
            dueBy: now.adding(seconds: self.configuration.lookAheadSeconds),
            leaseUntil: now.adding(seconds: self.configuration.leaseSeconds),
            limit: self.configuration.claimLimit
        )
        pass.claimed = claimed.count
        if !claimed.isEmpty {
            self.logger.debug(
                "scheduler leased jobs",
                metadata: ["count": "\(claimed.count)", "owner": "\(self.configuration.owner)"]
            )
        }
        let due = await self.state.hold(claimed, dueBy: now)
        self.metrics.jobsDue.set(due.count)
        var start = 0
        while start < due.count {
            let batch = Array(due[start..<min(start + self.configuration.batchSize, due.count)])
            start += batch.count
            do {
                let outcomes = try await self.engine.runJobs(batch, owner: self.configuration.owner)
                await self.record(zip(batch, outcomes), into: &pass)
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                // Stopping: not a failure of these jobs.
                if Task.isCancelled { throw CancellationError() }
                self.logger.warning(
                    "a batch of jobs failed; running them one at a time",
                    metadata: ["jobs": "\(batch.count)", "error": "\(String(reflecting: error))"]
                )
                for job in batch {
                    do {
                        let outcomes = try await self.engine.runJobs([job], owner: self.configuration.owner)
                        await self.record(zip([job], outcomes), into: &pass)
                    } catch is CancellationError {
                        throw CancellationError()
                    } catch {
                        if Task.isCancelled { throw CancellationError() }
                        pass.failed += 1
                        self.metrics.jobs(job.kind.rawValue, "failed").increment()
                        await self.state.postpone(job, until: self.now().adding(seconds: Self.retryAfterFailureSeconds))
                        self.logger.error(
                            "job failed; it is tried again in 30 s",
                            metadata: [
                                "user.id": "\(job.userID)", "job": "\(job.kind.rawValue)",
                                "run_at": "\(job.runAt)", "error": "\(String(reflecting: error))",
                            ]
                        )
                    }
                }
            }
        }
        pass.nextDue = await self.state.nextDue
        await self.state.add(pass)
        return pass
    }

    /// How long a held freeze waits before it is judged again: the poll interval.
    private var holdRecheckMicros: Int64 {
        let (seconds, attoseconds) = self.configuration.pollInterval.components
        return max(seconds * 1_000_000 + attoseconds / 1_000_000_000_000, 1000)
    }

    /// How long a job that failed alone waits before it is tried again.
    static let retryAfterFailureSeconds: Int64 = 30

    private func record(_ results: Zip2Sequence<[Job], [JobOutcome]>, into pass: inout Pass) async {
        for (job, outcome) in results {
            switch outcome {
            case .fired:
                pass.fired += 1
                self.metrics.jobs(job.kind.rawValue, "fired").increment()
                let late = max(0, self.now().microseconds - job.runAt.microseconds)
                self.metrics.lateness(job.kind.rawValue).recordNanoseconds(late * 1000)
                await self.state.drop(job)
            case .stale:
                pass.stale += 1
                self.metrics.jobs(job.kind.rawValue, "stale").increment()
                await self.state.drop(job)
            case .ownedElsewhere:
                pass.ownedElsewhere += 1
                self.metrics.jobs(job.kind.rawValue, "owned_elsewhere").increment()
                await self.state.drop(job)
            case .held:
                pass.held += 1
                self.metrics.jobs(job.kind.rawValue, "held").increment()
                await self.state.postpone(job, until: self.now().adding(microseconds: self.holdRecheckMicros))
            case .notDue:
                break
            }
        }
    }
}

/// The jobs a scheduler holds in memory, by user and kind, and its running totals.
actor SchedulerState {
    private struct Key: Hashable {
        let userID: String
        let kind: Job.Kind
    }

    private var held: [Key: Job] = [:]
    /// Jobs that failed, not tried again before these instants.
    private var postponed: [Key: BillingTime] = [:]
    private(set) var totals = JobScheduler.Pass()

    /// Takes the claimed jobs (a job claimed again replaces the copy held) and returns the held ones due by `now`
    /// (and not postponed after a failure), earliest first.
    func hold(_ claimed: [Job], dueBy now: BillingTime) -> [Job] {
        for job in claimed { self.held[Key(userID: job.userID, kind: job.kind)] = job }
        self.postponed = self.postponed.filter { $0.value > now }
        return self.held.filter { $0.value.runAt <= now && self.postponed[$0.key] == nil }.values.sorted {
            ($0.runAt, $0.userID, $0.kind.rawValue) < ($1.runAt, $1.userID, $1.kind.rawValue)
        }
    }

    /// Keeps a failed job from being tried again before `instant`.
    func postpone(_ job: Job, until instant: BillingTime) {
        self.postponed[Key(userID: job.userID, kind: job.kind)] = instant
    }

    /// Forgets a job (fired, rescheduled, or someone else's).
    func drop(_ job: Job) {
        let key = Key(userID: job.userID, kind: job.kind)
        if self.held[key]?.runAt == job.runAt {
            self.held[key] = nil
            self.postponed[key] = nil
        }
    }

    /// The earliest instant a held job can run (its run time, or the end of its postponement).
    var nextDue: BillingTime? {
        self.held.map { key, job in max(job.runAt, self.postponed[key] ?? job.runAt) }.min()
    }

    /// Adds a pass to the totals.
    func add(_ pass: JobScheduler.Pass) {
        self.totals.claimed += pass.claimed
        self.totals.fired += pass.fired
        self.totals.stale += pass.stale
        self.totals.ownedElsewhere += pass.ownedElsewhere
        self.totals.failed += pass.failed
        self.totals.held += pass.held
    }
}
