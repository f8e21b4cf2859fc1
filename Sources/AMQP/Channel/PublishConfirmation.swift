import Synchronization

/// The broker's verdict on one publish in confirm mode, resolved on the event loop and awaited on any thread.
///
/// Not an `EventLoopFuture`: waiting on a future from outside its event loop costs a hop to the loop, and a publisher
/// waits on every confirmation. Here a resolved confirmation is read under a lock, with no hop and no suspension.
final class PublishConfirmation: Sendable {
    private enum State {
        case pending(CheckedContinuation<Void, any Error>?)
        case confirmed
        case failed(AMQPError)
    }

    private let state = Mutex(State.pending(nil))

    init() {}

    /// Waits for the verdict.
    nonisolated(nonsending) func wait() async throws {
        let done: Result<Bool, AMQPError> = self.state.withLock { state in
            switch state {
            case .confirmed: return .success(true)
            case .failed(let error): return .failure(error)
            case .pending: return .success(false)
            }
        }
        switch done {
        case .success(true): return
        case .failure(let error): throw error
        case .success(false): break
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let resolved: Result<Bool, AMQPError> = self.state.withLock { state in
                switch state {
                case .confirmed: return .success(true)
                case .failed(let error): return .failure(error)
                case .pending(let existing):
                    precondition(existing == nil, "a publish receipt is awaited by one task at a time")
                    state = .pending(continuation)
                    return .success(false)
                }
            }
            switch resolved {
            case .success(true): continuation.resume()
            case .failure(let error): continuation.resume(throwing: error)
            case .success(false): break
            }
        }
    }

    /// The broker acked the publish.
    func succeed() {
        self.resolve(.confirmed)
    }

    /// The broker nacked it, or its channel or connection closed first.
    func fail(_ error: AMQPError) {
        self.resolve(.failed(error))
    }

    private func resolve(_ outcome: State) {
        let waiter = self.state.withLock { state -> CheckedContinuation<Void, any Error>? in
            guard case .pending(let waiter) = state else { return nil }
            state = outcome
            return waiter
        }
        guard let waiter else { return }
        switch outcome {
        case .confirmed: waiter.resume()
        case .failed(let error): waiter.resume(throwing: error)
        case .pending: preconditionFailure("resolved with pending")
        }
    }
}
