import NIOCore
import Synchronization

/// The part of a connection's state that callers on any thread use, behind one lock: the outbox of publishes and
/// acknowledgements, whether the connection may be written to, and why it failed.
///
/// **The outbox.** Publishes and acks are the hot path; they do not travel as one event loop task each. The caller
/// encodes the frames on its own thread and appends them here; only the append that finds the outbox empty schedules
/// a drain on the event loop (``AMQPChannelHandler`` takes everything appended meanwhile, runs it through the state
/// machine, and writes it in one system call). A caller never waits for the event loop, unless the connection is not
/// writable: the socket's buffer is full, the broker blocked it (`connection.blocked`), or more than
/// ``maximumPendingBytes`` wait in the outbox. Then ``waitUntilWritable()`` suspends the caller until it is.
final class ConnectionShared: Sendable {
    /// Something to write, encoded already.
    enum Item: Sendable {
        /// A `basic.publish` with its content frames; `confirm` is completed by the broker's confirmation.
        case publish(channel: UInt16, ByteBuffer, confirm: PublishConfirmation?)
        /// An asynchronous method (`basic.ack`, `basic.nack`, `basic.reject`), encoded by the event loop.
        case send(channel: UInt16, AMQPMethod)
    }

    /// What ``enqueue(_:size:)`` did.
    enum EnqueueResult {
        /// Queued; the caller must schedule the drain (the outbox was empty).
        case scheduleDrain
        /// Queued behind others; a drain is scheduled already.
        case queued
        /// The connection failed or closed: nothing was queued.
        case failed(AMQPError)
    }

    private struct State {
        var isBlocked = false
        var isSocketWritable = true
        var error: AMQPError?
        var frameMax: UInt32 = AMQPFrame.defaultMaximumFrameSize
        var items: [Item] = []
        var pendingBytes = 0
        var drainScheduled = false
        var waiters: [UInt64: CheckedContinuation<Void, any Error>] = [:]
        var nextWaiter: UInt64 = 0

        var isWritable: Bool {
            !self.isBlocked && self.isSocketWritable && self.pendingBytes < ConnectionShared.maximumPendingBytes
        }
    }

    /// The most bytes callers may append before they wait for the event loop to drain the outbox.
    static let maximumPendingBytes = 4 << 20

    private let state = Mutex(State())
    /// The connection's event loop (confirmation promises are made on it).
    let eventLoop: any EventLoop

    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    var isBlocked: Bool { self.state.withLock { $0.isBlocked } }
    var error: AMQPError? { self.state.withLock { $0.error } }
    var frameMax: UInt32 { self.state.withLock { $0.frameMax } }

    func setFrameMax(_ frameMax: UInt32) { self.state.withLock { $0.frameMax = frameMax } }

    // MARK: - Callers

    /// Returns at once while the connection is writable; otherwise waits until it is, or fails.
    ///
    /// - Throws: The connection's ``AMQPError`` when it fails meanwhile; `CancellationError` when the task is
    ///   cancelled while waiting.
    nonisolated(nonsending) func waitUntilWritable() async throws {
        let fastPath: Result<Bool, AMQPError> = self.state.withLock { state in
            if let error = state.error { return .failure(error) }
            return .success(state.isWritable)
        }
        switch fastPath {
        case .failure(let error): throw error
        case .success(true): return
        case .success(false): break
        }
        let id = self.state.withLock { state -> UInt64 in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Bool, any Error> = self.state.withLock { state in
                    if let error = state.error { return .failure(error) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.isWritable { return .success(true) }
                    state.waiters[id] = continuation
                    return .success(false)
                }
                switch outcome {
                case .failure(let error): continuation.resume(throwing: error)
                case .success(true): continuation.resume()
                case .success(false): break
                }
            }
        } onCancel: {
            let continuation = self.state.withLock { $0.waiters.removeValue(forKey: id) }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Appends an encoded item.
    ///
    /// - Parameters:
    ///   - item: The item.
    ///   - size: Its encoded size.
    /// - Returns: Whether the caller schedules the drain, or the connection's error.
    func enqueue(_ item: Item, size: Int) -> EnqueueResult {
        self.state.withLock { state in
            if let error = state.error { return .failed(error) }
            state.items.append(item)
            state.pendingBytes += size
            if state.drainScheduled { return .queued }
            state.drainScheduled = true
            return .scheduleDrain
        }
    }

    // MARK: - The event loop

    /// Takes every queued item; the next append schedules a new drain.
    func takeItems() -> [Item] {
        self.state.withLock { state in
            state.drainScheduled = false
            state.pendingBytes = 0
            let items = state.items
            state.items = []
            return items
        }
    }

    /// Records whether the socket is writable and whether the broker blocks the connection, and lets waiting
    /// callers go on when it is writable.
    func update(isSocketWritable: Bool? = nil, isBlocked: Bool? = nil) {
        let waiters = self.state.withLock { state -> [CheckedContinuation<Void, any Error>] in
            if let isSocketWritable { state.isSocketWritable = isSocketWritable }
            if let isBlocked { state.isBlocked = isBlocked }
            guard state.isWritable, !state.waiters.isEmpty else { return [] }
            let waiters = Array(state.waiters.values)
            state.waiters = [:]
            return waiters
        }
        for waiter in waiters {
            waiter.resume()
        }
    }

    /// The connection failed or closed: later appends fail with `error`, waiting callers throw it.
    ///
    /// - Returns: The items never written, whose confirmations the caller fails.
    func fail(_ error: AMQPError) -> [Item] {
        let (items, waiters) = self.state.withLock { state in
            if state.error == nil { state.error = error }
            let items = state.items
            let waiters = Array(state.waiters.values)
            state.items = []
            state.waiters = [:]
            state.pendingBytes = 0
            return (items, waiters)
        }
        for waiter in waiters {
            waiter.resume(throwing: error)
        }
        return items
    }
}
