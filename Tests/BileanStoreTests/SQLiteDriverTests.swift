import BileanCore
import BileanStore
import BileanTestSupport
import Foundation
import Synchronization
import Testing

/// The SQLite driver's concurrency: group commit, reads beside the writer, the writer's own thread.
@Suite("SQLite driver")
struct SQLiteDriverTests {
    static func createTable(_ store: SQLBillingStore) async throws {
        try await store.driver.withTransaction { connection in
            try await connection.query("CREATE TABLE driver_test (id INTEGER PRIMARY KEY, label TEXT NOT NULL)")
        }
    }

    static func labels(_ store: SQLBillingStore) async throws -> [String] {
        try await store.driver.withReadTransaction { connection in
            try await connection.query("SELECT label FROM driver_test ORDER BY id")
        }.map { try $0.text("label") }
    }

    static func insert(_ label: String, _ id: Int64, in connection: any SQLConnection) async throws {
        try await connection.query("INSERT INTO driver_test (id, label) VALUES (\(.integer(id)), \(label))")
    }

    /// The name of the current thread (a synchronous function: `Thread.current` is not for async code).
    static func threadName() -> String {
        Thread.current.name ?? ""
    }

    struct Refused: Error {}

    @Test func concurrentWritesAllCommitAndAFailingOneIsUndoneAlone() async throws {
        try await TestDatabase.sqlite.withStore { store in
            try await Self.createTable(store)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for id in Int64(1)...Int64(60) {
                    group.addTask {
                        do {
                            try await store.driver.withTransaction { connection in
                                try await Self.insert("row-\(id)", id, in: connection)
                                // Every seventh fails after writing: only its own row is undone.
                                if id % 7 == 0 { throw Refused() }
                            }
                        } catch is Refused {}
                    }
                }
                try await group.waitForAll()
            }
            let expected = (Int64(1)...Int64(60)).filter { $0 % 7 != 0 }.map { "row-\($0)" }
            #expect(try await Self.labels(store) == expected)
        }
    }

    @Test func membersThatWaitedShareTheFirstOnesTransaction() async throws {
        try await TestDatabase.sqlite.withStore { store in
            try await Self.createTable(store)
            let started = Mutex(false)
            async let first: Void = store.driver.withTransaction { connection in
                started.withLock { $0 = true }
                try await Self.insert("first", 1, in: connection)
                // Hold the writer while the others queue at the gate.
                try await Task.sleep(for: .milliseconds(200))
            }
            while !started.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            let failing = Task {
                try await store.driver.withTransaction { connection in
                    try await Self.insert("undone", 2, in: connection)
                    throw Refused()
                }
            }
            try await Task.sleep(for: .milliseconds(20))
            async let last: Void = store.driver.withTransaction { connection in
                // It sees the first member's row: the same (uncommitted) transaction.
                let rows = try await connection.query("SELECT label FROM driver_test ORDER BY id")
                #expect(try rows.map { try $0.text("label") } == ["first"])
                try await Self.insert("last", 3, in: connection)
            }
            try await first
            await #expect(throws: Refused.self) { try await failing.value }
            try await last
            #expect(try await Self.labels(store) == ["first", "last"])
        }
    }

    @Test func aReadDoesNotWaitForAWriteAndSeesTheLastCommit() async throws {
        try await TestDatabase.sqlite.withStore { store in
            try await Self.createTable(store)
            try await store.driver.withTransaction { try await Self.insert("committed", 1, in: $0) }
            let writing = Mutex(false)
            let release = Mutex(false)
            async let write: Void = store.driver.withTransaction { connection in
                try await Self.insert("pending", 2, in: connection)
                writing.withLock { $0 = true }
                while !release.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            }
            while !writing.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            // The writer holds its transaction open: a read still answers, with the committed state only.
            #expect(try await Self.labels(store) == ["committed"])
            release.withLock { $0 = true }
            try await write
            #expect(try await Self.labels(store) == ["committed", "pending"])
        }
    }

    @Test func aReadTransactionCannotWrite() async throws {
        try await TestDatabase.sqlite.withStore { store in
            try await Self.createTable(store)
            await #expect(throws: StoreError.self) {
                try await store.driver.withReadTransaction { try await Self.insert("no", 1, in: $0) }
            }
            #expect(try await Self.labels(store).isEmpty)
        }
    }

    @Test func aWriteTransactionRunsOnTheWritersThread() async throws {
        try await TestDatabase.sqlite.withStore { store in
            let name = try await store.driver.withTransaction { _ in Self.threadName() }
            // NIOThreadPool names its threads TP-#n; Swift's cooperative threads are not named so.
            #expect(name.hasPrefix("TP-#"), "ran on \(name)")
        }
    }
}
