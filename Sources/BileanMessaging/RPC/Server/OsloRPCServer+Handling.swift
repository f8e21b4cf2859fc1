import AMQP
import BileanCore
import Logging
import NIOCore

extension OsloRPCServer {
    /// Handles one request: reads it, runs its endpoint, publishes a call's reply, and only then acknowledges it.
    func handle(_ delivery: AMQPDelivery, on channel: AMQPChannel) async {
        let request: RPCRequest
        do {
            request = try RPCRequest(body: delivery.body.readableBytesView)
        } catch {
            // As oslo does with a message it cannot read: dropped (dead-lettered, if the queue has a policy for it).
            self.logger.warning(
                "an RPC request cannot be read; it is dropped",
                metadata: [
                    "rpc.topic": "\(self.topology.topic)", "rpc.routing_key": "\(delivery.routingKey)",
                    "error": "\(error)",
                ]
            )
            try? await delivery.reject(requeue: false)
            return
        }
        var logger = self.logger
        logger[metadataKey: "rpc.method"] = "\(request.method)"
        logger[metadataKey: "message.id"] = "\(request.messageID ?? request.uniqueID ?? "-")"
        if let requestID = request.context.requestID { logger[metadataKey: "request.id"] = "\(requestID)" }
        logger.debug(
            "RPC request received",
            metadata: ["rpc.namespace": "\(request.namespace ?? "")", "redelivered": "\(delivery.redelivered)"]
        )

        let started = ContinuousClock.now
        let outcome = await self.run(request, on: channel, logger: logger)
        logger.debug(
            "RPC request answered",
            metadata: [
                "duration": "\(ContinuousClock.now - started)",
                "outcome": "\((try? outcome.get()).map { _ in "result" } ?? "failure")",
            ]
        )
        // A hard stop: no reply and no ack, so that the broker gives the request to another server.
        if Task.isCancelled { return }
        if let messageID = request.messageID, let replyQueue = request.replyQueue {
            let reply: RPCReply
            switch outcome {
            case .success(let result):
                reply = RPCReply(messageID: messageID, result: result, uniqueID: OsloRPCTopology.makeID())
            case .failure(let error):
                reply = RPCReply(messageID: messageID, failure: error, uniqueID: OsloRPCTopology.makeID())
            }
            guard await self.publish(reply, to: replyQueue, on: channel, logger: logger) else { return }
        } else if case .failure(let error) = outcome {
            logger.info("an RPC cast failed", metadata: ["error": "\(error)"])
        }
        do {
            try await delivery.ack()
        } catch {
            // The channel is gone: the broker delivers the request again (the reply may then go out twice).
            logger.warning(
                "cannot acknowledge an answered RPC request; it will be delivered again",
                metadata: ["error": "\(String(reflecting: error))"]
            )
        }
    }

    /// Runs the endpoint; for a call whose caller asked for call-monitor heartbeats (`_timeout`), sends one every
    /// half timeout meanwhile, as oslo's dispatcher does.
    private func run(
        _ request: RPCRequest,
        on channel: AMQPChannel,
        logger: Logger
    ) async -> Result<JSONValue, RPCRemoteError> {
        guard let interval = request.heartbeatInterval, let messageID = request.messageID,
            let replyQueue = request.replyQueue
        else {
            return await self.dispatcher.dispatch(request, logger: logger)
        }
        return await withTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    do {
                        try await Task.sleep(for: interval)
                    } catch {
                        return
                    }
                    let heartbeat = RPCReply(messageID: messageID, ending: false, uniqueID: OsloRPCTopology.makeID())
                    guard await self.publish(heartbeat, to: replyQueue, on: channel, logger: logger) else { return }
                }
            }
            let outcome = await self.dispatcher.dispatch(request, logger: logger)
            group.cancelAll()
            return outcome
        }
    }

    /// Publishes a reply to the caller's queue through the default exchange, mandatory (as oslo's
    /// `direct_mandatory_flag`): a reply whose queue is gone comes back and is logged.
    /// - Returns: Whether it went out (`false`: the channel is closed).
    private func publish(
        _ reply: RPCReply,
        to replyQueue: String,
        on channel: AMQPChannel,
        logger: Logger
    ) async -> Bool {
        let body: String
        do {
            body = try reply.body()
        } catch {
            logger.error("an RPC result cannot be written as JSON", metadata: ["error": "\(String(reflecting: error))"])
            let failure = RPCReply(messageID: reply.messageID, failure: .internalError, uniqueID: reply.uniqueID)
            guard let fallback = try? failure.body() else { return false }
            body = fallback
        }
        do {
            try await channel.publish(
                ByteBuffer(string: body),
                exchange: "",
                routingKey: replyQueue,
                mandatory: true,
                properties: OsloRPCTopology.properties()
            )
            return true
        } catch {
            logger.warning(
                "cannot publish an RPC reply; the request will be delivered again",
                metadata: ["error": "\(String(reflecting: error))"]
            )
            return false
        }
    }
}
