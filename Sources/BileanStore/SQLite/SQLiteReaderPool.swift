import Logging

/// The read-only connections of an SQLite database in WAL mode, opened on demand up to a bound, each lent to one
/// read transaction at a time.
///
/// In WAL mode a reader sees the last committed state and neither waits for the writer nor makes it wait, so the
/// API's reads run beside the listener's batch commits. Every connection is `query_only`: a write through one is
/// an error, never a second writer.
actor SQLiteReaderPool {
    private let path: String
    private let maximum: Int
    private var idle: [SQLiteConnection] = []
    private var opened = 0
    private var waiters: [CheckedContinuation<SQLiteConnection, any Error>] = []
    private var closed = false

    /// Creates an empty pool.
    /// - Parameters:
    ///   - path: The database file (created and in WAL mode already).
    ///   - maximum: The most connections open at once.
    init(path: String, maximum: Int) {
        self.path = path
        self.maximum = max(1, maximum)
    }

    /// Takes an idle connection, opens one if there is room, or waits for one to be given back.
    /// - Throws: ``StoreError`` when the pool is closed or a connection cannot be opened.
    func take() async throws -> SQLiteConnection {
        guard !self.closed else { throw StoreError(.connection, "the SQLite database is closed") }
        if let connection = self.idle.popLast() { return connection }
        if self.opened < self.maximum { return try self.open() }
        return try await withCheckedThrowingContinuation { self.waiters.append($0) }
    }

    /// Gives a connection back (to the longest waiter, if any); one that failed is closed instead, and its room
    /// given to a fresh connection for the next waiter.
    /// - Parameters:
    ///   - connection: The connection taken.
    ///   - healthy: Whether it is still fit for use (its transaction ended cleanly).
    func give(_ connection: SQLiteConnection, healthy: Bool) {
        if healthy && !self.closed {
            if self.waiters.isEmpty {
                self.idle.append(connection)
            } else {
                self.waiters.removeFirst().resume(returning: connection)
            }
            return
        }
        self.opened -= 1
        connection.close()
        guard !self.waiters.isEmpty, !self.closed else { return }
        let waiter = self.waiters.removeFirst()
        do {
            waiter.resume(returning: try self.open())
        } catch {
            waiter.resume(throwing: error)
        }
    }

    /// Closes the idle connections (a busy one is closed when given back); waiters fail.
    func close() {
        self.closed = true
        for waiter in self.waiters {
            waiter.resume(throwing: StoreError(.connection, "the SQLite database is closed"))
        }
        self.waiters = []
        for connection in self.idle { connection.close() }
        self.opened -= self.idle.count
        self.idle = []
    }

    private func open() throws(StoreError) -> SQLiteConnection {
        do {
            let connection = try SQLiteConnection(path: self.path)
            try connection.execute("PRAGMA query_only=ON")
            try connection.execute("PRAGMA busy_timeout=10000")
            try SQLiteDriver.tune(connection)
            self.opened += 1
            return connection
        } catch {
            throw StoreError(.connection, "cannot open an SQLite read connection", underlying: error)
        }
    }
}
