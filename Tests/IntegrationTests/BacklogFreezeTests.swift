import BileanCore
import BileanTestSupport
import Foundation
import Testing

/// Issue #18 §1, as an operator would meet it: a real all-in-one `bilean-server` (listener, scheduler and freeze
/// actions in one process, SQLite) behind a real RabbitMQ, with `[freeze] action = delete` against `FakeOpenStack`
/// (Keystone and a recording Nova: Nova cannot run here). Fifteen funded projects each run a cheap server and
/// create an expensive one 10 h ago; ten delete it a minute later. 20,000 other notifications sit in the queue
/// between those creations and deletions. In order, the ten are never short: none may be frozen, not even for a
/// moment, and none of their servers may be touched. The five that keep the expensive server are frozen, and
/// their servers deleted.
@Suite(.enabled(if: NotificationPeer.isEnabled, "needs BILEAN_TEST_RABBITMQ_URL and BILEAN_TEST_PYTHON"))
struct BacklogFreezeTests {
    typealias Flow = NotificationFlowTests

    static func configuration(_ setup: Flow.Setup, fake: FakeOpenStack) throws -> String {
        try setup.configuration + """
            [keystone_authtoken]
            auth_url = \(fake.authURL)
            username = \(fake.username)
            password = \(fake.password)
            project_name = \(fake.projectName)
            user_domain_name = Default
            project_domain_name = Default
            [freeze]
            action = delete
            retry_interval = 1
            [scheduler]
            poll_interval = 1

            """
    }

    /// The requests the recording Nova answered for server `id` (its `GET`, actions and `DELETE`), matched on the
    /// percent-decoded path `…/servers/{id}[/action]`.
    static func requests(to id: String, in requests: [FakeOpenStack.Request]) -> [FakeOpenStack.Request] {
        requests.filter { request in
            let path = request.path.removingPercentEncoding ?? request.path
            let segments = path.split(separator: "/").map(String.init)
            return zip(segments, segments.dropFirst()).contains { $0 == "servers" && $1 == id }
        }
    }

    /// A 10-hour backlog with `action = delete`: the five short projects are frozen and both of their servers get
    /// a `DELETE` from the freeze action; the ten safe projects are never frozen and no request reaches any of
    /// their servers (nor any path naming them).
    @Test func aBacklogFreezesNoProjectThatInOrderDeliveryWouldNot() async throws {
        let fake = try await FakeOpenStack.start()
        defer { Task { await fake.shutdown() } }
        try await Flow.withSetup { setup in
            let config = try Self.configuration(setup, fake: fake)
            var server = try await ServerProcess.start(in: setup.directory, configuration: config)
            try await Flow.createPrices(on: server)
            let safe = (0..<10).map { "\(setup.prefix)-safe-\($0)" }
            let short = (0..<5).map { "\(setup.prefix)-short-\($0)" }
            let run = String(setup.prefix.suffix(8))
            for project in safe + short {
                _ = try Flow.json(try await server.cli("user-recharge", project, "--value", "1", "-f", "json"))
                fake.addServer("\(project)-cheap")
                fake.addServer("\(project)-dear")
            }
            // The backlog's own projects, funded: they are billed in order and must not be frozen either.
            for user in 0..<10 {
                _ = try Flow.json(
                    try await server.cli("user-recharge", "bench\(run)-project-\(user)", "--value", "100", "-f", "json")
                )
            }
            try await Flow.waitForListener(setup)
            #expect(try await server.stop() == 0)

            let now = BillingTime(date: Date())
            func ago(_ seconds: Int64) -> String { Flow.format(now.adding(seconds: -seconds)) }
            // 10 h ago: every project's cheap (0.05 / h) and expensive (0.4 / h) servers. Alone, the expensive one
            // overdraws the balance of 1 after 2.2 h; a minute of it costs 0.0067.
            var creations: [JSONValue] = []
            for project in safe + short {
                creations.append(
                    Flow.nova(
                        setup,
                        "create",
                        "\(project)-cheap",
                        project,
                        "m1.small",
                        ["launched_at": ago(36_000)]
                    )
                )
                creations.append(
                    Flow.nova(
                        setup,
                        "create",
                        "\(project)-dear",
                        project,
                        "m1.large",
                        ["launched_at": ago(36_000)]
                    )
                )
            }
            try await NotificationPeer.publish(creations, in: setup.directory)
            try await NotificationPeer.run(
                [
                    "preload", "--queue", setup.queue, "--exchange", setup.nova, "--count", "20000", "--users", "10",
                    "--run", run, "--start", ago(30_000),
                ],
                timeout: 300
            )
            let deletions = safe.map { project in
                Flow.nova(
                    setup,
                    "delete",
                    "\(project)-dear",
                    project,
                    "m1.large",
                    ["launched_at": ago(36_000), "deleted_at": ago(35_940), "terminated_at": ago(35_940)]
                )
            }
            try await NotificationPeer.publish(deletions, in: setup.directory)
            let queued = try await NotificationPeer.run(["queue-depth", "--queue", setup.queue])
            #expect(queued["messages"] == .number("20040"), "\(queued)")

            server = try await ServerProcess.start(in: setup.directory, configuration: config)
            // The five short projects are frozen once the data is current, and their servers deleted.
            let deadline = Date().addingTimeInterval(180)
            var frozen: Set<String> = []
            while Date() < deadline {
                frozen = []
                for project in short {
                    let user = try Flow.json(try await server.cli("user-show", project, "-f", "json"))
                    if user["status"] == .string("FREEZE") { frozen.insert(project) }
                }
                let deleted = short.allSatisfy {
                    fake.serverState("\($0)-cheap") == nil && fake.serverState("\($0)-dear") == nil
                }
                if frozen.count == short.count && deleted { break }
                try await Task.sleep(for: .milliseconds(500))
            }
            #expect(frozen == Set(short), "server log:\n\(server.log.suffix(6000))")
            // `action = delete` reached Nova: each of their servers got a DELETE that Nova accepted (204).
            for project in short {
                for id in ["\(project)-cheap", "\(project)-dear"] {
                    let received = Self.requests(to: id, in: fake.requests)
                    let deletes = received.filter { $0.method == "DELETE" }
                    #expect(deletes.contains { $0.status == 204 }, "\(id) was not deleted: \(received)")
                    #expect(fake.serverState(id) == nil, "\(id) still exists")
                }
            }
            let drained = try await NotificationPeer.run(["queue-depth", "--queue", setup.queue])
            #expect(drained["messages"] == .number("0"), "\(drained)")
            // Give a wrongful freeze every chance to show: the scheduler polls each second.
            try await Task.sleep(for: .seconds(3))
            for project in safe {
                let user = try Flow.json(try await server.cli("user-show", project, "-f", "json"))
                #expect(user["status"] != .string("FREEZE"), "\(project): \(user)")
                let events = try Flow.json(try await server.cli("event-list", "--user-id", project, "-f", "json"))
                let freezes = events.arrayValue?.filter { $0["action"] == .string("freeze") } ?? []
                #expect(freezes.isEmpty, "\(project) was frozen: \(freezes)")
                #expect(fake.serverState("\(project)-cheap") == "ACTIVE")
                #expect(fake.serverState("\(project)-dear") == "ACTIVE")
                // No request of any kind (GET, stop, DELETE) reached either of its servers.
                for id in ["\(project)-cheap", "\(project)-dear"] {
                    let received = Self.requests(to: id, in: fake.requests)
                    #expect(received.isEmpty, "\(id) was touched: \(received)")
                }
            }
            let touched = fake.requests.filter { request in
                let path = request.path.removingPercentEncoding ?? request.path
                return safe.contains { path.contains($0) }
            }
            #expect(touched.isEmpty, "\(touched)")
            for user in 0..<10 {
                let bench = try Flow.json(
                    try await server.cli("user-show", "bench\(run)-project-\(user)", "-f", "json")
                )
                #expect(bench["status"] != .string("FREEZE"), "\(bench)")
            }
            #expect(server.log.contains("freeze held"), "no hold was logged")
            #expect(try await server.stop() == 0)
        }
    }
}
