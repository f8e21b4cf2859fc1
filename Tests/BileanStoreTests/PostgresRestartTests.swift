import BileanCore
import BileanStore
import BileanTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// PostgreSQL crashes (an immediate stop) under a load of transactions and is back 2 s later (issue #15 §3): every
/// transaction in flight ends (committed, or failed with an error), none hangs, and the driver works again.
@Suite(
    .serialized,
    .enabled(if: TestDatabase.postgresURL != nil || TestDatabase.isCI, "needs root and PostgreSQL (as CI has)"),
    .timeLimit(.minutes(3))
)
struct PostgresRestartTests {
    /// The workers' shared counts.
    final class Load: Sendable {
        struct State {
            var stop = false
            var committed = 0
            var failed = 0
            /// When each worker last ended a transaction.
            var lastEnded: [Int: ContinuousClock.Instant] = [:]
            /// Where each worker is.
            var phase: [Int: String] = [:]
        }
        let state = Mutex(State())
    }

    @Test func transactionsInFlightDuringACrashEndAndTheDriverRecovers() async throws {
        let server = try await TestPostgresServer.start()
        do {
            try await Self.crashMidLoad(server)
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
    }

    /// Eight workers in transactions; the server crashes under them and comes back.
    static func crashMidLoad(_ server: TestPostgresServer) async throws {
        var logger = Logger(label: "bilean.test.pg")
        logger.logLevel = .notice
        try await PostgresDriver.withDriver(url: server.url, logger: logger) { driver in
            _ = try await driver.withTransaction { try await $0.query("CREATE TABLE counts (n integer)") }
            let load = Load()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        while !load.state.withLock(\.stop) {
                            do {
                                load.state.withLock { $0.phase[worker] = "begin" }
                                try await driver.withTransaction { connection in
                                    load.state.withLock { $0.phase[worker] = "insert" }
                                    try await connection.query("INSERT INTO counts VALUES (1)")
                                    load.state.withLock { $0.phase[worker] = "sleep" }
                                    try await connection.query("SELECT pg_sleep(0.02)")
                                    load.state.withLock { $0.phase[worker] = "commit" }
                                }
                                load.state.withLock { $0.phase[worker] = "done" }
                                load.state.withLock { $0.committed += 1 }
                            } catch {
                                load.state.withLock { $0.failed += 1 }
                                try await Task.sleep(for: .milliseconds(100))
                            }
                            load.state.withLock { $0.lastEnded[worker] = .now }
                        }
                    }
                }
                try await Task.sleep(for: .seconds(1))
                try await server.restart(down: 2)
                try await Task.sleep(for: .seconds(3))
                load.state.withLock { $0.stop = true }
                let asked = ContinuousClock.now
                // Every worker ends its transaction within 30 s: none hangs on a connection the crash closed.
                while load.state.withLock({ $0.lastEnded.values.filter { $0 >= asked }.count }) < 8
                    && .now < asked + .seconds(30)
                {
                    try await Task.sleep(for: .milliseconds(100))
                }
                let ended = load.state.withLock { $0.lastEnded.filter { $0.value >= asked }.keys.sorted() }
                let phases = load.state.withLock(\.phase)
                #expect(
                    ended.count == 8,
                    "workers still in a transaction: \(Set(0..<8).subtracting(ended).sorted()), phases \(phases)"
                )
                try await group.waitForAll()
            }
            #expect(load.state.withLock(\.failed) > 0, "the crash failed no transaction?")
            // Recovered: it reads again, and every committed insert is there (plus, at most, those whose COMMIT
            // went through but whose answer the crash lost: they count as failed).
            let rows = try await driver.withTransaction { try await $0.query("SELECT count(*) AS n FROM counts") }
            let count = try #require(try rows.first?.integer("n"))
            let (ok, ko) = load.state.withLock { ($0.committed, $0.failed) }
            #expect(count >= Int64(ok) && count <= Int64(ok + ko), "\(count) rows, \(ok) committed, \(ko) failed")
        }
    }
}
