import AMQP
import Foundation
import Logging
import NIOCore
import NIOSSL
import Testing

/// The broker that scripts/test starts: unset locally means skip, but under `CI=true` it is required.
enum TestBroker {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var url: String? { Self.environment["BILEAN_TEST_RABBITMQ_URL"] }
    static var isCI: Bool { Self.environment["CI"] == "true" }
    /// Whether the tests against a real broker run: a URL is set, or CI requires one.
    static var isEnabled: Bool { Self.url != nil || Self.isCI }

    static let logger: Logger = {
        var logger = Logger(label: "amqp-test")
        logger.logLevel = Self.environment["AMQP_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .error
        return logger
    }()

    /// The broker's URL; under CI a missing one fails the test.
    static func requireURL() throws -> AMQPURL {
        try AMQPURL(try #require(Self.url, "BILEAN_TEST_RABBITMQ_URL is required when CI=true"))
    }

    static func configuration(heartbeat: UInt16 = 60) throws -> AMQPConnectionConfiguration {
        AMQPConnectionConfiguration(url: try Self.requireURL(), heartbeat: heartbeat, connectionName: "amqp-tests")
    }

    /// Runs `body` with a connection to the test broker, closed afterwards.
    static func withConnection<Result>(
        heartbeat: UInt16 = 60,
        _ body: (AMQPConnection) async throws -> Result
    ) async throws -> Result {
        let connection = try await AMQPConnection.connect(
            configuration: try Self.configuration(heartbeat: heartbeat),
            logger: Self.logger
        )
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Runs `body` with an open channel on a new connection.
    static func withChannel<Result>(_ body: (AMQPChannel) async throws -> Result) async throws -> Result {
        try await Self.withConnection { connection in
            try await body(try await connection.openChannel())
        }
    }

    /// A queue or exchange name no other test uses.
    static func uniqueName(_ prefix: String) -> String {
        "\(prefix).\(UUID().uuidString.prefix(8))"
    }
}

extension ByteBuffer {
    /// The readable bytes as a string (test bodies are UTF-8).
    var text: String { String(buffer: self) }
}
