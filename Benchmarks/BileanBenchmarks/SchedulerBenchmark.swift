import BileanCore
import BileanEngine
import BileanScheduler
import BileanStore
import Foundation
import Logging
import Synchronization

/// The scheduler at scale: `users` users with live billing and active notify, freeze and daily jobs, of which `due`
/// have their freeze due at once. Reports the start (first pass over the whole jobs table), the resident memory,
/// the cost of a reschedule (a recharge: lock, O(1) reassessment, jobs rewritten) and the jobs fired per second.
/// Each figure is compared with the same measurement on a small database (`baselineUsers`) in the same run: a ratio
/// near 1 means the cost does not grow with the number of users.
struct SchedulerBenchmark {
    struct Figures {
        var users = 0
        var loadSeconds = 0.0
        var startPassSeconds = 0.0
        var rssDeltaMiB = 0.0
        var rescheduleMicros = 0.0
        var firedPerSecond = 0.0
        var fired = 0
    }

    static let t0 = BillingTime(seconds: 1_800_000_000)

    /// Fills the store with users, one live resource each and three jobs each, in large multi-row statements.
    static func load(_ store: SQLBillingStore, users: Int, due: Int) async throws {
        let rate = Rate.perHour(Money(integer: 1))
        let chunk = 5_000
        var start = 0
        while start < users {
            let range = start..<min(start + chunk, users)
            try await store.withTransaction { transaction in
                var rows: [User] = []
                var resources: [Resource] = []
                var jobs: [Job] = []
                for index in range {
                    let id = "user-\(index)"
                    let billing = ResourceBilling(startedAt: Self.t0, rate: rate, billedUntil: Self.t0)
                    let isDue = index < due
                    rows.append(
                        User(
                            id: id,
                            balance: isDue ? .zero : Money(integer: 1_000_000),
                            rate: rate,
                            accrual: OpenAccrual.contribution(of: billing),
                            status: .active,
                            createdAt: Self.t0
                        )
                    )
                    resources.append(
                        Resource(
                            id: "server-\(index)",
                            userID: id,
                            resourceType: "os.nova.server",
                            properties: ["flavor": .string("m1.small")],
                            billing: billing,
                            createdAt: Self.t0
                        )
                    )
                    // Spread the future jobs over a year; the due ones fall due at t0.
                    let later = Self.t0.adding(seconds: 3600 + Int64(index % 31_536_000))
                    jobs.append(Job(userID: id, kind: .freeze, runAt: isDue ? Self.t0 : later.adding(seconds: 10_800)))
                    jobs.append(Job(userID: id, kind: .notify, runAt: isDue ? Self.t0 : later))
                    jobs.append(Job(userID: id, kind: .daily, runAt: later.adding(seconds: 86_400)))
                }
                try await transaction.insertUsers(rows)
                try await transaction.saveResources(resources)
                try await transaction.insertJobsIfAbsent(jobs)
            }
            start = range.upperBound
        }
    }

    static func residentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let digits = line.filter(\.isNumber)
            return (Double(String(digits)) ?? 0) / 1024
        }
        return 0
    }

    static func measure(_ store: SQLBillingStore, users: Int, due: Int, logger: Logger) async throws -> Figures {
        var figures = Figures()
        figures.users = users
        figures.loadSeconds = try await seconds { try await Self.load(store, users: users, due: due) }
        let now = Mutex(Self.t0.adding(seconds: 1))
        let clock: @Sendable () -> BillingTime = { now.withLock { $0 } }
        var configuration = Engine.Configuration()
        configuration.dailySettlement = .midnight
        let engine = Engine(store: store, configuration: configuration, now: clock, logger: logger)
        var loop = SchedulerConfiguration(owner: "bench")
        loop.batchSize = 200
        loop.claimLimit = 2000
        // Start: the first pass of a scheduler over the whole table, before anything is due (the clock is before
        // t0 for this pass): it leases what falls due within its look-ahead and holds only that in memory.
        now.withLock { $0 = Self.t0.adding(seconds: -3600) }
        let rssBefore = Self.residentMiB()
        let scheduler = JobScheduler(engine: engine, configuration: loop, now: clock, logger: logger)
        figures.startPassSeconds = try await seconds { _ = try await scheduler.runPass() }
        figures.rssDeltaMiB = Self.residentMiB() - rssBefore
        // Reschedules: recharges of users that are not due (each one transaction: lock, reassess in O(1), jobs
        // rewritten).
        now.withLock { $0 = Self.t0.adding(seconds: 1) }
        let count = 1000
        var generator = SystemRandomNumberGenerator()
        let reschedule = try await seconds {
            for _ in 0..<count {
                let index = Int.random(in: due..<users, using: &generator)
                _ = try await engine.recharge(
                    userID: "user-\(index)",
                    value: Money(integer: 1),
                    kind: .recharge,
                    metadata: .object([:])
                )
            }
        }
        figures.rescheduleMicros = reschedule / Double(count) * 1e6
        // Many due at once: every due user's notify and freeze (the freeze settles and stops its server).
        let firing = try await seconds {
            while true {
                let pass = try await scheduler.runPass()
                figures.fired += pass.fired
                if pass.claimed == 0 { break }
            }
        }
        figures.firedPerSecond = Double(figures.fired) / firing
        return figures
    }

    static func run(
        name: String,
        users: Int,
        due: Int,
        postgresURL: String?,
        logger: Logger
    ) async throws {
        /// Measures on a fresh store: a new SQLite file, or a new schema of the PostgreSQL at `postgresURL`.
        func measured(users: Int) async throws -> Figures {
            var figures = Figures()
            if let postgresURL {
                try await BenchmarkStore.withPostgresStore(url: postgresURL, logger: logger) { store in
                    figures = try await Self.measure(store, users: users, due: due, logger: logger)
                }
            } else {
                try await BenchmarkStore.withSQLiteStore(logger: logger) { store in
                    figures = try await Self.measure(store, users: users, due: due, logger: logger)
                }
            }
            return figures
        }
        let baselineUsers = due + 10_000
        let baseline = try await measured(users: baselineUsers)
        let figures = try await measured(users: users)
        print(
            "\(name): scheduler with \(figures.users) users (3 jobs each; \(due) fall due at once), against \(baselineUsers) users"
        )
        print(
            String(
                format: "  load (bulk insert, not the scheduler) %8.1f s            (%.1f s)",
                figures.loadSeconds,
                baseline.loadSeconds
            )
        )
        print(
            String(
                format: "  start: first pass over the jobs      %8.1f ms          (%.1f ms; ratio %.2f)",
                figures.startPassSeconds * 1000,
                baseline.startPassSeconds * 1000,
                figures.startPassSeconds / baseline.startPassSeconds
            )
        )
        print(
            String(
                format: "  resident memory added by the start   %8.1f MiB         (%.1f MiB)",
                figures.rssDeltaMiB,
                baseline.rssDeltaMiB
            )
        )
        print(
            String(
                format: "  reschedule (a recharge, 1 tx)        %8.0f µs          (%.0f µs; ratio %.2f)",
                figures.rescheduleMicros,
                baseline.rescheduleMicros,
                figures.rescheduleMicros / baseline.rescheduleMicros
            )
        )
        print(
            String(
                format: "  jobs fired, %d due at once        %8.0f jobs/s      (%.0f jobs/s; ratio %.2f; fired %d)",
                due,
                figures.firedPerSecond,
                baseline.firedPerSecond,
                figures.firedPerSecond / baseline.firedPerSecond,
                figures.fired
            )
        )
    }
}
