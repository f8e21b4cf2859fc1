import Synchronization

/// Write transactions that commit together: each member ran inside one SQLite transaction, in a savepoint of its
/// own, and hears its outcome only once the group's commit (one fsync for all) is durable.
final class SQLiteCommitGroup: Sendable {
    private struct State {
        var outcome: Result<Void, any Error>?
        var waiters: [CheckedContinuation<Void, any Error>] = []
    }

    private let state = Mutex(State())

    /// Waits until the group committed (returns) or failed (throws the failure).
    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome = self.state.withLock { state -> Result<Void, any Error>? in
                if state.outcome == nil { state.waiters.append(continuation) }
                return state.outcome
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }

    /// Settles the group: every member waiting, and every later one, hears `outcome`.
    func finish(_ outcome: Result<Void, any Error>) {
        let waiters = self.state.withLock { state in
            state.outcome = outcome
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(with: outcome) }
    }
}
