import BileanCore
import Foundation
import Testing

/// The Python side of the notification tests (`scripts/notify-peer.py`: real oslo.messaging and pika from the test
/// venv) and the broker they share with `bilean-server`.
///
/// Needs `BILEAN_TEST_RABBITMQ_URL` and `BILEAN_TEST_PYTHON` (scripts/test exports both). Without them the suites
/// that use it are skipped locally; with `CI=true` they run and fail.
enum NotificationPeer {
    static let environment = ProcessInfo.processInfo.environment

    /// The broker, as `amqp://user:password@host:port/`.
    static let brokerURL = Self.environment["BILEAN_TEST_RABBITMQ_URL"]
    /// The venv's python.
    static let python = Self.environment["BILEAN_TEST_PYTHON"]

    /// Whether the suites run: the broker and python are there, or CI demands them.
    static var isEnabled: Bool {
        (Self.brokerURL != nil && Self.python != nil) || Self.environment["CI"] == "true"
    }

    /// The repository's `scripts/notify-peer.py`.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/notify-peer.py").path

    /// The broker URL as bilean.conf's `transport_url` (`rabbit://…`).
    static func transportURL() throws -> String {
        let url = try #require(Self.brokerURL, "BILEAN_TEST_RABBITMQ_URL is not set (scripts/test sets it)")
        guard url.hasPrefix("amqp://") else { return url }
        return "rabbit://" + url.dropFirst("amqp://".count)
    }

    /// Runs a subcommand of the peer and returns the JSON object it printed.
    /// - Parameter url: Another broker than the test broker (one `amqp://` host: pika takes no list).
    @discardableResult
    static func run(_ arguments: [String], timeout: Double = 120, url: String? = nil) async throws -> JSONValue {
        let python = try #require(Self.python, "BILEAN_TEST_PYTHON is not set (scripts/test sets it)")
        let url = try #require(url ?? Self.brokerURL)
        let subcommand = try #require(arguments.first)
        let output = try await BileanProcesses.runExecutable(
            python,
            [Self.script, subcommand, "--url", url, "--timeout", "\(Int(timeout))"] + arguments.dropFirst(),
            timeout: timeout + 10
        )
        guard output.status == 0 else {
            throw PeerFailed(description: "notify-peer \(subcommand) exited \(output.status): \(output.stderr)")
        }
        return try JSONValue(jsonText: output.stdout)
    }

    /// Publishes lines (see the script's `publish`), in order.
    static func publish(_ lines: [JSONValue], in directory: URL) async throws {
        let file = directory.appendingPathComponent("publish-\(UUID().uuidString).jsonl")
        let text = try lines.map { try $0.jsonText() }.joined(separator: "\n") + "\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        let result = try await Self.run(["publish", "--file", file.path], timeout: 300)
        #expect(result["published"] == .number("\(lines.count)"))
    }

    /// A notification published through a real oslo.messaging Notifier.
    static func oslo(
        exchange: String,
        topic: String = "notifications",
        eventType: String,
        publisherID: String,
        payload: JSONValue,
        timestamp: String,
        context: [String: JSONValue] = [:],
        priority: String = "info"
    ) -> JSONValue {
        .object([
            "kind": .string("oslo"), "exchange": .string(exchange), "topic": .string(topic),
            "priority": .string(priority), "event_type": .string(eventType), "publisher_id": .string(publisherID),
            "payload": payload, "timestamp": .string(timestamp), "context": .object(context),
        ])
    }

    /// A notification wrapped in the oslo 2.0 envelope by oslo's own serializer, published with pika: the message
    /// id is ours (for duplicates).
    static func envelope(exchange: String, routingKey: String, notification: [String: JSONValue]) -> JSONValue {
        .object([
            "kind": .string("envelope"), "exchange": .string(exchange), "routing_key": .string(routingKey),
            "notification": .object(notification),
        ])
    }

    /// Any bytes, published with pika.
    static func raw(exchange: String, routingKey: String, body: Data) -> JSONValue {
        .object([
            "kind": .string("raw"), "exchange": .string(exchange), "routing_key": .string(routingKey),
            "body_base64": .string(body.base64EncodedString()), "content_type": .string("application/json"),
        ])
    }

    struct PeerFailed: Error, CustomStringConvertible {
        var description: String
    }
}
