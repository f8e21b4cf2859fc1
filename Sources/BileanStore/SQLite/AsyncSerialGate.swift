import Synchronization

/// Lets one task at a time through, in arrival order, without blocking a thread.
///
/// SQLite has one writer; the SQLite driver runs every write transaction on its one writer connection through
/// this gate.
final class AsyncSerialGate: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Waits until the gate is free and takes it.
    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let free = self.state.withLock { state in
                if state.busy {
                    state.waiters.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if free { continuation.resume() }
        }
    }

    /// Whether a task is waiting to enter.
    var hasWaiters: Bool {
        self.state.withLock { !$0.waiters.isEmpty }
    }

    /// Frees the gate, handing it to the next waiter if there is one.
    func leave() {
        let next = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
