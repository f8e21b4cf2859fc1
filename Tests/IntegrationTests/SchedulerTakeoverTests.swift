import BileanCore
import BileanTestSupport
import Foundation
import Testing

/// Two scheduler processes on one PostgreSQL, on the real clock: a `bilean-server all` (API, listener and
/// scheduler) leases a project's freeze job and is killed with SIGKILL; a `bilean-server scheduler` started next to
/// it takes the job over once the dead one's lease expires, and freezes the project at its run-out second.
///
/// Needs RabbitMQ, the test venv's python (to publish the Nova notification) and PostgreSQL; `CI=true` runs it.
@Suite(
    .serialized,
    .enabled(
        if: NotificationPeer.isEnabled && (TestDatabase.postgresURL != nil || TestDatabase.isCI),
        "needs BILEAN_TEST_RABBITMQ_URL, BILEAN_TEST_PYTHON and BILEAN_TEST_POSTGRES_URL"
    )
)
struct SchedulerTakeoverTests {
    /// Seconds of billing the recharge pays for, at 1 per second.
    static let runway: Int64 = 40

    @Test func aSecondSchedulerTakesOverTheJobsOfOneThatDied() async throws {
        try await NotificationFlowTests.withSetup { setup in
            try await TestDatabase.withPostgresDatabase { database in
                let shared = """
                    [DEFAULT]
                    transport_url = \(try NotificationPeer.transportURL())
                    debug = true
                    control_exchange = \(setup.prefix)-billing
                    [database]
                    connection = \(database)
                    [notification]
                    exchanges = \(setup.nova)
                    versioned_exchanges = \(setup.nova)
                    queue = \(setup.queue)
                    [oslo_messaging_notifications]
                    topics = \(setup.prefix)-notifications
                    [scheduler]
                    prior_notify_time = 1
                    poll_interval = 1
                    lease_time = 4
                    daily_settlement_time = none

                    """
                let first = try await ServerProcess.start(
                    in: setup.directory,
                    configuration: shared + "[DEFAULT]\nhost = first\n",
                    arguments: ["all"],
                    configurationName: "first.conf"
                )
                var second: ServerProcess?
                var reader: ServerProcess?
                do {
                    try await Self.scenario(
                        setup: setup,
                        shared: shared,
                        first: first,
                        second: &second,
                        reader: &reader
                    )
                } catch {
                    _ = try? await first.stop()
                    _ = try? await second?.stop()
                    _ = try? await reader?.stop()
                    throw error
                }
                _ = try? await first.stop()
                _ = try? await reader?.stop()
            }
        }
    }

    static func scenario(
        setup: NotificationFlowTests.Setup,
        shared: String,
        first: ServerProcess,
        second: inout ServerProcess?,
        reader: inout ServerProcess?
    ) async throws {
        // Prices (1 per second) and a project with `runway` seconds of money.
        _ = try await SchedulerFlowTests.createPerSecondPolicy(on: first, setup: setup)
        try await NotificationFlowTests.waitForListener(setup)
        let project = "\(setup.prefix)-takeover"
        _ = try await first.cli("user-recharge", project, "--value", "\(Self.runway)", "-f", "json")
        let launched = try await SchedulerFlowTests.launchServer(setup: setup, project: project)
        let runOut = launched.adding(seconds: Self.runway)
        // The first scheduler leases the freeze job (it falls due within its look-ahead of 60 s).
        let leaseDeadline = Date().addingTimeInterval(30)
        while !first.log.contains("scheduler leased jobs") {
            try #require(Date() < leaseDeadline, "the first scheduler leased nothing:\n\(first.log.suffix(3000))")
            try await Task.sleep(for: .milliseconds(100))
        }
        // A second scheduler starts next to it: the job is held by a live lease, so it waits.
        second = try await ServerProcess.start(
            in: setup.directory,
            configuration: shared + "[DEFAULT]\nhost = second\n",
            arguments: ["scheduler"],
            configurationName: "second.conf",
            readyText: "scheduler started"
        )
        // The first one dies without a word.
        kill(first.process.processIdentifier, SIGKILL)
        first.process.waitUntilExit()
        let killedAt = Date()
        #expect(killedAt < runOut.date, "the run-out came before the kill; raise the runway")
        // Read through an API-only process on the same database.
        reader = try await ServerProcess.start(
            in: setup.directory,
            configuration: shared + "[DEFAULT]\nhost = reader\n",
            arguments: ["api"],
            configurationName: "reader.conf"
        )
        let api = try #require(reader)
        var frozen: JSONValue?
        var seenAt = Date()
        while Date() < runOut.date.addingTimeInterval(30) {
            let output = try await api.cli("user-show", project, "-f", "json")
            seenAt = Date()
            if output.status == 0, let user = try? JSONValue(jsonText: output.stdout),
                user["status"] == .string("FREEZE")
            {
                frozen = user
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        let secondLog = second?.log ?? ""
        let user = try #require(frozen, "not frozen by the second scheduler:\n\(secondLog.suffix(4000))")
        #expect(seenAt >= runOut.date, "frozen before the run-out")
        #expect(try SchedulerFlowTests.money(user["balance"]) == .zero, "\(user)")
        // The second scheduler fired it (its log at stop counts what it fired).
        let survivor = try #require(second)
        #expect(try await survivor.stop() == 0)
        #expect(survivor.log.contains("scheduler leased jobs"), "\(survivor.log.suffix(3000))")
        #expect(survivor.log.contains("fired=1"), "\(survivor.log.suffix(3000))")
        second = nil
    }
}
