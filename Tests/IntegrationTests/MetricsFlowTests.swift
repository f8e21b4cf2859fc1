import BileanCore
import BileanTestSupport
import Foundation
import Testing

/// `/metrics`, `/healthz` and `/readyz` of real `bilean-server` processes: the listener's counters by definition
/// after real notifications (billed, duplicate, ignored, rejected), the engine's and the scheduler's figures, the
/// API's requests by route template; readiness of what each role uses; a role without the API on
/// `[DEFAULT] metrics_port`.
@Suite(.enabled(if: NotificationPeer.isEnabled, "needs BILEAN_TEST_RABBITMQ_URL and BILEAN_TEST_PYTHON"))
struct MetricsFlowTests {
    typealias Flow = NotificationFlowTests

    /// The Prometheus text's samples: `name{labels}` → value (comments left out).
    static func samples(_ text: String) -> [String: String] {
        var samples: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return samples
    }

    static func get(_ url: String) async throws -> KeystoneTestServer.Answer {
        try await KeystoneTestServer.send("GET", url)
    }

    /// Polls `/metrics` until `done` holds for its samples (or the time is up), and returns the last ones.
    static func metrics(
        _ url: String,
        timeout: Double = 60,
        until done: ([String: String]) -> Bool
    ) async throws -> [String: String] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let answer = try await Self.get(url + "/metrics")
            #expect(answer.status == 200)
            #expect(answer.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            let samples = Self.samples(answer.body)
            if done(samples) || Date() > deadline { return samples }
            try await Task.sleep(for: .milliseconds(300))
        }
    }

    @Test func notificationsAreCountedByDefinitionAndOutcome() async throws {
        try await Flow.withSetup { setup in
            let server = try await setup.start()
            do {
                try await Flow.createPrices(on: server)
                try await Flow.waitForListener(setup)
                let project = "\(setup.prefix)-p1"
                _ = try Flow.json(try await server.cli("user-recharge", project, "--value", "100", "-f", "json"))
                let key = "notifications.info"
                let create = Flow.notification(
                    id: "\(setup.prefix)-create-b",
                    eventType: "compute.instance.create.end",
                    payload: Flow.novaLegacy(
                        instance: "\(setup.prefix)-b",
                        project: project,
                        flavor: "m1.small",
                        times: ["launched_at": Flow.at(10)]
                    ),
                    timestamp: Flow.at(10)
                )
                let lines: [JSONValue] = [
                    Flow.nova(setup, "create", "\(setup.prefix)-a", project, "m1.small", ["launched_at": Flow.at(0)]),
                    NotificationPeer.envelope(exchange: setup.nova, routingKey: key, notification: create),
                    // The same message id again: a duplicate.
                    NotificationPeer.envelope(exchange: setup.nova, routingKey: key, notification: create),
                    // No definition matches: ignored, as "other".
                    NotificationPeer.oslo(
                        exchange: setup.nova,
                        eventType: "compute.instance.exists",
                        publisherID: "compute.compute-1",
                        payload: .object(["tenant_id": .string(project)]),
                        timestamp: Flow.at(20)
                    ),
                    // Not a notification: rejected, as "other".
                    NotificationPeer.raw(exchange: setup.nova, routingKey: key, body: Data("not json {".utf8)),
                ]
                try await NotificationPeer.publish(lines, in: setup.directory)
                let created = "definition=\"compute.instance.create.end\""
                let samples = try await Self.metrics(server.url) { samples in
                    samples["bilean_notifications_total{outcome=\"billed\",\(created)}"] == "2"
                        && samples["bilean_notifications_total{outcome=\"duplicate\",\(created)}"] == "1"
                        && samples["bilean_notifications_total{outcome=\"ignored\",definition=\"other\"}"] == "1"
                        && samples["bilean_notifications_total{outcome=\"rejected\",definition=\"other\"}"] == "1"
                }
                #expect(samples["bilean_notifications_total{outcome=\"billed\",\(created)}"] == "2", "\(samples)")
                #expect(samples["bilean_notifications_total{outcome=\"duplicate\",\(created)}"] == "1")
                #expect(samples["bilean_notifications_total{outcome=\"received\",\(created)}"] == "3")
                #expect(samples["bilean_notifications_total{outcome=\"ignored\",definition=\"other\"}"] == "1")
                #expect(samples["bilean_notifications_total{outcome=\"rejected\",definition=\"other\"}"] == "1")
                #expect(samples["bilean_notifications_total{outcome=\"received\",definition=\"other\"}"] == "2")
                // Batches and commits, the lag gauges, the engine's operations, the scheduler's gauges.
                #expect(Int(samples["bilean_listener_batch_size_count"] ?? "") ?? 0 >= 1)
                #expect(Int(samples["bilean_listener_commit_duration_seconds_count"] ?? "") ?? 0 >= 1)
                #expect(samples["bilean_listener_oldest_held_seconds"] != nil)
                #expect(samples["bilean_listener_queue_depth"] != nil)
                let ingest = "bilean_engine_operation_duration_seconds_count{operation=\"ingest notifications\"}"
                #expect(Int(samples[ingest] ?? "") ?? 0 >= 1)
                #expect(samples["bilean_users{status=\"ACTIVE\"}"] != nil)
                #expect(samples["bilean_notify_outbox_depth"] != nil)
                #expect(samples["bilean_freeze_actions_pending"] != nil)
                // The CLI's requests, by route template: never a project id.
                let answer = try await Self.get(server.url + "/metrics")
                #expect(answer.body.contains("route=\"/v1/users/{id}/action\""))
                #expect(!answer.body.contains(project), "a project id in a label")

                // Ready: the database, its schema and the broker.
                let ready = try await Self.get(server.url + "/readyz")
                #expect(ready.status == 200, "\(ready.body)")
                let checks = try ready.json()["checks"]
                for name in ["database", "migrations", "broker"] {
                    #expect(checks?[name]?["status"]?.stringValue == "ok", "\(ready.body)")
                }
                #expect(try await Self.get(server.url + "/healthz").status == 200)
            } catch {
                try await server.stop()
                throw error
            }
            #expect(try await server.stop() == 0, "\(server.log.suffix(3000))")
        }
    }

    @Test func aListenerWithoutTheAPIServesMetricsAndHealthOnItsOwnPort() async throws {
        try await Flow.withSetup { setup in
            let port = 18_800 + Int.random(in: 0..<200)
            let configuration = try setup.configuration + "\n[DEFAULT]\nmetrics_port = \(port)\n"
            let listener = try await ServerProcess.start(
                in: setup.directory,
                configuration: configuration,
                arguments: ["notification"],
                readyText: "metrics and health on http://"
            )
            do {
                let url = "http://127.0.0.1:\(port)"
                try await Flow.waitForListener(setup)
                #expect(try await Self.get(url + "/healthz").status == 200)
                let ready = try await Self.get(url + "/readyz")
                #expect(ready.status == 200, "\(ready.body)")
                let samples = try await Self.metrics(url) { $0["bilean_listener_queue_depth"] != nil }
                #expect(samples["bilean_listener_queue_depth"] != nil, "\(samples)")
                #expect(try await Self.get(url + "/v1/users").status == 404, "a listener serves no API")
            } catch {
                try await listener.stop()
                throw error
            }
            #expect(try await listener.stop() == 0, "\(listener.log.suffix(3000))")
        }
    }
}
