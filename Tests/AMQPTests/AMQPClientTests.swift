import AMQP
import BileanTestSupport
import Foundation
import NIOCore
import NIOSSL
import Testing

/// The client against the real RabbitMQ that scripts/test starts: every operation of the API, with the broker's real
/// answers (no fake server).
@Suite(.enabled(if: TestBroker.isEnabled), .timeLimit(.minutes(3)))
struct AMQPClientTests {
    @Test func publishWithConfirmsConsumeAndAck() async throws {
        try await TestBroker.withChannel { channel in
            let queue = TestBroker.uniqueName("client.basic")
            let state = try await channel.queueDeclare(queue)
            #expect(state.name == queue)
            #expect(state.messageCount == 0)
            try await channel.confirmSelect()
            let properties = AMQPProperties(
                contentType: "text/plain",
                headers: ["index": .int32(7), "name": .string("é ✓")],
                deliveryMode: 2,
                messageID: "m-1"
            )
            let receipt = try await channel.publish("hello", routingKey: queue, properties: properties)
            #expect(receipt.isConfirmed)
            try await receipt.confirmed()
            try await channel.qos(prefetchCount: 10)
            let consumer = try await channel.consume(queue: queue)
            var iterator = consumer.makeAsyncIterator()
            let delivery = try #require(try await iterator.next())
            #expect(delivery.body.text == "hello")
            #expect(delivery.properties == properties)
            #expect(delivery.routingKey == queue)
            #expect(delivery.exchange == "")
            #expect(delivery.redelivered == false)
            #expect(delivery.consumerTag == consumer.consumerTag)
            try await delivery.ack()
            try await consumer.cancel()
            #expect(try await iterator.next() == nil)
            let after = try await channel.queueDeclare(queue, passive: true)
            #expect(after.messageCount == 0)
            try await channel.queueDelete(queue)
        }
    }

    /// Batches: the next delivery and those already received, acknowledged with one `multiple` ack each.
    @Test func batchesOfWhatArrivedTogetherAckedWithOneMultipleAck() async throws {
        let queue = TestBroker.uniqueName("client.batches")
        try await TestBroker.withChannel { channel in
            _ = try await channel.queueDeclare(queue)
            try await channel.confirmSelect()
            var last: AMQPPublishReceipt?
            for index in 0..<300 { last = try await channel.publish("m\(index)", routingKey: queue) }
            try await last?.confirmed()
        }
        let consumer = AMQPReconnectingConsumer(
            configuration: try TestBroker.configuration(),
            queue: queue,
            prefetchCount: 100,
            logger: TestBroker.logger
        )
        var iterator = consumer.makeAsyncIterator()
        var bodies: [String] = []
        var batches = 0
        while bodies.count < 300, let batch = try await iterator.next(upTo: 40) {
            #expect((1...40).contains(batch.count))
            #expect(Set(batch.map { $0.channel.number }).count == 1)
            bodies += batch.map { $0.body.text }
            try await batch.last?.ack(multiple: true)
            batches += 1
        }
        await consumer.close()
        #expect(bodies == (0..<300).map { "m\($0)" })
        #expect(batches < 300)  // deliveries that arrived together came together
        try await TestBroker.withChannel { channel in
            #expect(try await channel.queueDeclare(queue, passive: true).messageCount == 0)
            try await channel.queueDelete(queue)
        }
    }

    /// The issue's test: 100,000 messages published with confirms and consumed with acks, none lost or duplicated.
    @Test func hundredThousandMessagesNoneLostOrDuplicated() async throws {
        let count = 100_000
        try await TestBroker.withConnection { connection in
            let publisher = try await connection.openChannel()
            let consumerChannel = try await connection.openChannel()
            let queue = TestBroker.uniqueName("client.100k")
            try await publisher.queueDeclare(queue, durable: false, autoDelete: false)
            try await publisher.confirmSelect()
            try await consumerChannel.qos(prefetchCount: 500)
            let consumer = try await consumerChannel.consume(queue: queue)

            async let received: [Bool] = {
                var seen = [Bool](repeating: false, count: count)
                var duplicates = 0
                var total = 0
                for try await delivery in consumer {
                    guard let index = Int(delivery.body.text), index >= 0, index < count else {
                        Issue.record("unexpected body \(delivery.body.text)")
                        continue
                    }
                    if seen[index] { duplicates += 1 }
                    seen[index] = true
                    total += 1
                    // Ack every 50th with multiple, as a batching consumer does; the last one acks the rest.
                    if total % 50 == 0 || total == count {
                        try await delivery.ack(multiple: true)
                    }
                    if total == count { break }
                }
                #expect(duplicates == 0)
                return seen
            }()

            var receipts: [AMQPPublishReceipt] = []
            receipts.reserveCapacity(1000)
            for index in 0..<count {
                receipts.append(try await publisher.publish(String(index), routingKey: queue))
                if receipts.count == 1000 {
                    for receipt in receipts { try await receipt.confirmed() }
                    receipts.removeAll(keepingCapacity: true)
                }
            }
            for receipt in receipts { try await receipt.confirmed() }

            let seen = try await received
            #expect(seen.allSatisfy { $0 }, "every message was delivered")
            try await consumer.cancel()
            let state = try await publisher.queueDeclare(queue, passive: true)
            #expect(state.messageCount == 0, "every message was acknowledged")
            try await publisher.queueDelete(queue)
        }
    }

    @Test func fiveMegabyteMessageSplitIntoFrames() async throws {
        try await TestBroker.withConnection { connection in
            #expect(connection.frameMax == 131_072)
            let channel = try await connection.openChannel()
            let queue = TestBroker.uniqueName("client.5mb")
            try await channel.queueDeclare(queue, autoDelete: false)
            try await channel.confirmSelect()
            var body = ByteBuffer()
            var generator = SeededRandomNumberGenerator(seed: 5)
            for _ in 0..<(5 * 1024 * 1024 / 8) {
                body.writeInteger(generator.next())
            }
            try await channel.publish(body, routingKey: queue).confirmed()
            try await channel.publish(body, routingKey: queue).confirmed()

            let fetched = try #require(try await channel.get(queue: queue))
            #expect(fetched.body == body)
            #expect(fetched.messageCount == 1)
            try await fetched.ack()

            let consumer = try await channel.consume(queue: queue)
            for try await delivery in consumer {
                #expect(delivery.body == body)
                try await delivery.ack()
                break
            }
            try await channel.queueDelete(queue)
        }
    }

    @Test func conflictingDeclareIsA406AndTheConnectionLivesOn() async throws {
        try await TestBroker.withConnection { connection in
            let channel = try await connection.openChannel()
            let exchange = TestBroker.uniqueName("client.conflict")
            try await channel.exchangeDeclare(exchange, type: "direct", autoDelete: true)
            let error = await #expect(throws: AMQPError.self) {
                try await channel.exchangeDeclare(exchange, type: "fanout", autoDelete: true)
            }
            #expect(error?.code == .channelClosed)
            #expect(error?.replyCode == .preconditionFailed)
            #expect(error?.replyText?.contains("inequivalent arg 'type'") == true)
            // The channel is closed, with that reason, for every later call.
            let later = await #expect(throws: AMQPError.self) { try await channel.queueDeclare("", exclusive: true) }
            #expect(later?.replyCode == .preconditionFailed)
            #expect(channel.closeError?.replyCode == .preconditionFailed)
            // The connection and a new channel work.
            #expect(!connection.isClosed)
            let second = try await connection.openChannel()
            try await second.exchangeDeclare(exchange, type: "direct", passive: true)
            try await second.exchangeDelete(exchange)
            let missing = await #expect(throws: AMQPError.self) {
                try await second.queueDeclare(TestBroker.uniqueName("client.missing"), passive: true)
            }
            #expect(missing?.replyCode == .notFound)
            let third = try await connection.openChannel()
            try await third.close()
            try await third.close()
        }
    }

    @Test func mandatoryPublishIsReturnedAndConfirmed() async throws {
        try await TestBroker.withChannel { channel in
            let exchange = TestBroker.uniqueName("client.return")
            try await channel.exchangeDeclare(exchange, type: "direct", autoDelete: false)
            try await channel.confirmSelect()
            let returns = try await channel.returnedMessages()
            let receipt = try await channel.publish(
                "nobody",
                exchange: exchange,
                routingKey: "no.queue",
                mandatory: true,
                properties: AMQPProperties(messageID: "lost-1")
            )
            try await receipt.confirmed()
            var iterator = returns.makeAsyncIterator()
            let returned = try #require(await iterator.next())
            #expect(returned.replyCode == .noRoute)
            #expect(returned.exchange == exchange)
            #expect(returned.routingKey == "no.queue")
            #expect(returned.body.text == "nobody")
            #expect(returned.properties.messageID == "lost-1")
            try await channel.exchangeDelete(exchange)
        }
    }

    /// A queue that refuses publishes beyond its length makes the broker nack them: a real `basic.nack`.
    @Test func publishRefusedByTheBrokerIsNacked() async throws {
        try await TestBroker.withChannel { channel in
            let queue = TestBroker.uniqueName("client.nack")
            try await channel.queueDeclare(
                queue,
                arguments: ["x-max-length": .int32(1), "x-overflow": .string("reject-publish")]
            )
            try await channel.confirmSelect()
            try await channel.publish("first", routingKey: queue).confirmed()
            let refused = try await channel.publish("second", routingKey: queue)
            #expect(refused.isConfirmed)
            let error = await #expect(throws: AMQPError.self) { try await refused.confirmed() }
            #expect(error?.code == .publishNacked)
            // The channel lives on.
            try await channel.queuePurge(queue)
            try await channel.publish("third", routingKey: queue).confirmed()
            #expect(try await channel.queueDelete(queue) == 1)
        }
    }

    @Test func getEmptyGetMessageCountRejectAndNackRequeue() async throws {
        try await TestBroker.withChannel { channel in
            let queue = TestBroker.uniqueName("client.get")
            try await channel.queueDeclare(queue)
            #expect(try await channel.get(queue: queue) == nil)
            try await channel.confirmSelect()
            for index in 0..<3 {
                try await channel.publish("m\(index)", routingKey: queue).confirmed()
            }
            let first = try #require(try await channel.get(queue: queue))
            #expect(first.body.text == "m0")
            #expect(first.messageCount == 2)
            #expect(first.consumerTag == "")
            try await first.reject(requeue: true)
            // Requeued at its place, flagged redelivered.
            let again = try #require(try await channel.get(queue: queue))
            #expect(again.body.text == "m0")
            #expect(again.redelivered)
            try await again.nack(requeue: false)  // dropped
            let second = try #require(try await channel.get(queue: queue))
            let third = try #require(try await channel.get(queue: queue))
            #expect(second.body.text == "m1")
            #expect(third.body.text == "m2")
            try await third.nack(multiple: true, requeue: true)  // both back
            let noAck = try #require(try await channel.get(queue: queue, noAck: true))
            #expect(noAck.body.text == "m1")
            #expect(noAck.redelivered)
            #expect(noAck.messageCount == 1)
            #expect(try await channel.queuePurge(queue) == 1)
            try await channel.queueDelete(queue)
        }
    }

    @Test func exchangeBindingsRouteAndUnbindStopsThem() async throws {
        try await TestBroker.withChannel { channel in
            let source = TestBroker.uniqueName("client.src")
            let destination = TestBroker.uniqueName("client.dst")
            let queue = TestBroker.uniqueName("client.bound")
            try await channel.exchangeDeclare(source, type: "topic")
            try await channel.exchangeDeclare(destination, type: "fanout")
            try await channel.exchangeBind(destination: destination, source: source, routingKey: "billing.#")
            try await channel.queueDeclare(queue)
            try await channel.queueBind(queue, exchange: destination)
            try await channel.confirmSelect()
            try await channel.publish("routed", exchange: source, routingKey: "billing.notify").confirmed()
            try await channel.publish("not routed", exchange: source, routingKey: "other").confirmed()
            try await channel.exchangeUnbind(destination: destination, source: source, routingKey: "billing.#")
            try await channel.publish("after unbind", exchange: source, routingKey: "billing.notify").confirmed()
            try await channel.queueUnbind(queue, exchange: destination)
            let routed = try #require(try await channel.get(queue: queue, noAck: true))
            #expect(routed.body.text == "routed")
            #expect(routed.exchange == source)
            #expect(try await channel.get(queue: queue) == nil)
            try await channel.queueDelete(queue)
            try await channel.exchangeDelete(source)
            try await channel.exchangeDelete(destination, ifUnused: true)
        }
    }

    @Test func deletingTheQueueCancelsItsConsumer() async throws {
        try await TestBroker.withConnection { connection in
            let channel = try await connection.openChannel()
            let queue = TestBroker.uniqueName("client.cancelled")
            try await channel.queueDeclare(queue)
            let consumer = try await channel.consume(queue: queue)
            let other = try await connection.openChannel()
            try await other.queueDelete(queue)
            let error = await #expect(throws: AMQPError.self) {
                for try await _ in consumer {}
            }
            #expect(error?.code == .consumerCancelled)
            // The channel lives on.
            try await channel.queueDeclare(queue, autoDelete: true)
            try await channel.queueDelete(queue)
        }
    }

    @Test func closingTheChannelEndsItsConsumerAndFailsLaterCalls() async throws {
        try await TestBroker.withConnection { connection in
            let channel = try await connection.openChannel()
            let queue = TestBroker.uniqueName("client.closed")
            try await channel.queueDeclare(queue, exclusive: true)
            let consumer = try await channel.consume(queue: queue)
            try await channel.close()
            var count = 0
            for try await _ in consumer { count += 1 }
            #expect(count == 0)
            let error = await #expect(throws: AMQPError.self) { try await channel.queueDeclare(queue, passive: true) }
            #expect(error?.code == .channelClosed)
            #expect(error?.replyCode == .success)
        }
    }

    @Test func closedConnectionFailsEverythingAndClosedReturns() async throws {
        let connection = try await AMQPConnection.connect(
            configuration: try TestBroker.configuration(),
            logger: TestBroker.logger
        )
        let channel = try await connection.openChannel()
        let queue = TestBroker.uniqueName("client.connclosed")
        try await channel.queueDeclare(queue, exclusive: true)
        let consumer = try await channel.consume(queue: queue)
        try await connection.close()
        try await connection.closed()
        #expect(connection.isClosed)
        for try await _ in consumer { Issue.record("no delivery expected") }
        await #expect(throws: AMQPError.self) { try await channel.publish("late", routingKey: queue) }
        await #expect(throws: AMQPError.self) { try await connection.openChannel() }
        try await connection.close()  // again: nothing
    }

    @Test func wrongPasswordUnknownVirtualHostAndRefusedPort() async throws {
        let url = try TestBroker.requireURL()
        let host = try #require(url.hosts.first)
        var wrong = host
        wrong.password = "not-the-password"
        let refused = await #expect(throws: AMQPError.self) {
            _ = try await AMQPConnection.connect(
                configuration: AMQPConnectionConfiguration(url: AMQPURL(hosts: [wrong])),
                logger: TestBroker.logger
            )
        }
        #expect(refused?.code == .authenticationFailed)
        #expect(refused?.replyCode == .accessRefused)

        let vhost = await #expect(throws: AMQPError.self) {
            _ = try await AMQPConnection.connect(
                configuration: AMQPConnectionConfiguration(url: AMQPURL(hosts: [host], virtualHost: "no-such-vhost")),
                logger: TestBroker.logger
            )
        }
        #expect(vhost?.code == .connectionClosed)
        #expect(vhost?.replyCode == .notAllowed)

        var closedPort = host
        closedPort.port = 1
        let lost = await #expect(throws: AMQPError.self) {
            _ = try await AMQPConnection.connect(
                configuration: AMQPConnectionConfiguration(url: AMQPURL(hosts: [closedPort])),
                logger: TestBroker.logger
            )
        }
        #expect(lost?.code == .connectionLost)
    }

    /// The oslo `transport_url` form with several hosts: a dead one first, the broker second.
    @Test func failoverToTheNextHostOfTheURL() async throws {
        let host = try #require(try TestBroker.requireURL().hosts.first)
        let url = try AMQPURL(
            "rabbit://guest:guest@127.0.0.1:1,\(host.username):\(host.password)@\(host.host):\(host.port)/"
        )
        let connection = try await AMQPConnection.connect(
            configuration: AMQPConnectionConfiguration(url: url),
            logger: TestBroker.logger
        )
        #expect(connection.host.port == host.port)
        #expect(connection.serverProperties["product"] == .longString(ByteBuffer(string: "RabbitMQ")))
        try await connection.close()
    }

    /// With a 5-second heartbeat the broker closes a connection silent for 10 seconds; ours sends heartbeats (every
    /// 2.5 s), so it lives through 16 idle seconds. (With 2 seconds, a CI run's loaded start once delayed the
    /// heartbeats past the broker's 4 seconds.)
    @Test func heartbeatsKeepAnIdleConnectionOpen() async throws {
        try await TestBroker.withConnection(heartbeat: 5) { connection in
            let channel = try await connection.openChannel()
            try await Task.sleep(for: .seconds(16))
            #expect(!connection.isClosed)
            try await channel.queueDeclare("", exclusive: true)
        }
    }

    @Test func invalidArgumentsAreRefusedBeforeSending() async throws {
        try await TestBroker.withChannel { channel in
            let long = String(repeating: "q", count: 256)
            let error = await #expect(throws: AMQPError.self) { try await channel.queueDeclare(long) }
            #expect(error?.code == .invalidArgument)
            let publishError = await #expect(throws: AMQPError.self) {
                try await channel.publish("x", routingKey: long)
            }
            #expect(publishError?.code == .stringTooLong)
            // Nothing was sent: the channel is fine.
            try await channel.queueDeclare("", exclusive: true)
        }
    }

    @Test func manyChannelsOnOneConnectionRunConcurrently() async throws {
        try await TestBroker.withConnection { connection in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let channel = try await connection.openChannel()
                        let queue = try await channel.queueDeclare("", exclusive: true)
                        try await channel.confirmSelect()
                        for message in 0..<50 {
                            try await channel.publish("\(index)-\(message)", routingKey: queue.name).confirmed()
                        }
                        #expect(try await channel.queueDeclare(queue.name, passive: true).messageCount == 50)
                        try await channel.close()
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    /// `amqps://` against the broker's TLS listener (scripts/rabbitmq-test-server makes a throw-away CA): with the CA
    /// trusted the handshake completes and messages flow; with the system's roots the certificate is refused.
    @Test(.enabled(if: TestBroker.environment["BILEAN_TEST_RABBITMQ_TLS_URL"] != nil || TestBroker.isCI))
    func tlsConnectionVerifiesTheBrokerCertificate() async throws {
        let url = try AMQPURL(
            try #require(TestBroker.environment["BILEAN_TEST_RABBITMQ_TLS_URL"], "scripts/test sets it when CI=true")
        )
        #expect(url.tls)
        let caFile = try #require(TestBroker.environment["BILEAN_TEST_RABBITMQ_CA"])
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(caFile)
        let connection = try await AMQPConnection.connect(
            configuration: AMQPConnectionConfiguration(url: url, tls: tls),
            logger: TestBroker.logger
        )
        let channel = try await connection.openChannel()
        let queue = try await channel.queueDeclare("", exclusive: true)
        try await channel.confirmSelect()
        var body = ByteBuffer()
        body.writeRepeatingByte(UInt8(ascii: "t"), count: 300_000)
        try await channel.publish(body, routingKey: queue.name).confirmed()
        let message = try #require(try await channel.get(queue: queue.name, noAck: true))
        #expect(message.body == body)
        try await connection.close()

        let refused = await #expect(throws: AMQPError.self) {
            _ = try await AMQPConnection.connect(
                configuration: AMQPConnectionConfiguration(url: url),
                logger: TestBroker.logger
            )
        }
        #expect(refused?.code == .connectionLost)
        #expect(refused?.underlying is NIOSSLError)
    }
}

/// A TLS configuration that cannot load fails the connection attempt with its error, before any I/O, and leaves
/// nothing unfulfilled behind (a leaked promise traps in debug builds: this test crashed the suite before).
@Suite("AMQP TLS configuration")
struct AMQPTLSConfigurationTests {
    @Test func aMissingCAFileIsAnErrorNotACrash() async throws {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file("/nonexistent/bilean-ca.pem")
        await #expect(throws: (any Error).self) {
            _ = try await AMQPConnection.connect(
                configuration: AMQPConnectionConfiguration(
                    url: try AMQPURL("amqps://guest:guest@127.0.0.1:1/"),
                    tls: tls
                ),
                logger: TestBroker.logger
            )
        }
    }
}
