import BileanCore
import Foundation
package import Logging
import Synchronization

/// The embedded SQLite database: one file in WAL mode, one writer connection and a small pool of read-only
/// connections for read transactions.
///
/// Write transactions go through the writer one at a time, with **group commit**: while one runs, the next ones
/// wait at the gate; each then runs in the same SQLite transaction, in a savepoint of its own (undone alone if it
/// throws), and the last of the group commits for all, so that concurrent writes share one fsync. No member returns
/// before that commit is durable, and a failed commit fails every member. The transaction starts with
/// `BEGIN IMMEDIATE`, so that it holds the write lock from its first statement and cannot fail half-way on a lock
/// upgrade. The whole transaction, from that lock (which may wait for another process) to the commit's fsync, runs
/// on the writer's own thread (``SQLiteWriterExecutor``), which keeps Swift's cooperative threads free. A read
/// transaction (``withReadTransaction(_:)``) runs on a read-only connection of its own: in WAL mode it sees the
/// last commit and never waits behind a write.
package final class SQLiteDriver: SQLDriver {
    package let dialect = SQLDialect.sqlite
    private let writer: SQLiteConnection
    private let readers: SQLiteReaderPool
    /// The writer's thread.
    private let executor: SQLiteWriterExecutor
    private let gate = AsyncSerialGate()
    /// The group whose transaction is open, handed from one gate holder to the next.
    private let openGroup = Mutex<OpenGroup?>(nil)
    private let logger: Logger

    /// The read-only connections opened at most: reads in parallel beside the writer.
    package static let maximumReaders = 4

    private init(writer: SQLiteConnection, readers: SQLiteReaderPool, logger: Logger) {
        self.writer = writer
        self.readers = readers
        self.executor = SQLiteWriterExecutor()
        self.logger = logger
    }

    /// Opens (creating if needed) the database file, with its parent directory.
    /// - Parameters:
    ///   - path: The database file.
    ///   - logger: The logger for database events.
    /// - Returns: The driver.
    /// - Throws: ``StoreError`` when the file cannot be opened.
    package static func open(path: String, logger: Logger) async throws -> SQLiteDriver {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let writer = try SQLiteConnection(path: path)
            do {
                // Readers beside the writer need WAL; a database that cannot use it (e.g. on a network file
                // system) is refused rather than run with readers that block the writer.
                let mode = try writer.query("PRAGMA journal_mode=WAL", []).first?.optionalText("journal_mode")
                guard mode == "wal" else {
                    throw StoreError(
                        .connection,
                        "the SQLite database cannot use WAL mode (journal_mode is \(mode ?? "unknown"))"
                    )
                }
                // FULL: a committed transaction survives a power loss too; the listener acks a message only after it.
                try writer.execute("PRAGMA synchronous=FULL")
                try writer.execute("PRAGMA busy_timeout=10000")
                try writer.execute("PRAGMA foreign_keys=ON")
                try Self.tune(writer)
            } catch {
                writer.close()
                throw error
            }
            let readers = SQLiteReaderPool(path: path, maximum: Self.maximumReaders)
            return SQLiteDriver(writer: writer, readers: readers, logger: logger)
        } catch {
            throw StoreError(.connection, "cannot open the SQLite database", underlying: error)
        }
    }

    /// The page cache of each connection, in KiB (SQLite's default is 2 MiB; 8 MiB keeps a drain's peak RSS
    /// under 100 MiB): the hot part of the users, jobs and
    /// resources tables and their indexes stays in memory instead of being read again for every batch.
    static let cacheKiB = 8192
    /// WAL pages written before a commit checkpoints them into the database file (SQLite's default is 1000): a
    /// page changed by many batches is copied back once, not once per 4 MiB of log.
    static let autocheckpointPages = 4000

    /// Sets a connection's cache and, for the writer, its checkpoint interval.
    static func tune(_ connection: SQLiteConnection) throws(SQLiteError) {
        try connection.execute("PRAGMA cache_size=-\(Self.cacheKiB)")
        try connection.execute("PRAGMA wal_autocheckpoint=\(Self.autocheckpointPages)")
        try connection.execute("PRAGMA temp_store=MEMORY")
    }

    package func withTransaction<Result: Sendable>(
        _ body: (any SQLConnection) async throws -> Result
    ) async throws -> Result {
        await self.gate.enter()
        let (outcome, group, committed) = await withTaskExecutorPreference(self.executor) {
            await self.runMember(body)
        }
        guard let committed else {
            // Handed over: the group's last member commits for this one too.
            let value = try outcome.get()
            try await group.wait()
            return value
        }
        try committed.get()
        return try outcome.get()
    }

    /// Runs one member of a commit group, the gate held, on the writer's thread: opens the group's transaction if
    /// this is the first member, runs `body` in a savepoint, then either hands the open transaction to the next
    /// waiter or ends it. Leaves the gate.
    /// - Returns: What `body` gave, the group, and how the group ended (`nil` when handed over).
    private func runMember<Result: Sendable>(
        _ body: (any SQLConnection) async throws -> Result
    ) async -> (Swift.Result<Result, any Error>, SQLiteCommitGroup, Swift.Result<Void, any Error>?) {
        let handle = Handle(connection: self.writer)
        var group: OpenGroup
        if let open = self.openGroup.withLock({ $0 }) {
            group = open
        } else {
            do {
                try handle.execute("BEGIN IMMEDIATE")
            } catch {
                let failed = SQLiteCommitGroup()
                self.gate.leave()
                return (.failure(error), failed, .failure(error))
            }
            group = OpenGroup()
        }
        group.members += 1
        // The member's work, in a savepoint: kept when it returns, undone when it throws.
        var outcome: Swift.Result<Result, any Error>
        do {
            try handle.execute("SAVEPOINT \(Self.savepoint)")
            outcome = .success(try await body(handle))
        } catch {
            outcome = .failure(error)
        }
        var broken: (any Error)?
        do {
            if case .failure = outcome { try handle.execute("ROLLBACK TO \(Self.savepoint)") }
            try handle.execute("RELEASE \(Self.savepoint)")
            if case .success = outcome { group.writes += 1 }
        } catch {
            // The savepoint could not be taken or closed: SQLite may have rolled the whole transaction back.
            broken = error
        }
        if broken == nil && group.members < Self.maximumGroup && self.gate.hasWaiters {
            // Others are waiting: the next one goes on in this transaction, and the last one commits for all.
            self.openGroup.withLock { $0 = group }
            self.gate.leave()
            return (outcome, group.commit, nil)
        }
        self.openGroup.withLock { $0 = nil }
        let committed = self.end(group, broken: broken)
        self.gate.leave()
        group.commit.finish(committed)
        return (outcome, group.commit, committed)
    }

    /// Ends the open transaction of a group (the gate held): commits it if a member's work is in it, else rolls it
    /// back; a broken one is rolled back and fails.
    private func end(_ group: OpenGroup, broken: (any Error)?) -> Swift.Result<Void, any Error> {
        if broken == nil && group.writes > 0 {
            do {
                try Handle(connection: self.writer).execute("COMMIT")
                return .success(())
            } catch {
                self.rollBack()
                return .failure(error)
            }
        }
        self.rollBack()
        return broken.map { .failure(StoreError(.query, "SQLite transaction failed", underlying: $0)) } ?? .success(())
    }

    private func rollBack() {
        // After a failed COMMIT or statement SQLite may have ended the transaction already: nothing to undo then.
        guard !self.writer.isAutocommit else { return }
        do {
            try self.writer.execute("ROLLBACK")
        } catch {
            self.logger.error("SQLite rollback failed", metadata: ["error": "\(error)"])
        }
    }

    /// The write transaction shared by the members of a commit group; read and set only by the gate's holder.
    private struct OpenGroup: Sendable {
        let commit = SQLiteCommitGroup()
        /// The members that ran in it.
        var members = 0
        /// The members whose work it holds.
        var writes = 0
    }

    /// The most write transactions committed together (the first one's answer waits for the others' work).
    static let maximumGroup = 16
    /// The savepoint around each member of a group.
    static let savepoint = "bilean_member"

    package func withReadTransaction<Result: Sendable>(
        _ body: (any SQLConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await self.readers.take()
        let handle = Handle(connection: connection)
        do {
            try handle.execute("BEGIN")
        } catch {
            self.readers.give(connection, healthy: false)
            throw error
        }
        let result: Result
        do {
            result = try await body(handle)
        } catch {
            // A read has nothing to undo; the connection stays in use only if it left its transaction cleanly.
            let rolledBack = (try? handle.execute("ROLLBACK")) != nil
            self.readers.give(connection, healthy: rolledBack)
            throw error
        }
        do {
            try handle.execute("COMMIT")
        } catch {
            self.readers.give(connection, healthy: false)
            throw error
        }
        self.readers.give(connection, healthy: true)
        return result
    }

    package func close() async throws {
        self.readers.close()
        await self.gate.enter()
        // A group handed to this call (it was the waiter) still commits.
        await withTaskExecutorPreference(self.executor) {
            if let group = self.openGroup.withLock({ $0 }) {
                self.openGroup.withLock { $0 = nil }
                group.commit.finish(self.end(group, broken: nil))
            }
            self.writer.close()
        }
        self.gate.leave()
        try await self.executor.shutdown()
    }

    struct Handle: SQLConnection {
        let connection: SQLiteConnection
        var dialect: SQLDialect { .sqlite }

        func execute(_ sql: String) throws(StoreError) {
            do {
                try self.connection.execute(sql)
            } catch {
                throw StoreError(.query, "SQLite statement failed", underlying: error)
            }
        }

        @discardableResult
        func query(_ statement: SQLStatement) async throws -> [SQLRow] {
            let (sql, binds) = statement.render(for: .sqlite)
            do {
                return try self.connection.query(sql, binds)
            } catch {
                throw StoreError(.query, "SQLite statement failed", underlying: error)
            }
        }

        @discardableResult
        func query(_ statement: SQLStatement, repeatingWith values: [[SQLValue]]) async throws -> [SQLRow] {
            // SQLite's placeholders do not depend on the values, so the text is rendered and looked up once.
            let (sql, _) = statement.render(for: .sqlite)
            do {
                return try self.connection.query(sql, repeatingWith: values)
            } catch {
                throw StoreError(.query, "SQLite statement failed", underlying: error)
            }
        }
    }
}
