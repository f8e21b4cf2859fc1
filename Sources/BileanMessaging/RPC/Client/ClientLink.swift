import AMQP

/// The connection an ``OsloRPCClient`` publishes and receives replies on, and who waits for it.
///
/// A pure state machine: each event returns the waiters to resume; the client resumes them after the lock is
/// released. The connection itself is opened, pumped and replaced by the client's supervisor task.
struct ClientLink {
    /// A waiter: resumed with the session, or `nil` when it gave up (deadline, cancellation) or the client closed.
    typealias Waiter = CheckedContinuation<ClientSession?, Never>

    private enum State {
        /// No connection, none being made (before the first call).
        case idle
        /// The supervisor is connecting (again).
        case connecting
        /// A connection is up.
        case ready(ClientSession)
        /// ``OsloRPCClient/close()`` was called.
        case closed
    }

    private var state = State.idle
    private var waiters: [Int: Waiter] = [:]
    private var nextWaiter = 0
    private(set) var generation = 0
    /// Why the last attempt to connect failed, for the callers that give up.
    private(set) var lastFailure: String?

    /// What ``want(_:)`` asks for.
    enum WantAction {
        /// Use this session.
        case ready(ClientSession)
        /// Wait with this id; start the supervisor first when `start` is set.
        case wait(Int, start: Bool)
        /// The client is closed.
        case closed
    }

    /// A caller wants the connection.
    mutating func want(_ waiter: Waiter) -> WantAction {
        switch self.state {
        case .ready(let session) where session.isUsable:
            return .ready(session)
        case .closed:
            return .closed
        case .idle, .connecting, .ready:
            let start: Bool
            if case .idle = self.state {
                self.state = .connecting
                start = true
            } else {
                start = false
            }
            self.nextWaiter += 1
            self.waiters[self.nextWaiter] = waiter
            return .wait(self.nextWaiter, start: start)
        }
    }

    /// A waiter gives up.
    /// - Returns: It, to resume with `nil`, if it still waited.
    mutating func giveUp(_ id: Int) -> Waiter? {
        self.waiters.removeValue(forKey: id)
    }

    /// The generation of the next connection.
    mutating func nextGeneration() -> Int {
        self.generation += 1
        return self.generation
    }

    /// A connection attempt failed.
    mutating func failed(_ reason: String) {
        self.lastFailure = reason
    }

    /// A connection is up.
    /// - Returns: The waiters to resume with it, or `nil` when the client closed meanwhile (close the session).
    mutating func opened(_ session: ClientSession) -> [Waiter]? {
        if case .closed = self.state { return nil }
        self.state = .ready(session)
        self.lastFailure = nil
        defer { self.waiters = [:] }
        return Array(self.waiters.values)
    }

    /// A connection is gone (the supervisor saw it end, or a publish failed on it).
    mutating func lost(generation: Int) {
        if case .ready(let session) = self.state, session.generation == generation {
            self.state = .connecting
        }
    }

    /// The client closes.
    /// - Returns: The session to close, and the waiters to resume with `nil`.
    mutating func close() -> (session: ClientSession?, waiters: [Waiter]) {
        var session: ClientSession?
        if case .ready(let current) = self.state { session = current }
        self.state = .closed
        defer { self.waiters = [:] }
        return (session, Array(self.waiters.values))
    }

    /// Whether the client is closed.
    var isClosed: Bool {
        if case .closed = self.state { return true }
        return false
    }
}

/// One connection of an ``OsloRPCClient``: the channel it publishes on (in confirm mode) and the messages the
/// broker returns there, and the consumer of the reply queue on a channel of its own.
struct ClientSession: Sendable {
    /// Which connection of the client this is (1, 2, …).
    let generation: Int
    let connection: AMQPConnection
    /// The channel the reply consumer runs on.
    let replyChannel: AMQPChannel
    let publisher: PublishChannel
    let replies: AMQPConsumer
    /// The messages the broker returns on the first publishing channel (a replacement's are read by a task of
    /// their own).
    let returns: AsyncStream<AMQPReturnedMessage>

    /// Whether it can still be used.
    var isUsable: Bool {
        !self.connection.isClosed && self.replyChannel.closeError == nil
            && self.publisher.channel.channel.closeError == nil
    }

    /// Closes the connection, ignoring errors.
    func close() async {
        try? await self.connection.close()
    }
}
