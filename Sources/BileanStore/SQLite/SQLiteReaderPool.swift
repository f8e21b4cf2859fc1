import Synchronization

/// The read-only connections of an SQLite database in WAL mode, opened on demand up to a bound, each lent to one
/// read transaction at a time.
///
/// In WAL mode a reader sees the last committed state and neither waits for the writer nor makes it wait, so the
/// API's reads run beside the listener's batch commits. Every connection is `query_only`: a write through one is
/// an error, never a second writer. Taking an idle connection is a lock, not a hop to another executor; a task
/// waits only when every connection is lent.
final class SQLiteReaderPool: Sendable {
    private struct State {
        var idle: [SQLiteConnection] = []
        var opened = 0
        var waiters: [CheckedContinuation<SQLiteConnection, any Error>] = []
        var closed = false
    }

    /// What `take` found to do, decided under the lock.
    private enum Taking {
        case idle(SQLiteConnection)
        case open
        case wait
        case closed
    }

    private let path: String
    private let maximum: Int
    private let state = Mutex(State())

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
        let taking = self.state.withLock { state -> Taking in
            if state.closed { return .closed }
            if let connection = state.idle.popLast() { return .idle(connection) }
            guard state.opened < self.maximum else { return .wait }
            state.opened += 1
            return .open
        }
        switch taking {
        case .idle(let connection): return connection
        case .open: return try self.open()
        case .closed: throw StoreError(.connection, "the SQLite database is closed")
        case .wait: break
        }
        return try await withCheckedThrowingContinuation { continuation in
            // The pool may have changed since the decision: give the waiter what is there now.
            let ready = self.state.withLock { state -> Taking in
                if state.closed { return .closed }
                if let connection = state.idle.popLast() { return .idle(connection) }
                if state.opened < self.maximum {
                    state.opened += 1
                    return .open
                }
                state.waiters.append(continuation)
                return .wait
            }
            switch ready {
            case .idle(let connection): continuation.resume(returning: connection)
            case .open: continuation.resume(with: Result { try self.open() })
            case .closed: continuation.resume(throwing: StoreError(.connection, "the SQLite database is closed"))
            case .wait: break
            }
        }
    }

    /// Gives a connection back (to the longest waiter, if any); one that failed is closed instead, and its room
    /// given to a fresh connection for the next waiter.
    /// - Parameters:
    ///   - connection: The connection taken.
    ///   - healthy: Whether it is still fit for use (its transaction ended cleanly).
    func give(_ connection: SQLiteConnection, healthy: Bool) {
        let (waiter, keep) = self.state.withLock { state -> (CheckedContinuation<SQLiteConnection, any Error>?, Bool) in
            let keep = healthy && !state.closed
            if !keep { state.opened -= 1 }
            if state.closed || state.waiters.isEmpty {
                if keep { state.idle.append(connection) }
                return (nil, keep)
            }
            if !keep { state.opened += 1 }  // the waiter gets a fresh connection in its room
            return (state.waiters.removeFirst(), keep)
        }
        if !keep { connection.close() }
        guard let waiter else { return }
        if keep {
            waiter.resume(returning: connection)
            return
        }
        do {
            waiter.resume(returning: try self.open())
        } catch {
            // No connection can be opened now (e.g. out of file descriptors): every waiter hears it, rather than
            // waiting for a connection that may never be given back.
            waiter.resume(throwing: error)
            let others = self.state.withLock { state in
                defer { state.waiters = [] }
                return state.waiters
            }
            for other in others { other.resume(throwing: error) }
        }
    }

    /// Closes the idle connections (a busy one is closed when given back); waiters fail.
    func close() {
        let (idle, waiters) = self.state.withLock { state in
            state.closed = true
            defer {
                state.opened -= state.idle.count
                state.idle = []
                state.waiters = []
            }
            return (state.idle, state.waiters)
        }
        for waiter in waiters { waiter.resume(throwing: StoreError(.connection, "the SQLite database is closed")) }
        for connection in idle { connection.close() }
    }

    /// Opens a connection in room already counted in `opened` (given back if the opening fails).
    private func open() throws(StoreError) -> SQLiteConnection {
        do {
            let connection = try SQLiteConnection(path: self.path)
            try connection.execute("PRAGMA query_only=ON")
            try connection.execute("PRAGMA busy_timeout=10000")
            try SQLiteDriver.tune(connection)
            return connection
        } catch {
            self.state.withLock { $0.opened -= 1 }
            throw StoreError(.connection, "cannot open an SQLite read connection", underlying: error)
        }
    }
}
