import Synchronization

/// The server's requests in flight, bounded: a request is started only once it holds one of the slots, and a
/// graceful shutdown waits until every slot is free again.
///
/// A `Mutex` around a pure ``State`` whose events return what to resume; continuations are resumed after the lock is
/// released.
final class RequestSlots: Sendable {
    /// The slots, and who waits for them. No I/O, no locks.
    struct State {
        private var free: Int
        private let total: Int
        private var nextID = 0
        private var waiters: [(id: Int, continuation: CheckedContinuation<Bool, Never>)] = []
        private var idleWaiters: [CheckedContinuation<Void, Never>] = []

        init(total: Int) {
            self.total = total
            self.free = total
        }

        /// The slots in use.
        var inUse: Int { self.total - self.free }

        /// What ``acquire(_:)`` asks for.
        enum AcquireAction {
            /// A slot is taken: resume the caller with `true`.
            case granted
            /// All are taken: the caller waits with this id.
            case wait(Int)
        }

        /// A caller wants a slot.
        mutating func acquire(_ continuation: CheckedContinuation<Bool, Never>) -> AcquireAction {
            if self.free > 0, self.waiters.isEmpty {
                self.free -= 1
                return .granted
            }
            self.nextID += 1
            self.waiters.append((self.nextID, continuation))
            return .wait(self.nextID)
        }

        /// A waiting caller was cancelled: the continuation to resume with `false`, if it still waited.
        mutating func cancel(_ id: Int) -> CheckedContinuation<Bool, Never>? {
            guard let index = self.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return self.waiters.remove(at: index).continuation
        }

        /// What ``release()`` resumes.
        enum ReleaseAction {
            /// The slot goes to this waiter: resume it with `true`.
            case handOver(CheckedContinuation<Bool, Never>)
            /// Every slot is free now: resume these idle waiters.
            case idle([CheckedContinuation<Void, Never>])
            /// Nothing to resume.
            case none
        }

        /// A slot is given back.
        mutating func release() -> ReleaseAction {
            if !self.waiters.isEmpty {
                return .handOver(self.waiters.removeFirst().continuation)
            }
            self.free += 1
            precondition(self.free <= self.total, "a request slot was released twice")
            if self.free == self.total, !self.idleWaiters.isEmpty {
                defer { self.idleWaiters = [] }
                return .idle(self.idleWaiters)
            }
            return .none
        }

        /// A caller waits until every slot is free: `true` when they are already.
        mutating func waitUntilIdle(_ continuation: CheckedContinuation<Void, Never>) -> Bool {
            if self.free == self.total { return true }
            self.idleWaiters.append(continuation)
            return false
        }
    }

    private let state: Mutex<State>

    /// Creates the slots.
    /// - Parameter count: How many requests may be in flight (at least 1).
    init(count: Int) {
        self.state = Mutex(State(total: max(1, count)))
    }

    /// The requests in flight.
    var inUse: Int { self.state.withLock { $0.inUse } }

    /// Waits for a free slot and takes it.
    /// - Returns: `false` when the task was cancelled first (no slot taken).
    func acquire() async -> Bool {
        let id = Mutex<Int?>(nil)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let action = self.state.withLock { $0.acquire(continuation) }
                switch action {
                case .granted:
                    continuation.resume(returning: true)
                case .wait(let waiter):
                    id.withLock { $0 = waiter }
                    if Task.isCancelled, let cancelled = self.state.withLock({ $0.cancel(waiter) }) {
                        cancelled.resume(returning: false)
                    }
                }
            }
        } onCancel: {
            guard let waiter = id.withLock({ $0 }) else { return }
            self.state.withLock { $0.cancel(waiter) }?.resume(returning: false)
        }
    }

    /// Gives a slot back.
    func release() {
        switch self.state.withLock({ $0.release() }) {
        case .handOver(let waiter): waiter.resume(returning: true)
        case .idle(let waiters):
            for waiter in waiters { waiter.resume() }
        case .none: break
        }
    }

    /// Waits until no request is in flight.
    func waitUntilIdle() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if self.state.withLock({ $0.waitUntilIdle(continuation) }) { continuation.resume() }
        }
    }
}
