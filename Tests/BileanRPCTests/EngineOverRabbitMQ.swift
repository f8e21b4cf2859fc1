import AMQP
import BileanEngine
import BileanMessaging
import BileanRPC
import BileanTestSupport
import Foundation
import Testing

/// Serves an engine's `accounts` and `jobs` namespaces on a real RabbitMQ (a topic of its own) for the duration of
/// `body`, which gets a client of that topic; everything declared is deleted afterwards.
enum EngineOverRabbitMQ {
    static func serve(
        _ engine: Engine,
        name: String,
        _ body: (OsloRPCClient) async throws -> Void
    ) async throws {
        let url = try #require(ReratingRPCTests.brokerURL, "BILEAN_TEST_RABBITMQ_URL is required when CI=true")
        let connection = AMQPConnectionConfiguration(url: try AMQPURL(url), connectionName: "\(name)-rpc-tests")
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let exchange = "rpc-test.\(name).\(suffix).exchange"
        let topic = "rpc-test.\(name).\(suffix)"
        let server = OsloRPCServer(
            connection: connection,
            exchange: exchange,
            topic: topic,
            host: "engine-1",
            endpoints: [AccountsEndpoint(service: engine, results: engine), JobsEndpoint(service: engine)],
            concurrency: 4,
            backoff: AMQPBackoff(initial: .milliseconds(50), maximum: .milliseconds(500)),
            logger: TestDatabase.logger
        )
        let client = OsloRPCClient(
            connection: connection,
            exchange: exchange,
            topic: topic,
            defaultTimeout: .seconds(30),
            backoff: AMQPBackoff(initial: .milliseconds(50), maximum: .milliseconds(500)),
            logger: TestDatabase.logger
        )
        let result: Result<Void, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask { await server.run() }
            defer { group.cancelAll() }
            do {
                let deadline = ContinuousClock.now + .seconds(60)
                while await client.serverCount() != 1 {
                    guard ContinuousClock.now < deadline else { throw CancellationError() }
                    try await Task.sleep(for: .milliseconds(100))
                }
                try await body(client)
                return .success(())
            } catch {
                return .failure(error)
            }
        }
        await client.close()
        await ReratingRPCTests.cleanUp(connection, exchange: exchange, topic: topic, server: server, client: client)
        try result.get()
    }
}
