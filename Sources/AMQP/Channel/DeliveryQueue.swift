import Synchronization

/// The deliveries of one consumer between the event loop, which appends them, and the task that iterates them.
///
/// Built for throughput across threads: the event loop appends a whole read's deliveries and wakes the consumer once
/// per read (``wakeIfNeeded()`` at the end of the read), and the consumer takes everything appended so far in one
/// lock (``nextBatch()``). A consumer that keeps up thus wakes once per read, not once per message. The broker's
/// prefetch bounds how many deliveries wait here.
final class DeliveryQueue: Sendable {
    private struct State {
        var items: [AMQPDelivery] = []
        /// Set once the consumer ended: `nil` error for a normal end.
        var end: (any Error)??
        var waiter: CheckedContinuation<[AMQPDelivery]?, any Error>?
        var cancelled = false
    }

    private let state = Mutex(State())

    init() {}

    /// How many deliveries wait to be taken.
    var count: Int { self.state.withLock { $0.items.count } }

    // MARK: - The event loop

    /// Appends a delivery.
    ///
    /// - Returns: Whether the consumer waits for deliveries: call ``wakeIfNeeded()`` at the end of the read.
    func append(_ delivery: AMQPDelivery) -> Bool {
        self.state.withLock { state in
            guard state.end == nil else { return false }
            state.items.append(delivery)
            return state.waiter != nil && state.items.count == 1
        }
    }

    /// Hands the deliveries appended so far to the waiting consumer, if any.
    func wakeIfNeeded() {
        let (waiter, items) = self.state.withLock {
            state -> (CheckedContinuation<[AMQPDelivery]?, any Error>?, [AMQPDelivery]) in
            guard let waiter = state.waiter, !state.items.isEmpty else { return (nil, []) }
            state.waiter = nil
            let items = state.items
            state.items = []
            return (waiter, items)
        }
        waiter?.resume(returning: items)
    }

    /// Ends the sequence after the deliveries already appended: normally (`error` `nil`) or with `error`.
    func finish(throwing error: (any Error)?) {
        let (waiter, outcome) = self.state.withLock {
            state -> (CheckedContinuation<[AMQPDelivery]?, any Error>?, Result<[AMQPDelivery]?, any Error>) in
            guard state.end == nil else { return (nil, .success(nil)) }
            state.end = .some(error)
            guard let waiter = state.waiter else { return (nil, .success(nil)) }
            state.waiter = nil
            if !state.items.isEmpty {
                let items = state.items
                state.items = []
                return (waiter, .success(items))
            }
            return (waiter, error.map { .failure($0) } ?? .success(nil))
        }
        waiter?.resume(with: outcome)
    }

    // MARK: - The consumer

    /// The deliveries appended since the last call; waits when there are none.
    ///
    /// - Returns: At least one delivery, or `nil` at the end.
    /// - Throws: The error the consumer ended with, after its last delivery.
    nonisolated(nonsending) func nextBatch(onCancel: @escaping @Sendable () -> Void) async throws -> [AMQPDelivery]? {
        if let ready = try self.takeReady() { return ready.isEmpty ? nil : ready }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let outcome: Result<[AMQPDelivery]?, any Error>? = self.state.withLock { state in
                    if !state.items.isEmpty {
                        let items = state.items
                        state.items = []
                        return .success(items)
                    }
                    if let end = state.end {
                        return end.map { .failure($0) } ?? .success(nil)
                    }
                    if state.cancelled { return .success(nil) }
                    state.waiter = continuation
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let waiter = self.state.withLock { state -> CheckedContinuation<[AMQPDelivery]?, any Error>? in
                state.cancelled = true
                let waiter = state.waiter
                state.waiter = nil
                return waiter
            }
            waiter?.resume(returning: nil)
            onCancel()
        }
    }

    /// What is ready without waiting: deliveries, an empty array at the end, `nil` when the consumer must wait.
    func takeReady() throws -> [AMQPDelivery]? {
        let outcome: Result<[AMQPDelivery], any Error>? = self.state.withLock { state in
            if !state.items.isEmpty {
                let items = state.items
                state.items = []
                return .success(items)
            }
            if let end = state.end {
                return end.map { .failure($0) } ?? .success([])
            }
            return nil
        }
        return try outcome?.get()
    }
}
