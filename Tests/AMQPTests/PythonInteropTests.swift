import AMQP
import BileanTestSupport
import Foundation
import NIOCore
import Testing

/// Our client against Python's pika and oslo.messaging on the same RabbitMQ, both ways, with the peer
/// scripts/amqp-peer.py run by the venv's python (`BILEAN_TEST_PYTHON`, which scripts/test sets).
@Suite(
    .enabled(if: TestBroker.isEnabled),
    .enabled(if: PythonPeer.isEnabled, "BILEAN_TEST_PYTHON is not set"),
    .timeLimit(.minutes(3))
)
struct PythonInteropTests {
    /// Swift publishes (confirmed, persistent, with headers), pika consumes: every body, header and content type in
    /// order, and a 1 MiB body split into frames whose SHA-256 pika computes.
    @Test func swiftPublishesPikaConsumes() async throws {
        let peer = try PythonPeer()
        let queue = TestBroker.uniqueName("interop.to-pika")
        let count = 500
        var large = ByteBuffer()
        var generator = SeededRandomNumberGenerator(seed: 91)
        for _ in 0..<(1024 * 1024 / 8) {
            large.writeInteger(generator.next())
        }
        // Every field type, to see how pika decodes each; the JSON that the peer prints for them (its tags).
        let probeHeaders: AMQPTable = [
            "index": .int32(Int32(count)),
            "text": .string("é ✓"),
            "flag": .bool(true),
            "int8": .int8(-8),
            "uint8": .uint8(200),
            "int16": .int16(-1600),
            "uint16": .uint16(60_000),
            "uint32": .uint32(4_000_000_000),
            "int64": .int64(-(1 << 40)),
            // pika 1.4.4 truncates floats and doubles to integers when it decodes them (pika#599: 0.5 arrives as
            // 0, -2.25 as -2), so these are whole numbers, checked on their own below.
            "float": .float(-16_777_216),
            "double": .double(1_099_511_627_776),
            "decimal": .decimal(AMQPDecimal(scale: 2, value: 1250)),
            "bytes": .bytes(ByteBuffer(bytes: [0, 255, 16])),
            "timestamp": .timestamp(1_700_000_000),
            "table": .table(["key": .string("value"), "n": .int32(-1)]),
            "array": .array([.int32(1), .string("two"), .bool(false)]),
            "void": .void,
        ]
        let probeJSON: [String: Any] = [
            "index": count,
            "text": "é ✓",
            "flag": true,
            "int8": -8,
            "uint8": 200,
            "int16": -1600,
            "uint16": 60_000,
            "uint32": 4_000_000_000,
            "int64": -(1 << 40),
            "decimal": ["$decimal": "12.50"],
            "bytes": ["$bytes": "00ff10"],
            "timestamp": ["$timestamp": 1_700_000_000],
            "table": ["key": "value", "n": -1],
            "array": [1, "two", false],
            "void": NSNull(),
        ]

        try await PythonPeer.cleaningUp(queues: [queue]) {
            try await TestBroker.withChannel { channel in
                // As pika-consume declares it (durable, not exclusive, not auto-delete): no 406 when it does.
                try await channel.queueDeclare(queue, durable: true, exclusive: false, autoDelete: false)
                try await channel.confirmSelect()
                var receipts: [AMQPPublishReceipt] = []
                for index in 0..<count {
                    let properties = AMQPProperties(
                        contentType: "text/plain",
                        headers: ["index": .int32(Int32(index))],
                        deliveryMode: 2
                    )
                    receipts.append(
                        try await channel.publish("swift-\(index)", routingKey: queue, properties: properties)
                    )
                }
                let largeProperties = AMQPProperties(
                    contentType: "application/octet-stream",
                    headers: probeHeaders,
                    deliveryMode: 2
                )
                receipts.append(try await channel.publish(large, routingKey: queue, properties: largeProperties))
                for receipt in receipts { try await receipt.confirmed() }
                #expect(try await channel.queueDeclare(queue, passive: true).messageCount == UInt32(count + 1))
            }

            // The small ones first: "bodies" is only in the output when every body is at most 1000 bytes.
            let small = try await peer.run("pika-consume", ["--queue", queue, "--count", String(count)])
            #expect(small["received"] as? Int == count)
            let bodies = try #require(small["bodies"] as? [String])
            #expect(bodies == (0..<count).map { "swift-\($0)" })
            let headers = try #require(small["headers"] as? [Any])
            #expect(
                headers.map(PythonPeer.canonicalJSON) == (0..<count).map { PythonPeer.canonicalJSON(["index": $0]) }
            )
            let contentTypes = try #require(small["content_types"] as? [Any])
            #expect(contentTypes.count == count)
            #expect(contentTypes.allSatisfy { $0 as? String == "text/plain" })

            let expectedDigest = try await peer.sha256(of: large)
            let last = try await peer.run("pika-consume", ["--queue", queue, "--count", "1"])
            #expect(last["received"] as? Int == 1)
            #expect(last["bodies"] == nil, "a 1 MiB body is only digested")
            let digests = try #require(last["digests"] as? [[String: Any]])
            #expect(digests.count == 1)
            #expect(digests.first?["length"] as? Int == 1024 * 1024)
            #expect(digests.first?["sha256"] as? String == expectedDigest)
            #expect((last["content_types"] as? [String]) == ["application/octet-stream"])
            var lastHeaders = try #require((last["headers"] as? [Any])?.first as? [String: Any])
            #expect(lastHeaders.removeValue(forKey: "float") as? Double == -16_777_216)
            #expect(lastHeaders.removeValue(forKey: "double") as? Double == 1_099_511_627_776)
            #expect(PythonPeer.canonicalJSON(lastHeaders) == PythonPeer.canonicalJSON(probeJSON))

            let left = try await TestBroker.withChannel { channel in
                try await channel.queueDeclare(queue, passive: true).messageCount
            }
            #expect(left == 0)
        }
    }

    /// pika publishes (confirmed, mandatory, persistent), Swift consumes with an ack each: every body, header and
    /// property, and nothing left in the queue once the channel is closed (the acks reached the broker).
    @Test func pikaPublishesSwiftConsumes() async throws {
        let peer = try PythonPeer()
        let queue = TestBroker.uniqueName("interop.from-pika")
        let count = 500
        try await PythonPeer.cleaningUp(queues: [queue]) {
            let published = try await peer.run(
                "pika-publish",
                ["--queue", queue, "--count", String(count), "--size", "64", "--prefix", "p-"]
            )
            #expect(published["published"] as? Int == count)

            try await TestBroker.withConnection { connection in
                let channel = try await connection.openChannel()
                try await channel.qos(prefetchCount: 100)
                let consumer = try await channel.consume(queue: queue)
                var received = 0
                for try await delivery in consumer {
                    let prefix = "p-\(received)"
                    let expected = prefix + String(repeating: ".", count: 64 - prefix.utf8.count)
                    #expect(delivery.body.text == expected)
                    #expect(delivery.body.readableBytes == 64)
                    #expect(delivery.exchange == "")
                    #expect(delivery.routingKey == queue)
                    #expect(!delivery.redelivered)
                    let properties = delivery.properties
                    #expect(properties.contentType == "text/plain")
                    #expect(properties.deliveryMode == 2)
                    #expect(properties.headers?.keys == ["index"])
                    // pika packs a Python int that fits in 32 bits as `I` (signed 32-bit); any width would do.
                    #expect(properties.headers?["index"]?.integerValue == Int64(received))
                    try await delivery.ack()
                    received += 1
                    if received == count { break }
                }
                #expect(received == count)
                try await consumer.cancel()
                // Closing the channel would requeue any delivery whose ack did not reach the broker.
                try await channel.close()
                let check = try await connection.openChannel()
                let state = try await check.queueDeclare(queue, passive: true)
                #expect(state.messageCount == 0)
                #expect(state.consumerCount == 0)
            }
        }
    }

    /// oslo.messaging's notifier (messagingv2) sends, Swift consumes oslo's own queue and reads the 2.0 envelope.
    @Test func osloNotifierToSwiftConsumer() async throws {
        let peer = try PythonPeer()
        let exchange = TestBroker.uniqueName("interop.oslo-notify")
        let topic = TestBroker.uniqueName("notifications")
        let queue = "\(topic).info"
        let count = 20
        try await PythonPeer.cleaningUp(queues: [queue], exchanges: [exchange]) {
            let sent = try await peer.run(
                "oslo-notify",
                [
                    "--exchange", exchange, "--topic", topic, "--count", String(count),
                    "--event-type", "compute.instance.create.end",
                ]
            )
            #expect(sent["sent"] as? Int == count)

            try await TestBroker.withChannel { channel in
                // Passive: oslo declared it non-durable, a durable declaration would be a 406.
                #expect(try await channel.queueDeclare(queue, passive: true).messageCount == UInt32(count))
                let consumer = try await channel.consume(queue: queue)
                var messageIDs: Set<String> = []
                var received = 0
                for try await delivery in consumer {
                    #expect(delivery.exchange == exchange)
                    #expect(delivery.routingKey == queue)
                    #expect(delivery.properties.contentType == "application/json")
                    #expect(delivery.properties.contentEncoding == "utf-8")
                    #expect(delivery.properties.deliveryMode == 2)
                    // kombu sends an empty headers table and priority 0.
                    #expect(delivery.properties.headers == [:])
                    #expect(delivery.properties.priority == 0)
                    let envelope = try #require(
                        try JSONSerialization.jsonObject(with: Data(delivery.body.readableBytesView)) as? [String: Any]
                    )
                    #expect(envelope["oslo.version"] as? String == "2.0")
                    let inner = try #require(envelope["oslo.message"] as? String)
                    let message = try #require(
                        try JSONSerialization.jsonObject(with: Data(inner.utf8)) as? [String: Any]
                    )
                    #expect(message["event_type"] as? String == "compute.instance.create.end")
                    #expect(message["priority"] as? String == "INFO")
                    #expect(message["publisher_id"] as? String == "bilean.peer")
                    let timestamp = try #require(message["timestamp"] as? String)
                    #expect(PythonPeer.isOsloTimestamp(timestamp), "\(timestamp)")
                    let payload = try #require(message["payload"] as? [String: Any])
                    #expect(payload["index"] as? Int == received)
                    #expect(payload["text"] as? String == "é ✓ message")
                    let messageID = try #require(message["message_id"] as? String)
                    #expect(UUID(uuidString: messageID) != nil)
                    #expect(messageIDs.insert(messageID).inserted, "message_id \(messageID) twice")
                    try await delivery.ack()
                    received += 1
                    if received == count { break }
                }
                #expect(received == count)
                try await consumer.cancel()
                #expect(try await channel.queueDeclare(queue, passive: true).messageCount == 0)
            }
        }
    }

    /// Swift sends oslo 2.0 notifications to an oslo.messaging notification listener, which dispatches every one.
    @Test func swiftNotificationsToOsloListener() async throws {
        let peer = try PythonPeer()
        let exchange = TestBroker.uniqueName("interop.oslo-listen")
        let topic = TestBroker.uniqueName("notifications")
        let count = 10
        let queues = ["info", "warn", "error"].map { "\(topic).\($0)" }
        try await PythonPeer.cleaningUp(queues: queues, exchanges: [exchange]) {
            let listener = try peer.start(
                "oslo-listen",
                ["--exchange", exchange, "--topic", topic, "--count", String(count)]
            )
            defer { listener.terminate() }
            try await listener.waitForLine("READY")

            var sentIDs: [String: Int] = [:]
            try await TestBroker.withChannel { channel in
                // As oslo declares it (topic, durable=False, auto_delete=False): anything else is a 406.
                try await channel.exchangeDeclare(exchange, type: "topic", durable: false, autoDelete: false)
                #expect(try await channel.queueDeclare("\(topic).info", passive: true).consumerCount == 1)
                try await channel.confirmSelect()
                for index in 0..<count {
                    let messageID = UUID().uuidString.lowercased()
                    sentIDs[messageID] = index
                    let timestamp = PythonPeer.osloTimestamp(Date())
                    #expect(PythonPeer.isOsloTimestamp(timestamp), "\(timestamp)")
                    let body = try PythonPeer.osloEnvelope([
                        "message_id": messageID,
                        "publisher_id": "bilean.test",
                        "event_type": "billing.notify",
                        "priority": "INFO",
                        "payload": ["user_id": "u-\(index)", "balance": "12.5"],
                        "timestamp": timestamp,
                    ])
                    let properties = AMQPProperties(
                        contentType: "application/json",
                        contentEncoding: "utf-8",
                        deliveryMode: 2
                    )
                    try await channel.publish(
                        body,
                        exchange: exchange,
                        routingKey: "\(topic).info",
                        mandatory: true,
                        properties: properties
                    ).confirmed()
                }
            }

            let result = try await listener.json()
            let received = try #require(result["received"] as? [[String: Any]])
            #expect(received.count == count, "more than \(count) means duplicates or strays")
            var seen: Set<String> = []
            for notification in received {
                let messageID = try #require(notification["metadata_message_id"] as? String)
                let index = try #require(sentIDs[messageID], "a notification that was not sent: \(messageID)")
                #expect(seen.insert(messageID).inserted, "\(messageID) dispatched twice")
                #expect(notification["priority"] as? String == "info")
                #expect(notification["publisher_id"] as? String == "bilean.test")
                #expect(notification["event_type"] as? String == "billing.notify")
                let payload = notification["payload"] ?? NSNull()
                #expect(
                    PythonPeer.canonicalJSON(payload)
                        == PythonPeer.canonicalJSON(["user_id": "u-\(index)", "balance": "12.5"])
                )
            }
            #expect(seen == Set(sentIDs.keys))
        }
    }
}

/// scripts/amqp-peer.py run by `BILEAN_TEST_PYTHON` against the test broker.
struct PythonPeer {
    static var python: String? { TestBroker.environment["BILEAN_TEST_PYTHON"] }
    /// Whether the interop tests run: a python is set, or CI requires one (unset locally means skip).
    static var isEnabled: Bool { Self.python != nil || TestBroker.isCI }
    /// The peer script, found from this file: Tests/AMQPTests/ is two levels below the package.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("scripts/amqp-peer.py")
    /// The seconds the peer gives itself (`--timeout`); the test kills it a little later.
    static let timeout = 60

    let python: String
    let url: String

    init() throws {
        self.python = try #require(Self.python, "BILEAN_TEST_PYTHON is required when CI=true")
        self.url = try #require(TestBroker.url, "BILEAN_TEST_RABBITMQ_URL is required when CI=true")
    }

    /// Starts a subcommand of the peer; its JSON comes with ``PeerProcess/json()``.
    func start(_ subcommand: String, _ arguments: [String]) throws -> PeerProcess {
        try PeerProcess(
            python: self.python,
            arguments: [Self.script.path, subcommand, "--url", self.url, "--timeout", String(Self.timeout)]
                + arguments,
            deadline: .seconds(Self.timeout + 30)
        )
    }

    /// Runs a subcommand of the peer to its end and returns the JSON object it printed.
    func run(_ subcommand: String, _ arguments: [String]) async throws -> [String: Any] {
        try await self.start(subcommand, arguments).json()
    }

    /// The hex SHA-256 of `bytes`, by Python's hashlib (the test target has no crypto library).
    func sha256(of bytes: ByteBuffer) async throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("bilean-sha-\(UUID().uuidString)")
        try Data(bytes.readableBytesView).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = try PeerProcess(
            python: self.python,
            arguments: [
                "-c", "import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], 'rb').read()).hexdigest())",
                file.path,
            ],
            deadline: .seconds(30)
        )
        return try await process.finish().trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `body`, then deletes the queues and exchanges (also when it failed).
    static func cleaningUp(
        queues: [String],
        exchanges: [String] = [],
        _ body: () async throws -> Void
    ) async throws {
        func delete() async throws {
            try await TestBroker.withChannel { channel in
                for queue in queues { try await channel.queueDelete(queue) }
                for exchange in exchanges { try await channel.exchangeDelete(exchange) }
            }
        }
        do {
            try await body()
        } catch {
            try? await delete()
            throw error
        }
        try await delete()
    }

    /// A JSON value as sorted-key JSON text, to compare what the peer printed with what a test expects.
    static func canonicalJSON(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        else { return "<not JSON: \(value)>" }
        return String(decoding: data, as: UTF8.self)
    }

    /// oslo.messaging's 2.0 envelope of a message: the message as a JSON string inside a JSON object.
    static func osloEnvelope(_ message: [String: Any]) throws -> String {
        let inner = String(
            decoding: try JSONSerialization.data(withJSONObject: message, options: [.sortedKeys]),
            as: UTF8.self
        )
        let envelope: [String: Any] = ["oslo.version": "2.0", "oslo.message": inner]
        return String(
            decoding: try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys]),
            as: UTF8.self
        )
    }

    /// A UTC time as oslo writes it (`str()` of a naive datetime): `YYYY-MM-DD HH:MM:SS.ffffff`.
    static func osloTimestamp(_ date: Date) -> String {
        let microseconds = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
        let (seconds, fraction) = microseconds.quotientAndRemainder(dividingBy: 1_000_000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second],
            from: Date(timeIntervalSince1970: TimeInterval(seconds))
        )
        func padded(_ value: some BinaryInteger, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let day = "\(padded(parts.year!, 4))-\(padded(parts.month!, 2))-\(padded(parts.day!, 2))"
        let time = "\(padded(parts.hour!, 2)):\(padded(parts.minute!, 2)):\(padded(parts.second!, 2))"
        return "\(day) \(time).\(padded(fraction, 6))"
    }

    /// Whether `text` has the form of ``osloTimestamp(_:)``.
    static func isOsloTimestamp(_ text: String) -> Bool {
        text.wholeMatch(of: /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}/) != nil
    }
}

/// A running python, its stdout and stderr going to files (no pipe buffer to fill up and block it).
final class PeerProcess {
    let process: ChildProcess
    let description: String
    let directory: URL
    let deadline: ContinuousClock.Instant
    private let stdoutURL: URL
    private let stderrURL: URL

    init(python: String, arguments: [String], deadline: Duration) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "bilean-peer-\(UUID().uuidString)"
        )
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stdoutURL = directory.appendingPathComponent("stdout")
        let stderrURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        // Not Foundation's Process: its run() crashes now and then on Linux (see ChildProcess).
        let process = ChildProcess(
            executable: python,
            arguments: arguments,
            standardOutput: .file(stdoutURL.path),
            standardError: .file(stderrURL.path)
        )
        self.process = process
        self.description = arguments.prefix(2).joined(separator: " ")
        self.directory = directory
        self.stdoutURL = stdoutURL
        self.stderrURL = stderrURL
        self.deadline = .now + deadline
        try process.run()
    }

    deinit {
        self.terminate()
        try? FileManager.default.removeItem(at: self.directory)
    }

    /// What it wrote on stderr so far.
    var stderr: String { (try? String(contentsOf: self.stderrURL, encoding: .utf8)) ?? "" }

    /// Kills it if it still runs.
    func terminate() {
        if self.process.isRunning {
            self.process.terminate()
            self.process.waitUntilExit()
        }
    }

    /// Waits until it printed `line` on stderr (oslo-listen's `READY`).
    func waitForLine(_ line: String) async throws {
        while !self.stderr.split(separator: "\n").contains(Substring(line)) {
            guard self.process.isRunning else {
                throw PeerFailure("\(self.description) ended before printing \(line); stderr:\n\(self.stderr)")
            }
            guard ContinuousClock.now < self.deadline else {
                self.terminate()
                throw PeerFailure("\(self.description) did not print \(line) in time; stderr:\n\(self.stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits for it to exit 0 and returns its stdout.
    func finish() async throws -> String {
        while self.process.isRunning {
            guard ContinuousClock.now < self.deadline else {
                self.terminate()
                throw PeerFailure("\(self.description) did not finish in time; stderr:\n\(self.stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        self.process.waitUntilExit()
        guard self.process.terminationStatus == 0 else {
            throw PeerFailure(
                "\(self.description) exited with \(self.process.terminationStatus); stderr:\n\(self.stderr)"
            )
        }
        return try String(contentsOf: self.stdoutURL, encoding: .utf8)
    }

    /// Waits for it to exit 0 and returns the JSON object it printed.
    func json() async throws -> [String: Any] {
        let stdout = try await self.finish()
        guard let object = try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
            throw PeerFailure("\(self.description) printed no JSON object: \(stdout)\nstderr:\n\(self.stderr)")
        }
        return object
    }
}

/// The peer failed, with its stderr.
struct PeerFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
