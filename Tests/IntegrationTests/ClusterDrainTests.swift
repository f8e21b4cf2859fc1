import BileanCore
import BileanTestSupport
import Foundation
import Testing

/// Issue #15 §3: Bilean on a 3-node RabbitMQ cluster (`scripts/rabbitmq-test-cluster`) with
/// `rabbit_quorum_queue = true` and the multi-host `transport_url`, over PostgreSQL: 2 engines, the api and the
/// listener over RPC. The node the listener (and the engines) are connected to is SIGKILLed in the middle of a
/// 10,000-notification drain; every balance must end exact (nothing lost, nothing billed twice) and the queue empty.
///
/// Runs when `BILEAN_TEST_RABBITMQ_CLUSTER_URL` is set (`scripts/test` starts the cluster and sets it, with
/// `BILEAN_TEST_RABBITMQ_CLUSTER_DIR`), and under `CI=true` (where it fails without the cluster).
@Suite(
    .serialized,
    .enabled(
        if: TestCluster.url != nil || TestDatabase.isCI,
        "needs BILEAN_TEST_RABBITMQ_CLUSTER_URL (scripts/rabbitmq-test-cluster), BILEAN_TEST_PYTHON, a PostgreSQL"
    )
)
struct ClusterDrainTests {
    typealias Flow = NotificationFlowTests

    typealias Cluster = TestCluster

    /// The configuration every role shares: the cluster, quorum queues, a short RPC timeout.
    static func configuration(_ setup: Flow.Setup, cluster: Cluster, database: String) throws -> String {
        try DistributedDeploymentTests.shared(setup, database: database, transportURL: cluster.transportURL)
            + "[oslo_messaging_rabbit]\nrabbit_quorum_queue = true\n"
    }

    /// `queue-depth` of a queue, asked of node `node` (1…3).
    static func depth(_ queue: String, cluster: Cluster, node: Int) async throws -> JSONValue {
        try await NotificationPeer.run(["queue-depth", "--queue", queue], url: cluster.nodes[node - 1])
    }

    /// Waits until `count` processes consume `queue`.
    static func waitForConsumers(_ count: Int, queue: String, cluster: Cluster) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let depth = try? await Self.depth(queue, cluster: cluster, node: 1),
                depth["consumers"] == .number("\(count)")
            {
                return
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        Issue.record("\(count) consumer(s) did not start consuming \(queue) within 60 s")
    }

    @Test func killingTheListenersNodeMidDrainLosesNothingAndBillsNothingTwice() async throws {
        let cluster = try Cluster()
        try await Flow.withSetup { setup in
            try await TestDatabase.withPostgresDatabase { database in
                let shared = try Self.configuration(setup, cluster: cluster, database: database)
                // The other roles: engine = rpc, and a database that cannot work, which proves they never open it.
                let remote =
                    shared + "[DEFAULT]\nengine = rpc\n[database]\nconnection = postgresql://nobody@127.0.0.1:1/none\n"
                var processes: [ServerProcess] = []
                var killed: Int?
                do {
                    try await Self.drain(
                        setup: setup,
                        cluster: cluster,
                        shared: shared,
                        remote: remote,
                        processes: &processes,
                        killed: &killed
                    )
                } catch {
                    for process in processes.reversed() { _ = try? await process.stop() }
                    if let killed { _ = try? await cluster.run("start-node", ["\(killed)"]) }
                    throw error
                }
                for process in processes.reversed() { #expect(try await process.stop() == 0) }
                // The cluster whole again for whatever runs next.
                if let killed { try await cluster.run("start-node", ["\(killed)"]) }
            }
        }
    }

    static func drain(
        setup: Flow.Setup,
        cluster: Cluster,
        shared: String,
        remote: String,
        processes: inout [ServerProcess],
        killed: inout Int?
    ) async throws {
        let started = Date()
        for index in 1...2 {
            processes.append(
                try await DistributedDeploymentTests.role(
                    "engine",
                    setup,
                    shared + "[DEFAULT]\nhost = engine-\(index)\n"
                )
            )
        }
        try await Self.waitForConsumers(2, queue: "bilean-engine", cluster: cluster)
        let api = try await ServerProcess.start(
            in: setup.directory,
            configuration: remote,
            arguments: ["api"],
            configurationName: "api.conf"
        )
        processes.append(api)
        let (run, expected) = try await DistributedDeploymentTests.fundTenProjects(setup, api: api)
        // The quorum queue and its bindings exist once a listener has started; then 10,000 wait in it.
        let first = try await DistributedDeploymentTests.role("notification", setup, remote)
        try await Self.waitForConsumers(1, queue: setup.queue, cluster: cluster)
        #expect(try await first.stop() == 0)
        let preload = try await NotificationPeer.run(
            [
                "preload", "--queue", setup.queue, "--exchange", setup.nova, "--count", "10000", "--users", "10",
                "--run", run,
            ],
            timeout: 300,
            url: cluster.nodes[1]
        )
        let loaded = Date()
        let listener = try await DistributedDeploymentTests.role("notification", setup, remote)
        processes.append(listener)
        // The node the listener is connected to (an engine is too: each process tries the URL's nodes in order).
        var victim: Int?
        var connections: [(name: String, node: Int)] = []
        let deadline = Date().addingTimeInterval(60)
        while victim == nil && Date() < deadline {
            connections = try await cluster.connections(askingNode: 1)
            victim = connections.first { $0.name == "bilean-notification" }?.node
            if victim == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let node = try #require(victim, "the listener has no connection: \(connections)")
        #expect(
            connections.contains { $0.name == "bilean-engine" && $0.node == node },
            "no engine on node \(node): \(connections)"
        )
        // Kill it once a few batches went through, while most of the queue is still there.
        while listener.log.components(separatedBy: "notifications billed").count <= 3 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        try await cluster.run("kill", ["\(node)"])
        killed = node
        let survivor = node == 1 ? 2 : 1
        let left = try await Self.depth(setup.queue, cluster: cluster, node: survivor)
        #expect((Int(left["messages"]?.numberText ?? "") ?? 0) > 0, "the kill came after the drain: \(left)")
        try await Flow.expectBalances(expected, on: api, timeout: 150)
        let drain = Int(Date().timeIntervalSince(loaded))
        let drained = try await Self.depth(setup.queue, cluster: cluster, node: survivor)
        #expect(
            drained["messages"] == .number("0"),
            "\(drained); logs:\n\(processes.map { "--- \($0.logURL.lastPathComponent)\n\($0.log.suffix(5000))" })"
        )
        // Nothing held unacknowledged either, once the listener has acknowledged its last batches.
        var held: Int?
        let acknowledged = Date().addingTimeInterval(5)
        repeat {
            held = try await cluster.messages(in: setup.queue, askingNode: survivor)?.unacknowledged
        } while held != 0 && Date() < acknowledged
        // Every billed batch is acknowledged at once, also when the queue goes idle.
        #expect(held == 0, "\(held.map(String.init) ?? "?") held unacknowledged")
        #expect(listener.log.contains("notifications billed"))
        let refused = processes.map {
            $0.log.components(separatedBy: "the message broker refused an RPC request").count - 1
        }
        .reduce(0, +)
        print(
            """
            cluster drain: node \(node) killed with \(left["messages"]?.numberText ?? "?") of 10000 left; \
            preload \(preload["seconds"]?.numberText ?? "?") s, drain \(drain) s, \(held.map(String.init) ?? "?") held unacknowledged, \
            \(refused) request(s) refused by the broker and published again, test \
            \(Int(Date().timeIntervalSince(started))) s so far
            """
        )
    }
}

/// The 3-node RabbitMQ cluster of `scripts/rabbitmq-test-cluster`: its URL's nodes, each as a URL of its own (for
/// pika, which takes one host), and its directory.
struct TestCluster {
    static var url: String? { ProcessInfo.processInfo.environment["BILEAN_TEST_RABBITMQ_CLUSTER_URL"] }
    static var directory: String? { ProcessInfo.processInfo.environment["BILEAN_TEST_RABBITMQ_CLUSTER_DIR"] }

    /// The repository's `scripts/rabbitmq-test-cluster`.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/rabbitmq-test-cluster").path

    var url: String
    var directory: String
    /// `amqp://guest:guest@127.0.0.1:PORT/` of node 1, 2 and 3.
    var nodes: [String]
    var ports: [Int]

    init() throws {
        self.url = try #require(Self.url, "BILEAN_TEST_RABBITMQ_CLUSTER_URL is not set")
        self.directory = try #require(Self.directory, "BILEAN_TEST_RABBITMQ_CLUSTER_DIR is not set")
        let authority = try #require(
            self.url.wholeMatch(of: /amqp:\/\/([^\/]+)\/.*/)?.output.1,
            "not amqp://HOSTS/: \(self.url)"
        )
        self.nodes = authority.split(separator: ",").map { "amqp://\($0)/" }
        self.ports = try authority.split(separator: ",").map {
            try #require($0.split(separator: ":").last.flatMap { Int($0) })
        }
        try #require(self.nodes.count == 3, "\(self.url)")
    }

    /// The cluster as bilean.conf's `transport_url`.
    var transportURL: String { "rabbit://" + self.url.dropFirst("amqp://".count) }

    /// Runs `scripts/rabbitmq-test-cluster COMMAND DIR ARGS…`.
    @discardableResult
    func run(_ command: String, _ arguments: [String]) async throws -> BileanProcesses.Output {
        let output = try await BileanProcesses.runExecutable(
            Self.script,
            [command, self.directory] + arguments,
            timeout: 180
        )
        if output.status != 0 {
            throw NotificationPeer.PeerFailed(
                description: "rabbitmq-test-cluster \(command) exited \(output.status): \(output.stderr)"
            )
        }
        return output
    }

    /// The messages of a queue, ready and unacknowledged, asked of node `node`; `nil` when it has no such queue.
    func messages(in queue: String, askingNode node: Int) async throws -> (ready: Int, unacknowledged: Int)? {
        let listed = try await self.run(
            "ctl",
            ["\(node)", "-q", "list_queues", "--no-table-headers", "name", "messages_ready", "messages_unacknowledged"]
        )
        for line in listed.stdout.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            if fields.count == 3, fields[0] == queue, let ready = Int(fields[1]), let held = Int(fields[2]) {
                return (ready, held)
            }
        }
        return nil
    }

    /// The clients' connections, as node 1…3 of each connection's name (`bilean-notification`,
    /// `bilean-engine`…), asked of node `node`.
    func connections(askingNode node: Int) async throws -> [(name: String, node: Int)] {
        let listed = try await self.run(
            "ctl",
            ["\(node)", "-q", "list_connections", "--no-table-headers", "port", "client_properties"]
        )
        return listed.stdout.split(separator: "\n").compactMap { line in
            guard let port = line.split(separator: "\t").first.flatMap({ Int($0) }),
                let index = self.ports.firstIndex(of: port),
                let name = line.firstMatch(of: /\{"connection_name","([^"]*)"\}/)?.output.1
            else { return nil }
            return (name: String(name), node: index + 1)
        }
    }
}
