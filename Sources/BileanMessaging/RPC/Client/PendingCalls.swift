package import BileanCore

/// The calls and casts of an ``OsloRPCClient`` waiting for their outcome, matched by id: a call by its `_msg_id`
/// (its reply, or its request returned as unroutable), a cast by its `_unique_id` (returned as unroutable, or its
/// barrier returned: see ``OsloRPCClient``).
///
/// A pure state machine: each event returns the waiter to resume, if any, and the client resumes it after the lock
/// is released. An outcome may come before its waiter attaches (a fast reply); the first outcome wins.
package struct PendingCalls {
    /// What a waiter is resumed with.
    package typealias Outcome = Result<JSONValue, RPCCallError>
    /// A waiter.
    package typealias Waiter = CheckedContinuation<Outcome, Never>

    private struct Entry {
        var waiter: Waiter?
        var outcome: Outcome?
        /// An older server's result or failure sent before its `ending` reply.
        var partial: Result<JSONValue, RPCRemoteError>?
        /// For a cast published and confirmed: the connection generation its barrier travels on.
        var barrierGeneration: Int?
    }

    private var entries: [String: Entry] = [:]
    /// The generation of the connection that is up, if one is.
    private var liveGeneration: Int?

    /// Creates an empty table.
    package init() {}

    /// How many calls and casts wait.
    package var count: Int { self.entries.count }

    /// A waiter to resume with an outcome.
    package struct Resume {
        /// The waiter.
        package var waiter: Waiter
        /// Its outcome.
        package var outcome: Outcome

        /// Resumes the waiter.
        package func run() {
            self.waiter.resume(returning: self.outcome)
        }
    }

    /// A call or cast is about to be published: its outcome is recorded from now on.
    /// - Parameter id: Its `_msg_id` (call) or `_unique_id` (cast).
    package mutating func register(_ id: String) {
        self.entries[id] = Entry()
    }

    /// The caller waits for the outcome.
    /// - Returns: The outcome when it is known already (resume at once), or `nil` (the waiter is kept).
    package mutating func attach(_ id: String, _ waiter: Waiter) -> Outcome? {
        guard var entry = self.entries[id] else {
            return .failure(.unreachable("the request is no longer pending"))
        }
        if let outcome = entry.outcome { return outcome }
        precondition(entry.waiter == nil, "an RPC call is awaited by one task")
        entry.waiter = waiter
        self.entries[id] = entry
        return nil
    }

    /// An outcome for `id`, unless it has one: a timeout, a cancellation, a returned request, a closed client.
    /// - Returns: The waiter to resume, if one is attached.
    package mutating func resolve(_ id: String, _ outcome: Outcome) -> Resume? {
        guard var entry = self.entries[id], entry.outcome == nil else { return nil }
        entry.outcome = outcome
        let waiter = entry.waiter
        entry.waiter = nil
        self.entries[id] = entry
        return waiter.map { Resume(waiter: $0, outcome: outcome) }
    }

    /// What a reply did.
    package enum ReplyAction {
        /// The call is answered: resume its waiter, if attached.
        case resolved(Resume?)
        /// A call-monitor heartbeat, or an older server's result before its `ending` reply: keep waiting.
        case kept
        /// No call waits for this `_msg_id` (it timed out, or the reply is a duplicate): drop it.
        case unknown
    }

    /// A reply arrived, as oslo's `ReplyWaiter.wait` reads it: a reply with `ending` ends the call with its result
    /// or failure (or the one received before it); one without keeps waiting.
    package mutating func receive(_ reply: RPCReply) -> ReplyAction {
        guard let id = reply.messageID, var entry = self.entries[id], entry.outcome == nil else { return .unknown }
        if !reply.ending {
            if !reply.isHeartbeat {
                entry.partial = reply.outcome
                self.entries[id] = entry
            }
            return .kept
        }
        var outcome = reply.outcome
        if reply.failure == nil, reply.result == .null, let partial = entry.partial { outcome = partial }
        return .resolved(self.resolve(id, outcome.mapError(RPCCallError.remote)))
    }

    /// A cast's request was confirmed on connection `generation`, and its barrier follows it there.
    /// - Returns: The waiter to resume at once when that connection is already gone (the cast is then taken as
    ///   delivered: the broker confirmed it).
    package mutating func awaitBarrier(_ id: String, generation: Int) -> Resume? {
        guard var entry = self.entries[id] else { return nil }
        guard self.liveGeneration == generation else { return self.resolve(id, .success(.null)) }
        entry.barrierGeneration = generation
        self.entries[id] = entry
        return nil
    }

    /// A connection is up.
    package mutating func connectionOpened(generation: Int) {
        self.liveGeneration = generation
    }

    /// A connection is gone: the casts whose barrier travelled on it are taken as delivered (the broker confirmed
    /// them). Calls keep waiting: their replies wait in the reply queue for the next connection.
    /// - Returns: The waiters to resume.
    package mutating func connectionClosed(generation: Int) -> [Resume] {
        if self.liveGeneration == generation { self.liveGeneration = nil }
        let ids = self.entries.compactMap { id, entry in
            entry.outcome == nil && entry.barrierGeneration == generation ? id : nil
        }
        return ids.compactMap { self.resolve($0, .success(.null)) }
    }

    /// The caller is done with `id`.
    package mutating func remove(_ id: String) {
        self.entries[id] = nil
    }

    /// The client is closed: every waiter gets `error`.
    /// - Returns: The waiters to resume.
    package mutating func failAll(_ error: RPCCallError) -> [Resume] {
        let ids = Array(self.entries.keys)
        return ids.compactMap { self.resolve($0, .failure(error)) }
    }
}
