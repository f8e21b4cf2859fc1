import AMQP
import Logging
import NIOCore
import ServiceLifecycle

extension OsloRPCServer {
    /// One connection, its channel and its three consumers.
    struct Session: Sendable {
        let connection: AMQPConnection
        let channel: AMQPChannel
        let consumers: [AMQPConsumer]
        let returns: AsyncStream<AMQPReturnedMessage>

        /// Closes the connection, ignoring errors (its deliveries not acknowledged go back to their queues).
        func close() async {
            try? await self.connection.close()
        }
    }

    /// How a session ended.
    enum SessionEnd {
        /// A stop was requested; for a graceful one, the session's connection still carries the replies of the
        /// requests in flight.
        case stopped
        /// The connection or a consumer failed: connect again.
        case lost
    }

    /// Connects, serves, and connects again after a failure, until a stop. Requests run in `group`, so that a lost
    /// connection does not wait for them; a graceful stop waits for them before closing the last connection.
    func serveUntilStopped(group: inout DiscardingTaskGroup) async {
        var failures = 0
        while self.stopMode == nil, !Task.isCancelled {
            if failures > 0 {
                let delay = self.backoff.delay(afterFailures: failures)
                let slept: Void? = try? await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                guard slept != nil, self.stopMode == nil else { return }
            }
            let session: Session
            do {
                session = try await cancelWhenGracefulShutdown { try await self.openSession() }
            } catch {
                if self.stopMode != nil || Task.isCancelled { return }
                failures += 1
                var metadata: Logger.Metadata = [
                    "rpc.topic": "\(self.topology.topic)", "error": "\(String(reflecting: error))",
                    "attempt": "\(failures)",
                ]
                if let advice = self.topology.declarationAdvice(for: error) { metadata["advice"] = "\(advice)" }
                self.logger.warning("cannot set up the RPC server's AMQP connection; retrying", metadata: metadata)
                continue
            }
            if failures > 0 {
                self.logger.notice(
                    "RPC server connection re-established",
                    metadata: ["rpc.topic": "\(self.topology.topic)", "attempts": "\(failures + 1)"]
                )
            }
            failures = 0
            switch await self.serve(session, group: &group) {
            case .stopped:
                if self.stopMode == .graceful {
                    // The replies of the requests in flight still go out on this connection.
                    await self.slots.waitUntilIdle()
                }
                await session.close()
                return
            case .lost:
                await session.close()
                failures = 1
            }
        }
    }

    /// Connects, declares the topology, and starts the three consumers.
    func openSession() async throws -> Session {
        let connection = try await AMQPConnection.connect(
            configuration: self.connection,
            eventLoopGroup: self.eventLoopGroup,
            logger: self.logger
        )
        do {
            let channel = try await connection.openChannel()
            try await self.topology.serverTopology(host: self.host, fanoutQueue: self.fanoutQueue).declare(on: channel)
            try await channel.qos(prefetchCount: UInt16(clamping: self.concurrency))
            let returns = try await channel.returnedMessages()
            var consumers: [AMQPConsumer] = []
            for queue in [self.topology.sharedQueue, self.topology.serverQueue(host: self.host), self.fanoutQueue] {
                consumers.append(try await channel.consume(queue: queue))
            }
            return Session(connection: connection, channel: channel, consumers: consumers, returns: returns)
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Serves one session until it fails or a stop is requested.
    func serve(_ session: Session, group: inout DiscardingTaskGroup) async -> SessionEnd {
        let (events, continuation) = AsyncStream<Event>.makeStream()
        for (index, consumer) in session.consumers.enumerated() {
            let queue = self.queueLabel(index)
            group.addTask {
                do {
                    for try await delivery in consumer { continuation.yield(.delivery(delivery)) }
                    continuation.yield(.consumerEnded(queue: queue, error: nil))
                } catch {
                    continuation.yield(.consumerEnded(queue: queue, error: error))
                }
            }
        }
        group.addTask {
            for await returned in session.returns {
                // The caller's reply queue is gone (it stopped, or its queue expired): nobody waits for this reply.
                self.logger.warning(
                    "a reply was returned by the broker: the caller's reply queue is gone; the reply is dropped",
                    metadata: [
                        "rpc.reply_queue": "\(returned.routingKey)", "reply_code": "\(returned.replyCode)",
                    ]
                )
            }
        }
        self.registerEvents(continuation)
        defer {
            self.registerEvents(nil)
            continuation.finish()
        }

        var ended = 0
        var draining = false
        for await event in events {
            switch event {
            case .stop:
                switch self.stopMode {
                case .immediate, .none:
                    return .stopped
                case .graceful:
                    guard !draining else { continue }
                    draining = true
                    for consumer in session.consumers {
                        try? await consumer.cancel()
                    }
                }
            case .consumerEnded(let queue, let error):
                ended += 1
                if draining {
                    if ended == session.consumers.count { return .stopped }
                    continue
                }
                if self.stopMode == .immediate { return .stopped }
                self.logger.warning(
                    "an RPC consumer ended; reconnecting",
                    metadata: [
                        "rpc.topic": "\(self.topology.topic)", "rpc.queue": "\(queue)",
                        "error": "\(error.map { String(reflecting: $0) } ?? "none")",
                    ]
                )
                return .lost
            case .delivery(let delivery):
                if draining {
                    // Received but not started: back to the queue, for another server.
                    try? await delivery.nack(requeue: true)
                    continue
                }
                guard await self.slots.acquire() else { return .stopped }
                if self.stopMode != nil {
                    self.slots.release()
                    try? await delivery.nack(requeue: true)
                    continue
                }
                let channel = session.channel
                group.addTask {
                    defer { self.slots.release() }
                    await self.handle(delivery, on: channel)
                }
            }
        }
        // The stream ends only when the task is cancelled.
        return .stopped
    }

    private func queueLabel(_ index: Int) -> String {
        switch index {
        case 0: return self.topology.sharedQueue
        case 1: return self.topology.serverQueue(host: self.host)
        default: return self.fanoutQueue
        }
    }
}
