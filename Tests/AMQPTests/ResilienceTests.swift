import AMQP
import Foundation
import NIOCore
import Synchronization
import Testing

/// What the broker does to a client that this suite does to it for real, on a node of its own: a restart in the
/// middle of consuming and publishing, a frozen broker (dead peer), and a resource alarm (connection.blocked).
@Suite(.enabled(if: TestBroker.isEnabled), .serialized, .timeLimit(.minutes(5)))
struct ResilienceTests {
    static func configuration(_ broker: PrivateBroker, heartbeat: UInt16 = 60) throws -> AMQPConnectionConfiguration {
        AMQPConnectionConfiguration(url: try AMQPURL(broker.url), heartbeat: heartbeat, connectTimeout: .seconds(5))
    }

    /// The issue's test: a broker restart while a consumer drains a durable queue and a publisher keeps publishing.
    /// Every message confirmed to the publisher is delivered to the consumer at least once; none is lost.
    @Test func brokerRestartWhileConsumingAndPublishing() async throws {
        let broker = try await PrivateBroker.start()
        defer { broker.stop() }
        let configuration = try Self.configuration(broker)
        let queue = "resilience.restart"
        let topology = AMQPTopology(queues: [AMQPTopology.Queue(queue, durable: true)])
        let backoff = AMQPBackoff(initial: .milliseconds(100), maximum: .seconds(1))
        let publisher = AMQPReconnectingPublisher(
            configuration: configuration,
            topology: topology,
            backoff: backoff,
            logger: TestBroker.logger
        )
        let persistent = AMQPProperties(deliveryMode: 2)
        let before = 3000
        let during = 1000
        // Published and confirmed before the restart: on disk.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for slice in 0..<10 {
                group.addTask {
                    for index in stride(from: slice, to: before, by: 10) {
                        try await publisher.publish(
                            ByteBuffer(string: "\(index)"),
                            routingKey: queue,
                            properties: persistent
                        )
                    }
                }
            }
            try await group.waitForAll()
        }

        let consumer = AMQPReconnectingConsumer(
            configuration: configuration,
            queue: queue,
            topology: topology,
            prefetchCount: 100,
            backoff: backoff,
            logger: TestBroker.logger
        )
        let total = before + during
        let received = Mutex<(seen: Set<Int>, deliveries: Int, redelivered: Int)>(([], 0, 0))
        let consuming = Task {
            for try await delivery in consumer {
                guard let index = Int(delivery.body.text) else {
                    Issue.record("unexpected body \(delivery.body.text)")
                    continue
                }
                let done = received.withLock { state -> Bool in
                    state.seen.insert(index)
                    state.deliveries += 1
                    if delivery.redelivered { state.redelivered += 1 }
                    return state.seen.count == total
                }
                // The ack of a message whose connection is gone throws: the broker requeued it already.
                try? await delivery.ack()
                if done { break }
                // Slow enough that the restart comes in the middle.
                if index % 50 == 0 { try await Task.sleep(for: .milliseconds(20)) }
            }
        }
        // Wait until the consumer is well under way, then restart the broker.
        while received.withLock({ $0.seen.count }) < 500 {
            try await Task.sleep(for: .milliseconds(20))
        }
        async let publishing: Void = {
            for index in before..<total {
                try await publisher.publish(ByteBuffer(string: "\(index)"), routingKey: queue, properties: persistent)
            }
        }()
        do {
            try await broker.restart()
        } catch {
            // Without a broker the publishes would wait for one forever: close everything, then fail.
            consuming.cancel()
            await consumer.close()
            await publisher.close()
            _ = try? await publishing
            throw error
        }
        try await publishing
        // Every message arrives (at least once) within a minute of the restart.
        let deadline = ContinuousClock.now + .seconds(60)
        while received.withLock({ $0.seen.count }) < total, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let final = received.withLock { $0 }
        print("broker restart: \(total) messages, \(final.deliveries) deliveries, \(final.redelivered) redelivered")
        #expect(final.seen.count == total, "every confirmed message was delivered")
        #expect(final.deliveries >= total)
        consuming.cancel()
        _ = try? await consuming.value
        await consumer.close()
        await publisher.close()
    }

    /// A broker that stops answering (frozen with SIGSTOP) is detected by the heartbeats: the connection fails with
    /// `deadPeer` after two heartbeat intervals, instead of hanging.
    @Test func frozenBrokerIsADeadPeer() async throws {
        let broker = try await PrivateBroker.start()
        defer { broker.stop() }
        let connection = try await AMQPConnection.connect(
            configuration: try Self.configuration(broker, heartbeat: 1),
            logger: TestBroker.logger
        )
        let channel = try await connection.openChannel()
        let queue = try await channel.queueDeclare("", exclusive: true)
        let consumer = try await channel.consume(queue: queue.name)
        let pid = try broker.processID()
        kill(pid, SIGSTOP)
        defer { kill(pid, SIGCONT) }
        let start = ContinuousClock.now
        let error = await #expect(throws: AMQPError.self) { try await connection.closed() }
        let elapsed = ContinuousClock.now - start
        #expect(error?.code == .deadPeer)
        // Detected after 2–2.5 silent intervals; the bound leaves room for a loaded machine (the whole suite runs in
        // parallel on two cores), while a client without dead-peer detection would wait forever.
        #expect(elapsed < .seconds(10), "detected within 2–2.5 heartbeat intervals (+ scheduling)")
        let consumerError = await #expect(throws: AMQPError.self) {
            for try await _ in consumer {}
        }
        #expect(consumerError?.code == .deadPeer)
        #expect(error?.isConnectionFailure == true)
    }

    /// A memory alarm makes the broker block publishing connections (`connection.blocked`): publishes wait, and go
    /// on when the alarm clears (`connection.unblocked`).
    @Test func blockedConnectionHoldsPublishersUntilUnblocked() async throws {
        let broker = try await PrivateBroker.start()
        defer { broker.stop() }
        let connection = try await AMQPConnection.connect(
            configuration: try Self.configuration(broker),
            logger: TestBroker.logger
        )
        let channel = try await connection.openChannel()
        let queue = try await channel.queueDeclare("", exclusive: true)
        try await channel.confirmSelect()
        try await broker.rabbitmqctl(["set_vm_memory_high_watermark", "0"])
        // The broker blocks a connection when it publishes during the alarm.
        let first = try await channel.publish("during the alarm", routingKey: queue.name)
        let deadline = ContinuousClock.now + .seconds(10)
        while !connection.isBlocked, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(connection.isBlocked)
        // A publish now waits (the connection is not writable) instead of queueing without bound.
        let published = Mutex(false)
        let waiting = Task {
            let receipt = try await channel.publish("after the alarm", routingKey: queue.name)
            published.withLock { $0 = true }
            try await receipt.confirmed()
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(published.withLock { $0 } == false)
        try await broker.rabbitmqctl(["set_vm_memory_high_watermark", "0.4"])
        try await waiting.value
        try await first.confirmed()
        #expect(!connection.isBlocked)
        #expect(try await channel.queueDeclare(queue.name, passive: true).messageCount == 2)
        try await connection.close()
    }
}
