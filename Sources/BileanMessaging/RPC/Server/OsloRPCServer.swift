package import AMQP
package import Logging
package import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// An RPC server on oslo.messaging's rabbit wire: what `oslo_messaging.get_rpc_server` is to a Python service, for
/// Bilean's engine. Python `RPCClient`s call it as they call any OpenStack service.
///
/// It declares the control exchange, the shared queue `<topic>`, its own queue `<topic>.<host>` and a fanout queue
/// (``OsloRPCTopology``), and consumes all three on one connection, at most `concurrency` requests at a time (also
/// each consumer's prefetch). Each request goes to its ``RPCEndpoint`` (``RPCDispatcher``); a call's reply (its
/// result, or an ``RPCRemoteError`` as oslo's `failure`) goes to the caller's reply queue, as oslo sends it.
///
/// Deliberately unlike oslo, which acknowledges a request as it receives it, a request is acknowledged only after
/// its reply is published (on the same channel, so the broker has the reply before it drops the request): the
/// request of a server that dies meanwhile goes back to the queue and another server answers it. A caller's
/// expiration (``OsloRPCClient`` sets it to its remaining timeout) makes the broker drop a request nobody waits for.
/// Endpoints must therefore tolerate a request twice (Bilean's state-changing calls carry an idempotency key).
///
/// A lost connection is re-established with backoff, as the notification listener's. A graceful shutdown stops
/// intake (the consumers are cancelled, requests received but not started go back to the queue), finishes the
/// requests in flight and their replies, then closes the connection. Cancelling the task is a hard stop: requests
/// in flight are neither answered nor acknowledged, so the broker delivers them again.
package final class OsloRPCServer: Service, Sendable {
    /// How the server was asked to stop.
    enum StopMode: Sendable {
        /// Finish the requests in flight.
        case graceful
        /// Drop them (the broker redelivers them).
        case immediate
    }

    /// What the serving loop reacts to.
    enum Event: Sendable {
        /// A request arrived.
        case delivery(AMQPDelivery)
        /// A consumer's sequence ended (cancelled, or its connection failed).
        case consumerEnded(queue: String, error: (any Error)?)
        /// A stop was requested.
        case stop
    }

    private struct StopState {
        var mode: StopMode?
        var events: AsyncStream<Event>.Continuation?
    }

    let topology: OsloRPCTopology
    let host: String
    let connection: AMQPConnectionConfiguration
    let dispatcher: RPCDispatcher
    let concurrency: Int
    let logger: Logger
    let backoff: AMQPBackoff
    let eventLoopGroup: any EventLoopGroup
    /// The fanout queue, kept across reconnections (as oslo's consumer keeps its name).
    let fanoutQueue: String
    let slots: RequestSlots
    private let stopState = Mutex(StopState())

    /// Creates a server; it connects when run.
    /// - Parameters:
    ///   - connection: The broker.
    ///   - exchange: The control exchange (`[DEFAULT] control_exchange`, `bilean`).
    ///   - topic: The topic (e.g. `bilean-engine`).
    ///   - host: This server's name (`<topic>.<host>` receives the calls directed to it).
    ///   - endpoints: The namespaces served.
    ///   - concurrency: The most requests in flight, and each consumer's prefetch.
    ///   - durable: `amqp_durable_queues`: a durable control exchange and topic queues.
    ///   - quorum: `rabbit_quorum_queue`: the topic queues `<topic>` and `<topic>.<host>` are quorum queues
    ///     (durable, and so is the control exchange), as oslo declares them.
    ///   - backoff: The delays between reconnection attempts.
    ///   - eventLoopGroup: Where the connection runs.
    ///   - logger: The background logger (requests are logged at debug, failures at warning or error; never
    ///     arguments or results).
    package init(
        connection: AMQPConnectionConfiguration,
        exchange: String,
        topic: String,
        host: String,
        endpoints: [any RPCEndpoint],
        concurrency: Int,
        durable: Bool = false,
        quorum: Bool = false,
        backoff: AMQPBackoff = AMQPBackoff(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger
    ) {
        self.topology = OsloRPCTopology(exchange: exchange, topic: topic, durable: durable, quorum: quorum)
        self.host = host
        self.connection = connection
        self.dispatcher = RPCDispatcher(endpoints: endpoints)
        self.concurrency = max(1, concurrency)
        self.backoff = backoff
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        self.fanoutQueue = self.topology.makeFanoutQueue()
        self.slots = RequestSlots(count: self.concurrency)
    }

    /// Serves until a graceful shutdown (requests in flight finish) or cancellation (they are dropped and
    /// redelivered), reconnecting as long as needed.
    package func run() async {
        self.logger.info(
            "RPC server starting",
            metadata: [
                "rpc.exchange": "\(self.topology.exchange)", "rpc.topic": "\(self.topology.topic)",
                "rpc.host": "\(self.host)", "rpc.concurrency": "\(self.concurrency)",
                "rpc.queue_type": "\(self.topology.quorum ? "quorum" : "classic")",
                "broker": "\(self.connection.url.hosts.map { "\($0.host):\($0.port)" })",
            ]
        )
        await withTaskCancellationHandler {
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { group in
                    await self.serveUntilStopped(group: &group)
                }
            } onGracefulShutdown: {
                self.requestStop(.graceful)
            }
        } onCancel: {
            self.requestStop(.immediate)
        }
        self.logger.info("RPC server stopped", metadata: ["rpc.topic": "\(self.topology.topic)"])
    }

    /// Records a stop request and wakes the serving loop.
    func requestStop(_ mode: StopMode) {
        let events = self.stopState.withLock { state -> AsyncStream<Event>.Continuation? in
            if state.mode == nil || mode == .immediate { state.mode = mode }
            return state.events
        }
        events?.yield(.stop)
    }

    /// How the server was asked to stop, if it was.
    var stopMode: StopMode? { self.stopState.withLock { $0.mode } }

    /// Makes `continuation` the one a stop request wakes; wakes it at once when a stop was requested already.
    func registerEvents(_ continuation: AsyncStream<Event>.Continuation?) {
        let stopped = self.stopState.withLock { state -> Bool in
            state.events = continuation
            return state.mode != nil
        }
        if stopped { continuation?.yield(.stop) }
    }
}
