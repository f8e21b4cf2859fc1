import AMQP
import BileanCore
import Foundation
import Logging
import Synchronization
import Testing

@testable import BileanMessaging

/// The broker and python the RPC tests use: `BILEAN_TEST_RABBITMQ_URL` and `BILEAN_TEST_PYTHON` (scripts/test sets
/// both). Unset, the suites that need them are skipped locally; under `CI=true` they run, and fail.
enum RPCTestEnvironment {
    static var environment: [String: String] { ProcessInfo.processInfo.environment }
    static var brokerURL: String? { Self.environment["BILEAN_TEST_RABBITMQ_URL"] }
    static var python: String? { Self.environment["BILEAN_TEST_PYTHON"] }
    static var isCI: Bool { Self.environment["CI"] == "true" }
    /// Whether the broker suites run.
    static var isBrokerEnabled: Bool { Self.brokerURL != nil || Self.isCI }
    /// Whether the interop suite runs.
    static var isPythonEnabled: Bool { (Self.brokerURL != nil && Self.python != nil) || Self.isCI }

    static let logger: Logger = {
        var logger = Logger(label: "rpc-test")
        logger.logLevel = Self.environment["RPC_TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        return logger
    }()

    /// The broker's connection settings; a missing URL fails the test (it runs only under CI then).
    static func connection() throws -> AMQPConnectionConfiguration {
        let url = try #require(Self.brokerURL, "BILEAN_TEST_RABBITMQ_URL is required when CI=true")
        return AMQPConnectionConfiguration(url: try AMQPURL(url), connectionName: "rpc-tests")
    }

    /// A name no other test uses.
    static func uniqueName(_ prefix: String) -> String {
        "rpc-test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// The Swift endpoint of the tests, served by every test server.
///
/// `echo` (args and context back), `add(a, b)` (integers), `fail(kind, message, field?)` (throws that
/// ``RPCRemoteError``), `crash` (throws a Swift error with a secret in it), `sleep(ms)`, `whoami`, `block` (on the
/// server named ``blockingServer``: records that it started, then waits until cancelled; elsewhere: `whoami`),
/// `remember(value)` (records it), `concurrent(ms)` (counts the calls in flight while it sleeps).
struct TestEndpoint: RPCEndpoint {
    let namespace: String
    let version: String
    /// The server's name.
    let server: String
    let recorder: Recorder
    /// The server on which `block` blocks.
    var blockingServer: String? = nil

    struct Secret: Error, CustomStringConvertible {
        var description: String { "the database password is hunter2" }
    }

    func handle(method: String, args: [String: JSONValue], context: RPCContext) async throws -> JSONValue {
        switch method {
        case "echo":
            return .object([
                "args": .object(args),
                "context": .object([
                    "request_id": context.requestID.map(JSONValue.string) ?? .null,
                    "project_id": context.projectID.map(JSONValue.string) ?? .null,
                    "user_id": context.userID.map(JSONValue.string) ?? .null,
                    "roles": .array(context.roles.map(JSONValue.string)),
                    "is_admin": .bool(context.isAdmin),
                ]),
            ])
        case "add":
            guard let a = args["a"]?.scalarText.flatMap({ Int($0) }), let b = args["b"]?.scalarText.flatMap({ Int($0) })
            else { throw RPCRemoteError(kind: .invalidInput, message: "a and b must be integers", field: "a") }
            return .number(String(a + b))
        case "fail":
            let kind = args["kind"]?.stringValue.flatMap(RPCRemoteError.Kind.init(rawValue:)) ?? .conflict
            throw RPCRemoteError(
                kind: kind,
                message: args["message"]?.stringValue ?? "",
                field: args["field"]?.stringValue
            )
        case "crash":
            throw Secret()
        case "sleep":
            let milliseconds = args["ms"]?.scalarText.flatMap { Int($0) } ?? 0
            try await Task.sleep(for: .milliseconds(milliseconds))
            return .string(self.server)
        case "whoami":
            return .string(self.server)
        case "block":
            guard self.server == self.blockingServer else { return .string(self.server) }
            self.recorder.record(.string("started:\(self.server)"))
            try await Task.sleep(for: .seconds(3600))
            return .string(self.server)
        case "remember":
            self.recorder.record(.object(["server": .string(self.server), "value": args["value"] ?? .null]))
            return .null
        case "concurrent":
            self.recorder.enter()
            defer { self.recorder.leave() }
            try await Task.sleep(for: .milliseconds(args["ms"]?.scalarText.flatMap { Int($0) } ?? 50))
            return .null
        default:
            throw RPCRemoteError(kind: .noSuchMethod, message: "no method \(method)")
        }
    }
}

/// What test endpoints record, awaited without sleeping.
final class Recorder: Sendable {
    private struct State {
        var events: [JSONValue] = []
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var inFlight = 0
        var maximumInFlight = 0
    }

    private let state = Mutex(State())

    /// Records an event.
    func record(_ event: JSONValue) {
        let ready = self.state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.events.append(event)
            let count = state.events.count
            let ready = state.waiters.filter { $0.count <= count }.map(\.continuation)
            state.waiters.removeAll { $0.count <= count }
            return ready
        }
        for waiter in ready { waiter.resume() }
    }

    /// The events so far.
    var events: [JSONValue] { self.state.withLock { $0.events } }

    /// Waits until `count` events were recorded, at most `timeout`.
    func waitFor(count: Int, timeout: Duration = .seconds(20)) async throws -> [JSONValue] {
        try await within(timeout) {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = self.state.withLock { state -> Bool in
                    if state.events.count >= count { return true }
                    state.waiters.append((count, continuation))
                    return false
                }
                if done { continuation.resume() }
            }
        }
        return self.events
    }

    func enter() {
        self.state.withLock {
            $0.inFlight += 1
            $0.maximumInFlight = max($0.maximumInFlight, $0.inFlight)
        }
    }

    func leave() {
        self.state.withLock { $0.inFlight -= 1 }
    }

    /// The most `concurrent` calls seen in flight at once.
    var maximumInFlight: Int { self.state.withLock { $0.maximumInFlight } }
}

/// `body` did not finish in time.
struct TimedOut: Error, CustomStringConvertible {
    var description: String
}

/// Runs `body`, failing with ``TimedOut`` after `timeout` (the body is cancelled then).
func within<T: Sendable>(
    _ timeout: Duration,
    _ body: @Sendable @escaping () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: timeout)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else {
            throw TimedOut(description: "not done within \(timeout)")
        }
        return value
    }
}

/// A topic of its own for one test, its servers and client, and the clean-up of what they declared.
struct RPCTestBed: Sendable {
    let exchange: String
    let topic: String
    let namespace = "test"
    let recorder = Recorder()

    init(_ name: String) {
        self.exchange = RPCTestEnvironment.uniqueName("\(name).exchange")
        self.topic = RPCTestEnvironment.uniqueName(name)
    }

    func server(
        _ host: String,
        version: String = "1.3",
        concurrency: Int = 8,
        blockingServer: String? = nil,
        quorum: Bool = false
    ) throws -> OsloRPCServer {
        OsloRPCServer(
            connection: try RPCTestEnvironment.connection(),
            exchange: self.exchange,
            topic: self.topic,
            host: host,
            endpoints: [
                TestEndpoint(
                    namespace: self.namespace,
                    version: version,
                    server: host,
                    recorder: self.recorder,
                    blockingServer: blockingServer
                )
            ],
            concurrency: concurrency,
            quorum: quorum,
            backoff: AMQPBackoff(initial: .milliseconds(50), maximum: .milliseconds(500)),
            logger: RPCTestEnvironment.logger
        )
    }

    func client(timeout: Duration = .seconds(20), topic: String? = nil, quorum: Bool = false) throws -> OsloRPCClient {
        OsloRPCClient(
            connection: try RPCTestEnvironment.connection(),
            exchange: self.exchange,
            topic: topic ?? self.topic,
            defaultTimeout: timeout,
            quorum: quorum,
            backoff: AMQPBackoff(initial: .milliseconds(50), maximum: .milliseconds(500)),
            logger: RPCTestEnvironment.logger
        )
    }

    /// Calls the test namespace at version 1.0.
    func call(
        _ client: OsloRPCClient,
        _ method: String,
        _ args: [String: JSONValue] = [:],
        version: String = "1.0",
        server: String? = nil,
        timeout: Duration? = nil
    ) async throws(RPCCallError) -> JSONValue {
        try await client.call(
            namespace: self.namespace,
            version: version,
            method: method,
            args: args,
            context: RPCContext(requestID: "req-test"),
            server: server,
            timeout: timeout
        )
    }

    /// The error of a call that must fail.
    func failure(
        _ client: OsloRPCClient,
        _ method: String,
        _ args: [String: JSONValue] = [:],
        version: String = "1.0",
        timeout: Duration? = nil
    ) async -> RPCCallError? {
        do {
            let result = try await self.call(client, method, args, version: version, timeout: timeout)
            Issue.record("\(method) returned \(result) instead of failing")
            return nil
        } catch {
            return error
        }
    }

    /// Waits until `count` servers consume from the topic's shared queue (up to 90 s: at the suite's start a
    /// thousand tests share 2 cores, and a connection's handshake alone has taken over 10 s then).
    func waitForServers(_ count: Int, client: OsloRPCClient) async throws {
        try await within(.seconds(90)) {
            while await client.serverCount() != count {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    /// Runs the servers (each in a task, cancelled at the end) and the client around `body`, then deletes what
    /// they declared.
    func run<T: Sendable>(
        servers: [OsloRPCServer],
        client: OsloRPCClient,
        _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let result: Result<T, any Error> = await withTaskGroup(of: Void.self) { group in
            for server in servers {
                group.addTask { await server.run() }
            }
            defer { group.cancelAll() }
            do {
                try await self.waitForServers(servers.count, client: client)
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }
        await client.close()
        await self.cleanUp(servers: servers, clients: [client])
        return try result.get()
    }

    /// Deletes the queues and exchanges of the topic, the servers' fanout queues and the clients' reply queues.
    func cleanUp(servers: [OsloRPCServer], clients: [OsloRPCClient], hosts: [String] = []) async {
        guard let configuration = try? RPCTestEnvironment.connection(),
            let connection = try? await AMQPConnection.connect(
                configuration: configuration,
                logger: RPCTestEnvironment.logger
            )
        else { return }
        let queues =
            [self.topic] + servers.map { "\(self.topic).\($0.host)" } + hosts.map { "\(self.topic).\($0)" }
            + servers.map(\.fanoutQueue) + clients.map(\.replyQueue)
        for queue in queues {
            // A channel per deletion: deleting a queue that is not there closes the channel on old brokers.
            if let channel = try? await connection.openChannel() {
                _ = try? await channel.queueDelete(queue)
                try? await channel.close()
            }
        }
        for exchange in [self.exchange, "\(self.topic)_fanout"] {
            if let channel = try? await connection.openChannel() {
                try? await channel.exchangeDelete(exchange)
                try? await channel.close()
            }
        }
        try? await connection.close()
    }
}

extension OsloRPCClient {
    /// The topic's server count once it is `expected`, or the last one read within 30 s (a loaded machine may be
    /// slow to connect, or to see a new consumer).
    func serverCount(reaching expected: Int) async throws -> Int? {
        var servers = await self.serverCount()
        let deadline = ContinuousClock.now + .seconds(30)
        while servers != expected && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            servers = await self.serverCount()
        }
        return servers
    }
}
