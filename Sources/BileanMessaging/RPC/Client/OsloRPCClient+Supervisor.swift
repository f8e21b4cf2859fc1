import AMQP
import BileanCore
import Logging
import NIOCore
import Synchronization

extension OsloRPCClient {
    /// The supervisor: connects, hands the connection to the callers, reads replies and returned messages until the
    /// connection ends, and connects again, with backoff, until ``close()`` cancels it.
    func supervise() async {
        var failures = 0
        while !Task.isCancelled {
            if failures > 0 {
                do {
                    try await Task.sleep(for: self.backoff.delay(afterFailures: failures))
                } catch {
                    return
                }
            }
            let generation = self.withLink { $0.nextGeneration() }
            let session: ClientSession
            do {
                session = try await self.openSession(generation: generation)
            } catch {
                if Task.isCancelled { return }
                failures += 1
                self.withLink { $0.failed(String(describing: error)) }
                var metadata: Logger.Metadata = [
                    "rpc.topic": "\(self.topology.topic)", "error": "\(String(reflecting: error))",
                    "attempt": "\(failures)",
                ]
                if let advice = self.topology.declarationAdvice(for: error) { metadata["advice"] = "\(advice)" }
                self.logger.warning("cannot set up the RPC client's AMQP connection; retrying", metadata: metadata)
                continue
            }
            if failures > 0 {
                self.logger.notice(
                    "RPC client connection re-established",
                    metadata: ["rpc.topic": "\(self.topology.topic)", "attempts": "\(failures + 1)"]
                )
            }
            failures = 0
            self.calls.withLock { $0.connectionOpened(generation: generation) }
            guard let waiters = self.withLink({ $0.opened(session) }) else {
                await session.close()
                return
            }
            for waiter in waiters { waiter.resume(returning: session) }
            await self.pump(session)
            self.withLink { $0.lost(generation: generation) }
            for resume in self.calls.withLock({ $0.connectionClosed(generation: generation) }) { resume.run() }
            await session.close()
            if Task.isCancelled { return }
            self.logger.warning("the RPC client's AMQP connection ended; reconnecting")
            failures = 1
        }
    }

    /// Connects: a channel in confirm mode to publish on, the control exchange and the reply queue declared as
    /// oslo declares them, the reply consumer started on a channel of its own.
    func openSession(generation: Int) async throws -> ClientSession {
        let connection = try await AMQPConnection.connect(
            configuration: self.connection,
            eventLoopGroup: self.eventLoopGroup,
            logger: self.logger
        )
        do {
            let channel = try await connection.openChannel()
            try await channel.confirmSelect()
            let exchange = self.topology.controlExchangeDeclaration
            try await channel.exchangeDeclare(
                exchange.name,
                type: exchange.type,
                durable: exchange.durable,
                autoDelete: exchange.autoDelete
            )
            let returns = try await channel.returnedMessages()
            let replyChannel = try await connection.openChannel()
            let queue = OsloRPCTopology.replyQueueDeclaration(self.replyQueue)
            try await replyChannel.queueDeclare(
                queue.name,
                durable: queue.durable,
                exclusive: queue.exclusive,
                autoDelete: queue.autoDelete,
                arguments: queue.arguments
            )
            let replies = try await replyChannel.consume(queue: self.replyQueue, noAck: true)
            return ClientSession(
                generation: generation,
                connection: connection,
                replyChannel: replyChannel,
                publisher: PublishChannel(channel),
                replies: replies,
                returns: returns
            )
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Replaces the publishing channel `serial` of `session`, which the broker refused a request on, with a new
    /// channel of the same connection (see ``PublishChannel``); does nothing when another refused request replaced
    /// it already. When no channel can be opened, the connection is given up (the supervisor connects again).
    func replacePublishChannel(of session: ClientSession, serial: Int) async {
        guard session.publisher.channel.serial == serial else { return }
        do {
            let channel = try await session.connection.openChannel()
            try await channel.confirmSelect()
            let returns = try await channel.returnedMessages()
            guard session.publisher.replace(serial: serial, with: channel) else {
                try? await channel.close()
                return
            }
            // The returns of this channel, until it closes with the connection: unstructured, as the channel
            // outlives the request that opened it (the supervisor's pump reads the first channel's).
            Task { for await returned in returns { self.returned(returned) } }
        } catch {
            self.logger.warning(
                "cannot open a new RPC publishing channel; reconnecting",
                metadata: ["error": "\(String(reflecting: error))"]
            )
            self.lost(session)
            await session.close()
        }
    }

    /// Reads replies and returned messages until the connection ends (or the reply consumer does: the connection
    /// is then closed, and replaced).
    func pump(_ session: ClientSession) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    for try await delivery in session.replies {
                        self.received(delivery)
                    }
                } catch {
                    self.logger.info(
                        "the RPC reply consumer ended",
                        metadata: ["error": "\(String(reflecting: error))"]
                    )
                }
            }
            group.addTask {
                for await returned in session.returns {
                    self.returned(returned)
                }
            }
            await group.next()
            // One ended: the connection is unusable, or the reply queue is gone. Closing it ends the other.
            await session.close()
            await group.waitForAll()
        }
    }

    /// A delivery on the reply queue.
    private func received(_ delivery: AMQPDelivery) {
        let reply: RPCReply
        do {
            reply = try RPCReply(body: delivery.body.readableBytesView)
        } catch {
            self.logger.warning("an RPC reply cannot be read; it is dropped", metadata: ["error": "\(error)"])
            return
        }
        switch self.calls.withLock({ $0.receive(reply) }) {
        case .resolved(let resume):
            resume?.run()
        case .kept:
            break
        case .unknown:
            // oslo logs the same ("No calling threads waiting for msg_id"): a late reply after a timeout, or a
            // duplicate after a redelivery.
            self.logger.info(
                "an RPC reply for no waiting call; it is dropped",
                metadata: ["message.id": "\(reply.messageID ?? "-")"]
            )
        }
    }

    /// A message the broker returned: a request no queue took (nobody ever declared the queue), or a cast's
    /// barrier (everything published before it on the channel has been returned already, if it was).
    func returned(_ message: AMQPReturnedMessage) {
        if message.exchange.isEmpty, message.routingKey.hasPrefix(Self.barrierPrefix) {
            let id = String(message.routingKey.dropFirst(Self.barrierPrefix.count))
            self.calls.withLock { $0.resolve(id, .success(.null)) }?.run()
            return
        }
        guard let request = try? RPCRequest(body: message.body.readableBytesView),
            let id = request.messageID ?? request.uniqueID
        else {
            self.logger.warning(
                "the broker returned a message that is not an RPC request",
                metadata: ["rpc.routing_key": "\(message.routingKey)"]
            )
            return
        }
        let target = message.exchange == self.topology.fanoutExchange ? message.exchange : message.routingKey
        let error = RPCCallError.unreachable(
            "no RPC server listens on \(target) (the broker returned the request: \(message.replyText))"
        )
        self.calls.withLock { $0.resolve(id, .failure(error)) }?.run()
    }
}
