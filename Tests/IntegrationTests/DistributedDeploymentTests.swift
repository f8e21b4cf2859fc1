import BileanCore
import BileanTestSupport
import Foundation
import Testing

/// Issue #15: two `bilean-server engine` processes serve the `accounts`, `ingest` and `jobs` namespaces over
/// oslo.messaging RPC on a real RabbitMQ, over one real PostgreSQL; the `api`, `notification` and `scheduler` roles
/// run with `[DEFAULT] engine = rpc` and no database.
@Suite(
    .serialized,
    .enabled(
        if: NotificationPeer.isEnabled && (TestDatabase.postgresURL != nil || TestDatabase.isCI),
        "needs BILEAN_TEST_RABBITMQ_URL, BILEAN_TEST_PYTHON and BILEAN_TEST_POSTGRES_URL"
    )
)
struct DistributedDeploymentTests {
    typealias Flow = NotificationFlowTests

    static func shared(_ setup: Flow.Setup, database: String, transportURL: String? = nil) throws -> String {
        """
        [DEFAULT]
        transport_url = \(try transportURL ?? NotificationPeer.transportURL())
        debug = true
        control_exchange = \(setup.prefix)-bilean
        rpc_response_timeout = 5
        [database]
        connection = \(database)
        [notification]
        exchanges = \(setup.nova)
        versioned_exchanges = \(setup.nova)
        queue = \(setup.queue)
        batch_size = 100
        [oslo_messaging_notifications]
        topics = \(setup.prefix)-notifications
        [scheduler]
        poll_interval = 1
        daily_settlement_time = none

        """
    }

    /// Starts a role without the API (ready once it logged its start).
    static func role(_ role: String, _ setup: Flow.Setup, _ configuration: String) async throws -> ServerProcess {
        try await ServerProcess.start(
            in: setup.directory,
            configuration: configuration,
            arguments: [role],
            configurationName: "\(role)-\(UUID().uuidString.prefix(6)).conf",
            readyText: "starting bilean-server"
        )
    }

    /// Waits until `count` processes consume the engines' topic queue.
    static func waitForEngines(_ count: Int, setup: Flow.Setup) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let depth = try? await NotificationPeer.run(["queue-depth", "--queue", "bilean-engine"]),
                depth["consumers"] == .number("\(count)")
            {
                return
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        Issue.record("\(count) engine(s) did not start consuming bilean-engine within 60 s")
    }

    /// A deployment under test: its configurations, its engines and its other processes.
    final class Deployment: @unchecked Sendable {
        let setup: Flow.Setup
        /// The engines' configuration (with the database).
        let shared: String
        /// The other roles': `engine = rpc`, and a database connection that cannot work, which proves they never
        /// open it.
        let remote: String
        var engines: [ServerProcess] = []
        var others: [ServerProcess] = []

        init(setup: Flow.Setup, database: String) throws {
            self.setup = setup
            self.shared = try DistributedDeploymentTests.shared(setup, database: database)
            self.remote =
                self.shared
                + "[DEFAULT]\nengine = rpc\n[database]\nconnection = postgresql://nobody@127.0.0.1:1/none\n"
        }

        /// Starts `count` engines and waits until they consume the topic.
        func startEngines(_ count: Int) async throws {
            for index in 1...count {
                self.engines.append(
                    try await DistributedDeploymentTests.role(
                        "engine",
                        self.setup,
                        self.shared + "[DEFAULT]\nhost = engine-\(index)\n"
                    )
                )
            }
            try await DistributedDeploymentTests.waitForEngines(count, setup: self.setup)
        }

        /// Starts the api over RPC.
        func startAPI() async throws -> ServerProcess {
            let api = try await ServerProcess.start(
                in: self.setup.directory,
                configuration: self.remote,
                arguments: ["api"],
                configurationName: "api.conf"
            )
            self.others.append(api)
            return api
        }

        /// Starts a role without the API over RPC.
        func start(_ role: String) async throws -> ServerProcess {
            let process = try await DistributedDeploymentTests.role(role, self.setup, self.remote)
            self.others.append(process)
            return process
        }

        func stopAll() async {
            for process in self.others.reversed() + self.engines { _ = try? await process.stop() }
        }
    }

    /// Runs `body` on a deployment over `database`, or over a new database of the test PostgreSQL; every process
    /// is stopped afterwards.
    static func withDeployment(database: String? = nil, _ body: (Deployment) async throws -> Void) async throws {
        try await Flow.withSetup { setup in
            func run(_ database: String) async throws {
                let deployment = try Deployment(setup: setup, database: database)
                do {
                    try await body(deployment)
                } catch {
                    await deployment.stopAll()
                    throw error
                }
                for process in deployment.others.reversed() + deployment.engines {
                    #expect(try await process.stop() == 0)
                }
            }
            if let database {
                try await run(database)
            } else {
                try await TestDatabase.withPostgresDatabase(run)
            }
        }
    }

    @Test func everyRoleWorksThroughTheEnginesOverRPC() async throws {
        try await Self.withDeployment { deployment in
            let setup = deployment.setup
            try await deployment.startEngines(2)
            let api = try await deployment.startAPI()
            // Through the api, over RPC: the price list and two projects.
            try await Flow.createPrices(on: api)
            let funded = "\(setup.prefix)-funded"
            let short = "\(setup.prefix)-short"
            _ = try Flow.json(try await api.cli("user-recharge", funded, "--value", "1000", "-f", "json"))
            _ = try Flow.json(try await api.cli("user-recharge", short, "--value", "1", "-f", "json"))
            let shown = try Flow.json(try await api.cli("user-show", funded, "-f", "json"))
            #expect(shown["balance"] == .string("1000"), "\(shown)")
            // The api's request id travels in the RPC context: the engine that served it logs it.
            let read = try await KeystoneTestServer.send("GET", api.url + "/v1/users/\(funded)", headers: [:])
            let requestID = try #require(read.headers["x-openstack-request-id"], "\(read.headers)")
            let logged = Date().addingTimeInterval(10)
            while !deployment.engines.contains(where: { $0.log.contains("request.id=\(requestID)") }) && Date() < logged
            {
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(deployment.engines.contains { $0.log.contains("request.id=\(requestID)") })

            // No engine: the api answers 503 within rpc_response_timeout (5 s) and the listener bills nothing and
            // loses nothing.
            for engine in deployment.engines { #expect(try await engine.stop() == 0) }
            deployment.engines = []
            let asked = Date()
            let refused = try await api.cli("user-show", funded, "-f", "json")
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("No billing engine is running"), "\(refused.stderr)")
            #expect(Date().timeIntervalSince(asked) < 15)
            let answer = try await KeystoneTestServer.send("GET", api.url + "/v1/users/\(funded)", headers: [:])
            #expect(answer.status == 503, "\(answer.body)")
            #expect(answer.headers["x-openstack-request-id"]?.hasPrefix("req-") == true, "\(answer.headers)")
            let listener = try await deployment.start("notification")
            _ = try await deployment.start("scheduler")
            try await Flow.waitForListener(setup)
            let now = BillingTime(date: Date())
            func ago(_ seconds: Int64) -> String { Flow.format(now.adding(seconds: -seconds)) }
            let gone = ["launched_at": ago(7200), "deleted_at": ago(3600), "terminated_at": ago(3600)]
            try await NotificationPeer.publish(
                [
                    // One hour of m1.small (0.05 / h).
                    Flow.nova(setup, "create", "\(funded)-vm", funded, "m1.small", ["launched_at": ago(7200)]),
                    Flow.nova(setup, "delete", "\(funded)-vm", funded, "m1.small", gone),
                    // Ten hours of m1.large (0.4 / h) on a balance of 1: overdrawn long ago.
                    Flow.nova(setup, "create", "\(short)-vm", short, "m1.large", ["launched_at": ago(36_000)]),
                ],
                in: setup.directory
            )
            // Received, held unacknowledged, retried: nothing billed, nothing set aside.
            try await Task.sleep(for: .seconds(3))
            #expect(!listener.log.contains("notifications billed"), "billed without an engine?")
            #expect(!listener.log.contains("notification set aside"))

            // Two engines again: every role recovers.
            try await deployment.startEngines(2)
            try await Flow.expectBalances([funded: "999.95"], on: api, timeout: 60)
            // The scheduler, over RPC, freezes the short project once the listener has caught up.
            let deadline = Date().addingTimeInterval(60)
            var status: JSONValue?
            while Date() < deadline {
                status = try Flow.json(try await api.cli("user-show", short, "-f", "json"))["status"]
                if status == .string("FREEZE") { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(
                status == .string("FREEZE"),
                "\((deployment.others + deployment.engines).map { $0.log.suffix(3000) })"
            )
            let funds = try Flow.json(try await api.cli("user-show", funded, "-f", "json"))
            #expect(funds["status"] != .string("FREEZE"))
            let recharges = try Flow.json(try await api.cli("recharge-list", "--user-id", funded, "-f", "json"))
            #expect(recharges.arrayValue?.count == 1, "\(recharges)")
        }
    }

    /// The price list and 10 projects `bench<run>-project-N` with 100 each, as `notify-peer.py preload --users 10
    /// --run RUN` bills them; and the balances 10,000 of its notifications (500 servers each, an hour of m1.small at
    /// 0.05 / h) leave them.
    static func fundTenProjects(
        _ setup: Flow.Setup,
        api: ServerProcess
    ) async throws -> (
        run: String, expected: [String: String]
    ) {
        try await Flow.createPrices(on: api)
        let run = String(setup.prefix.suffix(8))
        var expected: [String: String] = [:]
        for user in 0..<10 {
            let project = "bench\(run)-project-\(user)"
            _ = try Flow.json(try await api.cli("user-recharge", project, "--value", "100", "-f", "json"))
            expected[project] = "75"
        }
        return (run, expected)
    }

    /// 10 funded projects and 10,000 notifications waiting in the listener's queue for them (500 servers each, an
    /// hour of m1.small at 0.05 / h): the balances they must end with once drained.
    static func preloadTenThousand(_ deployment: Deployment, api: ServerProcess) async throws -> [String: String] {
        let setup = deployment.setup
        let (run, expected) = try await Self.fundTenProjects(setup, api: api)
        // The queue and its bindings exist once a listener has started; then 10,000 wait in it.
        let first = try await DistributedDeploymentTests.role("notification", setup, deployment.remote)
        try await Flow.waitForListener(setup)
        #expect(try await first.stop() == 0)
        try await NotificationPeer.run(
            [
                "preload", "--queue", setup.queue, "--exchange", setup.nova, "--count", "10000", "--users", "10",
                "--run", run,
            ],
            timeout: 300
        )
        return expected
    }

    /// Starts the listener and returns once it has billed a few batches, while most of the queue still waits.
    static func startDraining(_ deployment: Deployment) async throws -> ServerProcess {
        let listener = try await deployment.start("notification")
        let deadline = Date().addingTimeInterval(120)
        while listener.log.components(separatedBy: "notifications billed").count <= 3 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        return listener
    }

    /// Expects that the drain was interrupted early (`left`), then that every balance ends exact and the queue empty.
    static func expectDrained(
        _ deployment: Deployment,
        api: ServerProcess,
        expected: [String: String],
        left: JSONValue
    )
        async throws
    {
        #expect((Int(left["messages"]?.numberText ?? "") ?? 0) > 0, "the interruption came after the drain: \(left)")
        try await Flow.expectBalances(expected, on: api, timeout: 240)
        let drained = try await NotificationPeer.run(["queue-depth", "--queue", deployment.setup.queue])
        #expect(drained["messages"] == .number("0"), "\(drained)")
    }

    @Test func anEngineKilledMidDrainLosesNothingAndBillsNothingTwice() async throws {
        try await Self.withDeployment { deployment in
            try await deployment.startEngines(2)
            let api = try await deployment.startAPI()
            let expected = try await Self.preloadTenThousand(deployment, api: api)
            _ = try await Self.startDraining(deployment)
            let victim = deployment.engines.removeFirst()
            kill(victim.process.processIdentifier, SIGKILL)
            victim.process.waitUntilExit()
            let left = try await NotificationPeer.run(["queue-depth", "--queue", deployment.setup.queue])
            try await Self.expectDrained(deployment, api: api, expected: expected, left: left)
        }
    }

    /// Issue #15 §3: PostgreSQL crashes (an immediate stop) in the middle of a drain and is back 3 s later; the
    /// engines reconnect and the listener's batches, kept unacknowledged meanwhile, are billed once.
    @Test func aPostgreSQLRestartMidDrainLosesNothingAndBillsNothingTwice() async throws {
        let postgres = try await TestPostgresServer.start()
        do {
            try await Self.withDeployment(database: postgres.url) { deployment in
                try await deployment.startEngines(2)
                let api = try await deployment.startAPI()
                let expected = try await Self.preloadTenThousand(deployment, api: api)
                let listener = try await Self.startDraining(deployment)
                try await postgres.restart(down: 3)
                let left = try await NotificationPeer.run(["queue-depth", "--queue", deployment.setup.queue])
                try await Self.expectDrained(deployment, api: api, expected: expected, left: left)
                // Nothing was blamed on the messages while the database was away.
                #expect(!listener.log.contains("notification set aside"))
                let retried = listener.log.components(separatedBy: "cannot bill a batch").count - 1
                print(
                    "postgres restart mid-drain: \(left["messages"]?.numberText ?? "?") of 10000 left at the crash, "
                        + "\(retried) batch attempt(s) failed and retried"
                )
            }
        } catch {
            try? await postgres.stop()
            throw error
        }
        try await postgres.stop()
    }
}
