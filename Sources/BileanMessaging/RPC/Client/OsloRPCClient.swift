package import AMQP
package import BileanCore
package import Logging
package import NIOCore
import NIOPosix
import Synchronization

/// An RPC client on oslo.messaging's rabbit wire: what `oslo_messaging.get_rpc_client` is to a Python service. It
/// calls Bilean's engine, or any oslo RPC server.
///
/// Many concurrent calls share one connection, one channel and one reply queue (`reply_<uuid hex>`, declared as
/// oslo declares it, kept across reconnections), and each reply finds its call by `_msg_id` (``PendingCalls``).
/// Requests go to the control exchange with routing key `<topic>` (any server), `<topic>.<server>` (one server),
/// or to `<topic>_fanout` (a fanout cast, every server), as oslo sends them, with publisher confirms.
///
/// Unlike oslo:
/// - every request is published `mandatory`: one that no queue takes (nobody ever declared the topic's queue) comes
///   back at once and fails with ``RPCCallError/unreachable(_:)`` instead of timing out. A cast learns it from a
///   *barrier*: an unroutable message published right after it on the same channel, which the broker returns after
///   the cast's own return, if any;
/// - a call's AMQP `expiration` is its remaining timeout, so that the broker drops a request nobody waits for.
///
/// A lost connection is re-established by a supervisor task (started by the first call, ended by ``close()``);
/// calls keep waiting meanwhile (their replies wait in the reply queue), and a request whose confirmation was lost
/// with the connection is published again on the next one (at least once: servers must tolerate a request twice).
/// Call ``close()`` when done.
package final class OsloRPCClient: Sendable {
    private struct LinkState {
        var link = ClientLink()
        var supervisor: Task<Void, Never>?
    }

    let topology: OsloRPCTopology
    let connection: AMQPConnectionConfiguration
    let defaultTimeout: Duration
    let backoff: AMQPBackoff
    let eventLoopGroup: any EventLoopGroup
    let logger: Logger
    /// The reply queue, for the client's lifetime.
    let replyQueue: String
    private let linkState = Mutex(LinkState())
    let calls = Mutex(PendingCalls())

    /// The routing key prefix of the barriers that follow casts (``OsloRPCClient``): no queue has such a name.
    static let barrierPrefix = "bilean-rpc-barrier."

    /// How many times a request the broker refuses (nacks) is published again, each time on a new channel.
    static let nackRetries = 3

    /// Creates a client; it connects on the first call.
    /// - Parameters:
    ///   - connection: The broker.
    ///   - exchange: The control exchange (`[DEFAULT] control_exchange`, `bilean`).
    ///   - topic: The servers' topic (e.g. `bilean-engine`).
    ///   - defaultTimeout: A call's timeout when it names none (`rpc_response_timeout`, 60 s by default).
    ///   - durable: `amqp_durable_queues`: the control exchange is durable (as the servers declare it).
    ///   - quorum: `rabbit_quorum_queue`: the servers' topic queues are quorum queues, which makes the control
    ///     exchange durable too (as oslo, and the servers, declare it).
    ///   - backoff: The delays between reconnection attempts.
    ///   - eventLoopGroup: Where the connection runs.
    ///   - logger: The background logger (reconnections, unexpected replies; never arguments or results).
    package init(
        connection: AMQPConnectionConfiguration,
        exchange: String,
        topic: String,
        defaultTimeout: Duration,
        durable: Bool = false,
        quorum: Bool = false,
        backoff: AMQPBackoff = AMQPBackoff(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.topology = OsloRPCTopology(exchange: exchange, topic: topic, durable: durable, quorum: quorum)
        self.connection = connection
        self.defaultTimeout = defaultTimeout
        self.backoff = backoff
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.replyQueue = OsloRPCTopology.makeReplyQueue()
    }

    /// Calls a method and waits for its result.
    /// - Parameters:
    ///   - namespace: The endpoint's namespace, or `nil` for oslo's default one.
    ///   - version: The version asked for (`M.m`).
    ///   - method: The method.
    ///   - args: Its arguments.
    ///   - context: Who asks (sent as `_context_*`, never a token).
    ///   - server: One server's name, to call it alone (`<topic>.<server>`); `nil`: any server of the topic.
    ///   - timeout: How long to wait for the reply; `nil`: the default timeout.
    /// - Returns: The result.
    /// - Throws: ``RPCCallError``: the server's error, a timeout, or unreachable (no server ever listened on the
    ///   topic, no broker, the client is closed).
    package func call(
        namespace: String?,
        version: String,
        method: String,
        args: [String: JSONValue],
        context: RPCContext,
        server: String? = nil,
        timeout: Duration? = nil
    ) async throws(RPCCallError) -> JSONValue {
        let timeout = timeout ?? self.defaultTimeout
        let start = ContinuousClock.now
        let deadline = start + timeout
        let messageID = OsloRPCTopology.makeID()
        let request = RPCRequest(
            method: method,
            args: args,
            namespace: namespace,
            version: version,
            messageID: messageID,
            replyQueue: self.replyQueue,
            uniqueID: OsloRPCTopology.makeID(),
            context: context
        )
        let body = try Self.body(of: request)
        self.calls.withLock { $0.register(messageID) }
        defer { self.calls.withLock { $0.remove(messageID) } }
        let routingKey = server.map { self.topology.serverQueue(host: $0) } ?? self.topology.sharedQueue
        _ = try await self.publish(
            body,
            exchange: self.topology.exchange,
            routingKey: routingKey,
            deadline: deadline,
            timeout: timeout,
            expires: true
        )
        return try await self.outcome(of: messageID, deadline: deadline, timeout: timeout, start: start).get()
    }

    /// Sends a request without waiting for a result (a cast).
    /// - Parameters:
    ///   - namespace: The endpoint's namespace, or `nil` for oslo's default one.
    ///   - version: The version asked for (`M.m`).
    ///   - method: The method.
    ///   - args: Its arguments.
    ///   - context: Who asks.
    ///   - server: One server's name (`<topic>.<server>`); `nil`: any server of the topic.
    ///   - fanout: Every server of the topic (through `<topic>_fanout`); `server` is then ignored.
    /// - Throws: ``RPCCallError/unreachable(_:)`` when no server listens (the broker returned it), no broker answered
    ///   within the default timeout, or the client is closed. The cast is not handled yet when this returns.
    package func cast(
        namespace: String?,
        version: String,
        method: String,
        args: [String: JSONValue],
        context: RPCContext,
        server: String? = nil,
        fanout: Bool = false
    ) async throws(RPCCallError) {
        let start = ContinuousClock.now
        let deadline = start + self.defaultTimeout
        let uniqueID = OsloRPCTopology.makeID()
        let request = RPCRequest(
            method: method,
            args: args,
            namespace: namespace,
            version: version,
            uniqueID: uniqueID,
            context: context
        )
        let body = try Self.body(of: request)
        self.calls.withLock { $0.register(uniqueID) }
        defer { self.calls.withLock { $0.remove(uniqueID) } }
        let exchange = fanout ? self.topology.fanoutExchange : self.topology.exchange
        let routingKey =
            fanout ? "" : server.map { self.topology.serverQueue(host: $0) } ?? self.topology.sharedQueue
        let generation = try await self.publish(
            body,
            exchange: exchange,
            routingKey: routingKey,
            deadline: deadline,
            timeout: self.defaultTimeout,
            expires: false,
            barrier: uniqueID
        )
        self.calls.withLock { $0.awaitBarrier(uniqueID, generation: generation) }?.run()
        _ = try await self.outcome(of: uniqueID, deadline: deadline, timeout: self.defaultTimeout, start: start).get()
    }

    /// How many servers consume from the topic's shared queue (a passive `queue.declare` on a channel of its own).
    /// - Returns: The count (0 when the queue does not exist: no server ever started), or `nil` when unknown (no
    ///   connection to the broker within a few seconds, or the client is closed).
    package func serverCount() async -> Int? {
        let deadline = ContinuousClock.now + .seconds(5)
        guard let session = try? await self.session(until: deadline, timeout: .seconds(5)) else { return nil }
        do {
            let channel = try await session.connection.openChannel()
            do {
                let state = try await channel.queueDeclare(self.topology.sharedQueue, passive: true)
                try? await channel.close()
                return Int(state.consumerCount)
            } catch let error as AMQPError where error.replyCode == .notFound {
                return 0
            }
        } catch {
            self.logger.info(
                "cannot count the RPC servers",
                metadata: ["rpc.topic": "\(self.topology.topic)", "error": "\(String(reflecting: error))"]
            )
            return nil
        }
    }

    /// Closes the client: waiting calls fail with ``RPCCallError/unreachable(_:)``, the connection closes (the reply
    /// queue expires 30 minutes later). Later calls fail the same way.
    package func close() async {
        let (supervisor, session, waiters) = self.linkState.withLock { state in
            let (session, waiters) = state.link.close()
            defer { state.supervisor = nil }
            return (state.supervisor, session, waiters)
        }
        supervisor?.cancel()
        for waiter in waiters { waiter.resume(returning: nil) }
        let failed = self.calls.withLock { $0.failAll(.unreachable("the RPC client is closed")) }
        for resume in failed { resume.run() }
        await session?.close()
        await supervisor?.value
    }

    // MARK: - Internals

    /// The envelope body of a request.
    private static func body(of request: RPCRequest) throws(RPCCallError) -> String {
        do {
            return try request.body()
        } catch {
            throw .remote(RPCRemoteError(kind: .invalidInput, message: "The arguments cannot be written as JSON."))
        }
    }

    /// Publishes a request on the current connection (waiting for one until `deadline`), waits for the broker's
    /// confirmation, and publishes it again on the next connection when the connection fails first.
    /// - Parameters:
    ///   - body: The envelope.
    ///   - exchange: The exchange.
    ///   - routingKey: The routing key.
    ///   - deadline: When the caller stops waiting.
    ///   - timeout: The caller's timeout (for the error).
    ///   - expires: Set the AMQP expiration to the time left.
    ///   - barrier: For a cast, its id: a barrier follows it.
    /// - Returns: The generation of the connection that took it.
    private func publish(
        _ body: String,
        exchange: String,
        routingKey: String,
        deadline: ContinuousClock.Instant,
        timeout: Duration,
        expires: Bool,
        barrier: String? = nil
    ) async throws(RPCCallError) -> Int {
        let buffer = ByteBuffer(string: body)
        var nacks = 0
        while true {
            let session = try await self.session(until: deadline, timeout: timeout)
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { throw .timeout(timeout) }
            let (channel, serial) = session.publisher.channel
            do {
                if exchange == self.topology.fanoutExchange {
                    let declaration = self.topology.fanoutExchangeDeclaration
                    try await channel.exchangeDeclare(
                        declaration.name,
                        type: declaration.type,
                        durable: declaration.durable,
                        autoDelete: declaration.autoDelete
                    )
                }
                let receipt = try await channel.publish(
                    buffer,
                    exchange: exchange,
                    routingKey: routingKey,
                    mandatory: true,
                    properties: OsloRPCTopology.properties(expiration: expires ? remaining : nil)
                )
                if let barrier {
                    try await channel.publish(
                        ByteBuffer(),
                        exchange: "",
                        routingKey: Self.barrierPrefix + barrier,
                        mandatory: true
                    )
                }
                try await receipt.confirmed()
                return session.generation
            } catch let error as AMQPError where error.code == .publishNacked {
                // See ``PublishChannel``: published again on a new channel (a request published twice is applied
                // once: ingest batches by message id, creations and recharges by their idempotency key; the other
                // calls read or set a state).
                nacks += 1
                if nacks > Self.nackRetries { throw .unreachable("the message broker refused the request") }
                self.logger.warning(
                    "the message broker refused an RPC request; publishing it again on a new channel",
                    metadata: ["rpc.topic": "\(self.topology.topic)", "attempt": "\(nacks)"]
                )
                await self.replacePublishChannel(of: session, serial: serial)
                // A queue electing its leader refuses for a moment: 100, 200, 300 ms before the next try.
                let pause = Duration.milliseconds(100 * nacks)
                if deadline - ContinuousClock.now > pause { try? await Task.sleep(for: pause) }
            } catch let error as AMQPError where error.isConnectionFailure {
                self.logger.info(
                    "the AMQP connection failed before the broker confirmed an RPC request; publishing it again",
                    metadata: ["error": "\(String(reflecting: error))"]
                )
                self.lost(session)
            } catch {
                self.logger.warning(
                    "cannot publish an RPC request",
                    metadata: ["rpc.topic": "\(self.topology.topic)", "error": "\(String(reflecting: error))"]
                )
                self.lost(session)
                throw .unreachable("the message broker did not take the request")
            }
        }
    }

    /// Waits for the outcome of `id` until `deadline`; a cancelled caller gets a timeout with the time it waited.
    private func outcome(
        of id: String,
        deadline: ContinuousClock.Instant,
        timeout: Duration,
        start: ContinuousClock.Instant
    ) async -> PendingCalls.Outcome {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await Task.sleep(until: deadline, clock: .continuous)
                } catch {
                    return
                }
                self.calls.withLock { $0.resolve(id, .failure(.timeout(timeout))) }?.run()
            }
            let outcome = await withTaskCancellationHandler {
                await withCheckedContinuation { (waiter: PendingCalls.Waiter) in
                    if let known = self.calls.withLock({ $0.attach(id, waiter) }) {
                        waiter.resume(returning: known)
                    }
                }
            } onCancel: {
                let waited = ContinuousClock.now - start
                self.calls.withLock { $0.resolve(id, .failure(.timeout(waited))) }?.run()
            }
            group.cancelAll()
            return outcome
        }
    }

    /// The current connection, or the next one (started by the first caller), waiting until `deadline`.
    func session(until deadline: ContinuousClock.Instant, timeout: Duration) async throws(RPCCallError) -> ClientSession
    {
        let waiterID = Mutex<Int?>(nil)
        let session: ClientSession? = await withTaskGroup(of: Void.self) { group in
            let session = await withTaskCancellationHandler {
                await withCheckedContinuation { (waiter: ClientLink.Waiter) in
                    let action = self.linkState.withLock { state -> ClientLink.WantAction in
                        let action = state.link.want(waiter)
                        if case .wait(_, start: true) = action {
                            state.supervisor = Task { await self.supervise() }
                        }
                        return action
                    }
                    switch action {
                    case .ready(let session):
                        waiter.resume(returning: session)
                    case .closed:
                        waiter.resume(returning: nil)
                    case .wait(let id, _):
                        waiterID.withLock { $0 = id }
                        group.addTask {
                            do {
                                try await Task.sleep(until: deadline, clock: .continuous)
                            } catch {
                                return
                            }
                            self.linkState.withLock { $0.link.giveUp(id) }?.resume(returning: nil)
                        }
                        if Task.isCancelled {
                            self.linkState.withLock { $0.link.giveUp(id) }?.resume(returning: nil)
                        }
                    }
                }
            } onCancel: {
                guard let id = waiterID.withLock({ $0 }) else { return }
                self.linkState.withLock { $0.link.giveUp(id) }?.resume(returning: nil)
            }
            group.cancelAll()
            return session
        }
        if let session { return session }
        let (closed, failure) = self.linkState.withLock { ($0.link.isClosed, $0.link.lastFailure) }
        if closed { throw .unreachable("the RPC client is closed") }
        if Task.isCancelled { throw .timeout(timeout) }
        throw .unreachable("cannot reach the message broker" + (failure.map { ": \($0)" } ?? ""))
    }

    /// Runs `body` on the link state, under its lock.
    func withLink<Value>(_ body: (inout ClientLink) -> Value) -> Value {
        self.linkState.withLock { body(&$0.link) }
    }

    /// Forgets a connection on which a publish failed; the supervisor replaces it.
    func lost(_ session: ClientSession) {
        self.linkState.withLock { $0.link.lost(generation: session.generation) }
    }
}
