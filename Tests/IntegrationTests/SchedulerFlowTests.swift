import BileanCore
import BileanTestSupport
import Foundation
import Testing

/// The scheduler end to end, on the REAL clock: a real RabbitMQ, a real oslo.messaging notification listener (the
/// test venv's, from PyPI: `scripts/amqp-peer.py oslo-listen`) reading the `billing.notify` notifications, and a
/// real all-in-one `bilean-server` on SQLite whose in-process scheduler warns and freezes a project while the test
/// watches it through the REST API with the CLI.
///
/// Each run uses exchanges, a queue and a notification topic of its own (`<prefix>-nova`, `<prefix>-billing`,
/// `<prefix>-notifications`, …), so that it can share the broker with the other suites: queue names are global to
/// the virtual host, and the `notifications.info` queue the oslo Notifiers of the notification flow tests declare
/// (bound to their own Nova exchanges) would hand Nova notifications, and old copies, to this listener.
@Suite(.serialized, .enabled(if: NotificationPeer.isEnabled, "needs BILEAN_TEST_RABBITMQ_URL and BILEAN_TEST_PYTHON"))
struct SchedulerFlowTests {
    /// The seconds of billing the project's recharge pays for (at 1 per second: the recharge itself).
    ///
    /// The server must bill the server's creation before this runs out (the warning's `expected_run_out` is the
    /// exact run-out only then): it covers a python start with oslo.messaging's imports, the publish and the
    /// listener's batch on a busy 2-core machine.
    static let runway: Int64 = 20

    /// The Nova flavor the test prices at 3600 per hour, exactly 1 per second.
    static let flavor = "b1.per-second"

    /// bilean.conf: the listener on the run's Nova exchange and queue; `billing.notify` to the run's control
    /// exchange and topic as `billing.testhost`; a one-hour warning, a 1 s poll and no daily settlement.
    static func configuration(
        _ setup: NotificationFlowTests.Setup,
        controlExchange: String,
        topic: String
    ) throws -> String {
        """
        [DEFAULT]
        transport_url = \(try NotificationPeer.transportURL())
        debug = true
        host = testhost
        control_exchange = \(controlExchange)
        [notification]
        exchanges = \(setup.nova)
        versioned_exchanges = \(setup.nova)
        queue = \(setup.queue)
        batch_size = 100
        [oslo_messaging_notifications]
        topics = \(topic)
        [scheduler]
        prior_notify_time = 1
        poll_interval = 1
        daily_settlement_time = none

        """
    }

    /// A decimal string (or number) of a response or payload as an exact amount.
    static func money(_ value: JSONValue?, sourceLocation: SourceLocation = #_sourceLocation) throws -> Money {
        let text = try #require(
            value?.scalarText,
            "not a decimal: \(String(describing: value))",
            sourceLocation: sourceLocation
        )
        return try Money(parsing: text)
    }

    @Test func aProjectIsWarnedThenFrozenAtItsRunOutSecondAndOsloHearsIt() async throws {
        try await NotificationFlowTests.withSetup { setup in
            let controlExchange = "\(setup.prefix)-billing"
            let topic = "\(setup.prefix)-notifications"
            // The listener first: its queue `<topic>.info` is bound on the control exchange before anything is sent.
            let listener = try OsloListenerProcess(exchange: controlExchange, topic: topic, count: 2, timeout: 300)
            defer { listener.terminate() }
            try await listener.waitForLine("READY", within: 120)

            let server = try await ServerProcess.start(
                in: setup.directory,
                configuration: try Self.configuration(setup, controlExchange: controlExchange, topic: topic),
                arguments: ["all"]
            )
            do {
                try await Self.warnThenFreeze(setup: setup, server: server, listener: listener)
            } catch {
                _ = try? await server.stop()
                throw error
            }
            #expect(try await server.stop() == 0, "server log:\n\(server.log.suffix(4000))")
        }
    }

    /// Creates the default (only) policy: the flavor ``flavor`` at 3600 per hour, 1 per second.
    /// - Returns: The policy, as the CLI printed it.
    static func createPerSecondPolicy(
        on server: ServerProcess,
        setup: NotificationFlowTests.Setup
    ) async throws -> JSONValue {
        let spec = setup.directory.appendingPathComponent("nova-per-second.yaml")
        try """
        type: os.nova.server
        version: 1.0
        properties:
          unit: per_hour
          price_mapping:
            - {flavor: \(Self.flavor), price: 3600}
        """.write(to: spec, atomically: true, encoding: .utf8)
        let rule = try NotificationFlowTests.json(
            try await server.cli("rule-create", "nova-per-second", "--spec-file", spec.path, "-f", "json")
        )
        return try NotificationFlowTests.json(
            try await server.cli(
                "policy-create",
                "per-second",
                "--rule",
                try #require(rule["id"]?.stringValue),
                "-f",
                "json"
            )
        )
    }

    /// Publishes a Nova `compute.instance.create.end` of a ``flavor`` server of `project`, launched at the current
    /// second (real oslo.messaging Notifier).
    /// - Returns: The launch instant.
    static func launchServer(setup: NotificationFlowTests.Setup, project: String) async throws -> BillingTime {
        let launched = BillingTime(seconds: Int64(Date().timeIntervalSince1970.rounded(.down)))
        let text = NotificationFlowTests.format(launched)
        try await NotificationPeer.publish(
            [
                NotificationPeer.oslo(
                    exchange: setup.nova,
                    eventType: "compute.instance.create.end",
                    publisherID: "compute.compute-1",
                    payload: NotificationFlowTests.novaLegacy(
                        instance: "\(setup.prefix)-server",
                        project: project,
                        flavor: Self.flavor,
                        times: ["launched_at": text, "created_at": text]
                    ),
                    timestamp: text,
                    context: ["project_id": .string(project)]
                )
            ],
            in: setup.directory
        )
        return launched
    }

    /// The scenario, with the server and the listener running.
    static func warnThenFreeze(
        setup: NotificationFlowTests.Setup,
        server: ServerProcess,
        listener: OsloListenerProcess
    ) async throws {
        let policy = try await Self.createPerSecondPolicy(on: server, setup: setup)
        #expect(policy["is_default"] == .bool(true))
        try await NotificationFlowTests.waitForListener(setup)

        let project = "\(setup.prefix)-frozen"
        let recharged = try NotificationFlowTests.json(
            try await server.cli("user-recharge", project, "--value", "\(Self.runway)", "-f", "json")
        )
        #expect(try Self.money(recharged["balance"]) == Money(integer: Int(Self.runway)), "\(recharged)")

        // A server launched at the current second: the money runs out `runway` seconds later, to the microsecond.
        let launched = try await Self.launchServer(setup: setup, project: project)
        let runOut = launched.adding(seconds: Self.runway)
        let published = Date()

        // Watch the project until the scheduler freezes it (it cannot before its run-out instant).
        let deadline = runOut.date.addingTimeInterval(30)
        var statuses: [String] = []
        var frozen: JSONValue?
        var frozenSeenAt = Date()
        while true {
            let output = try await server.cli("user-show", project, "-f", "json")
            frozenSeenAt = Date()
            if output.status == 0, let user = try? JSONValue(jsonText: output.stdout) {
                let status = user["status"]?.stringValue ?? "<none>"
                if statuses.last != status { statuses.append(status) }
                if status == "FREEZE" {
                    frozen = user
                    break
                }
            }
            if Date() > deadline { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let context =
            "launched \(launched), run-out \(runOut), published at \(BillingTime(date: published)), "
            + "statuses \(statuses); server log:\n\(server.log.suffix(4000))"
        let user = try #require(frozen, "not frozen within 30 s of its run-out; \(context)")
        #expect(statuses.contains("WARNING"), "\(context)")
        #expect(frozenSeenAt >= runOut.date, "frozen before its run-out; \(context)")
        // The freeze settled at the run-out instant: the balance is exactly 0 (no credit), and billing stopped.
        #expect(try Self.money(user["balance"]) == .zero, "\(user); \(context)")
        try await Task.sleep(for: .seconds(2))
        let later = try NotificationFlowTests.json(try await server.cli("user-show", project, "-f", "json"))
        #expect(later["status"] == .string("FREEZE"), "\(later)")
        #expect(try Self.money(later["balance"]) == .zero, "billing did not stop: \(later); \(context)")

        // What oslo.messaging heard: the warning at the change, the freeze at the run-out.
        let result = try await listener.json()
        let received = result["received"]?.arrayValue ?? []
        #expect(received.count == 2, "more than 2 means duplicates or strays: \(result)")
        try #require(received.count >= 2, "\(result); \(context)")
        for notification in received {
            #expect(notification["event_type"] == .string("billing.notify"), "\(notification)")
            #expect(notification["publisher_id"] == .string("billing.testhost"), "\(notification)")
            #expect(notification["priority"] == .string("info"), "\(notification)")
        }
        let warning = try #require(received[0]["payload"], "\(received[0])")
        #expect(warning["reason"] == .string("warning"), "\(warning)")
        #expect(warning["status"] == .string("WARNING"), "\(warning)")
        #expect(warning["user_id"] == .string(project), "\(warning)")
        #expect(warning["expected_run_out"] == .string(runOut.iso8601), "\(warning); \(context)")
        #expect(try Self.money(warning["rate"]) == Money(integer: 1), "\(warning)")
        #expect(try Self.money(warning["credit"]) == .zero, "\(warning)")
        // Sent when the creation was billed, between the launch and the run-out, with what was left then.
        let warned = try BillingTime(parsing: try #require(warning["timestamp"]?.stringValue, "\(warning)"))
        #expect(warned >= launched && warned < runOut, "\(warning); \(context)")
        let left = try Self.money(warning["balance"])
        #expect(left > .zero && left <= Money(integer: Int(Self.runway)), "\(warning)")

        let freeze = try #require(received[1]["payload"], "\(received[1])")
        #expect(freeze["reason"] == .string("freeze"), "\(freeze)")
        #expect(freeze["status"] == .string("FREEZE"), "\(freeze)")
        #expect(freeze["user_id"] == .string(project), "\(freeze)")
        #expect(try Self.money(freeze["balance"]) == .zero, "\(freeze)")
        #expect(freeze["timestamp"] == .string(runOut.iso8601), "\(freeze); \(context)")
        #expect(freeze["expected_run_out"] == .null, "\(freeze)")

        let ids = received.prefix(2).map { $0["metadata_message_id"]?.stringValue ?? "" }
        #expect(ids.allSatisfy { !$0.isEmpty }, "\(received)")
        #expect(ids[0] != ids[1], "\(received)")

        // The audit trail has the freeze, at the run-out instant.
        let events = try NotificationFlowTests.json(
            try await server.cli("event-list", "--user-id", project, "-f", "json")
        )
        let freezeEvent = try #require(
            events.arrayValue?.first { $0["action"] == .string("freeze") },
            "no freeze event: \(events)"
        )
        #expect(freezeEvent["timestamp"] == .string(runOut.iso8601), "\(freezeEvent)")
        #expect(try Self.money(freezeEvent["metadata"]?["balance"]) == .zero, "\(freezeEvent)")
    }
}

/// `scripts/amqp-peer.py oslo-listen` running in the background under the venv's python: an oslo.messaging
/// notification listener that prints `READY` on stderr once its queues are bound, and its JSON (what it received)
/// on stdout once it has `count` notifications. stdout and stderr go to files (no pipe buffer to fill up).
final class OsloListenerProcess {
    /// The repository's `scripts/amqp-peer.py`.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/amqp-peer.py").path

    let process: ChildProcess
    let directory: URL
    let stdoutURL: URL
    let stderrURL: URL
    /// When the test gives up on it (a little after its own `--timeout`).
    let deadline: Date

    /// Starts the listener.
    /// - Parameters:
    ///   - exchange: oslo's control exchange (the queues are bound on it).
    ///   - topic: The topic: queues `<topic>.info`, `.warn` and `.error`.
    ///   - count: The notifications it waits for.
    ///   - timeout: Its `--timeout`, seconds from now.
    init(exchange: String, topic: String, count: Int, timeout: Int) throws {
        guard let python = NotificationPeer.python, let url = NotificationPeer.brokerURL else {
            throw NotificationPeer.PeerFailed(
                description: "BILEAN_TEST_PYTHON and BILEAN_TEST_RABBITMQ_URL are not set (scripts/test sets them)"
            )
        }
        let directory = try BileanProcesses.temporaryDirectory()
        self.directory = directory
        self.stdoutURL = directory.appendingPathComponent("stdout")
        self.stderrURL = directory.appendingPathComponent("stderr")
        self.deadline = Date().addingTimeInterval(Double(timeout) + 30)
        _ = FileManager.default.createFile(atPath: self.stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: self.stderrURL.path, contents: nil)
        // Not Foundation's Process: its run() crashes now and then on Linux (see ChildProcess).
        self.process = ChildProcess(
            executable: python,
            arguments: [
                Self.script, "oslo-listen", "--url", url, "--timeout", "\(timeout)", "--exchange", exchange, "--topic",
                topic, "--count", "\(count)",
            ],
            standardOutput: .file(self.stdoutURL.path),
            standardError: .file(self.stderrURL.path)
        )
        try self.process.run()
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

    /// Waits until it printed `line` on stderr.
    func waitForLine(_ line: String, within seconds: Double) async throws {
        let deadline = min(self.deadline, Date().addingTimeInterval(seconds))
        while !self.stderr.split(separator: "\n").contains(Substring(line)) {
            guard self.process.isRunning else {
                throw NotificationPeer.PeerFailed(
                    description: "oslo-listen ended before printing \(line); stderr:\n\(self.stderr)"
                )
            }
            guard Date() < deadline else {
                self.terminate()
                throw NotificationPeer.PeerFailed(
                    description: "oslo-listen did not print \(line) within \(seconds) s; stderr:\n\(self.stderr)"
                )
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits for it to exit 0 and returns the JSON object it printed.
    func json() async throws -> JSONValue {
        while self.process.isRunning {
            guard Date() < self.deadline else {
                self.terminate()
                throw NotificationPeer.PeerFailed(description: "oslo-listen did not finish; stderr:\n\(self.stderr)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        self.process.waitUntilExit()
        let stdout = (try? String(contentsOf: self.stdoutURL, encoding: .utf8)) ?? ""
        guard self.process.terminationStatus == 0 else {
            throw NotificationPeer.PeerFailed(
                description: "oslo-listen exited \(self.process.terminationStatus); stderr:\n\(self.stderr)"
            )
        }
        do {
            return try JSONValue(jsonText: stdout)
        } catch {
            throw NotificationPeer.PeerFailed(
                description: "oslo-listen printed no JSON: \(stdout)\nstderr:\n\(self.stderr)"
            )
        }
    }
}
