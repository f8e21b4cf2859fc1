import BileanCore
import BileanTestSupport
import Foundation
import Testing

/// OpenStack notifications, published by a real oslo.messaging (and pika, for what oslo cannot send) to a real
/// RabbitMQ, billed by a real all-in-one `bilean-server` on SQLite, read back through the REST API with the CLI.
///
/// Each test uses exchanges and a queue of its own (`<prefix>-nova`, …), so that the tests can share the broker.
@Suite(.enabled(if: NotificationPeer.isEnabled, "needs BILEAN_TEST_RABBITMQ_URL and BILEAN_TEST_PYTHON"))
struct NotificationFlowTests {
    /// The cloud time every scenario starts at.
    static let t0 = "2026-01-01T00:00:00.000000"

    /// `t0` + seconds, in the form Nova's legacy payloads use.
    static func at(_ seconds: Int) -> String {
        let time = BillingTime(seconds: 1_767_225_600 + Int64(seconds))
        return Self.format(time)
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff`, as oslo writes a notification's `timestamp`.
    static func format(_ time: BillingTime) -> String {
        let date = Date(timeIntervalSince1970: Double(time.microseconds / 1_000_000))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)).000000"
    }

    /// A server listening on the test's own exchanges and queue.
    struct Setup {
        var prefix: String
        var directory: URL
        var nova: String { "\(self.prefix)-nova" }
        var cinder: String { "\(self.prefix)-cinder" }
        var keystone: String { "\(self.prefix)-keystone" }
        var queue: String { "\(self.prefix)-bilean" }

        var configuration: String {
            get throws {
                """
                [DEFAULT]
                transport_url = \(try NotificationPeer.transportURL())
                debug = true
                [notification]
                exchanges = \(self.nova), \(self.cinder), \(self.keystone)
                versioned_exchanges = \(self.nova)
                queue = \(self.queue)
                batch_size = 100

                """
            }
        }

        func start() async throws -> ServerProcess {
            try await ServerProcess.start(in: self.directory, configuration: try self.configuration)
        }
    }

    static func withSetup(_ body: (Setup) async throws -> Void) async throws {
        let directory = try BileanProcesses.temporaryDirectory()
        // BILEAN_TEST_KEEP_DIRS=1 keeps the processes' logs and configurations, to read after a failure.
        defer {
            if ProcessInfo.processInfo.environment["BILEAN_TEST_KEEP_DIRS"] != "1" {
                try? FileManager.default.removeItem(at: directory)
            }
        }
        let prefix = "it-\(UUID().uuidString.prefix(8).lowercased())"
        try await body(Setup(prefix: prefix, directory: directory))
    }

    /// Creates the price list: Nova m1.small 0.05 / h and m1.large 0.4 / h; Cinder 0.01 / h up to 10 GB, 0.1 / h
    /// above; as the default policy.
    static func createPrices(on server: ServerProcess) async throws {
        let nova = server.directory.appendingPathComponent("nova.yaml")
        try """
        type: os.nova.server
        version: 1.0
        properties:
          unit: per_hour
          price_mapping:
            - {flavor: m1.small, price: 0.05}
            - {flavor: m1.large, price: 0.4}
        """.write(to: nova, atomically: true, encoding: .utf8)
        let cinder = server.directory.appendingPathComponent("cinder.yaml")
        try """
        type: os.cinder.volume
        version: 1.0
        properties:
          unit: per_hour
          price_mapping:
            - {start: 1, end: 10, price: 0.01}
            - {start: 11, price: 0.1}
        """.write(to: cinder, atomically: true, encoding: .utf8)
        let novaRule = try Self.json(
            try await server.cli("rule-create", "nova", "--spec-file", nova.path, "-f", "json")
        )
        let cinderRule = try Self.json(
            try await server.cli("rule-create", "cinder", "--spec-file", cinder.path, "-f", "json")
        )
        let policy = try Self.json(
            try await server.cli(
                "policy-create",
                "standard",
                "--rule",
                try #require(novaRule["id"]?.stringValue),
                "--rule",
                try #require(cinderRule["id"]?.stringValue),
                "-f",
                "json"
            )
        )
        #expect(policy["is_default"] == .bool(true))
    }

    static func json(_ output: BileanProcesses.Output) throws -> JSONValue {
        guard output.status == 0 else {
            throw NotificationPeer.PeerFailed(description: "bilean exited \(output.status): \(output.stderr)")
        }
        return try JSONValue(jsonText: output.stdout)
    }

    /// Waits until every user has the expected balance (or the time is up), then checks them all.
    static func expectBalances(
        _ expected: [String: String],
        on server: ServerProcess,
        timeout: Double = 120,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        var actual: [String: String] = [:]
        while true {
            actual = [:]
            for user in expected.keys.sorted() {
                let output = try await server.cli("user-show", user, "-f", "json")
                if output.status == 0, let balance = try JSONValue(jsonText: output.stdout)["balance"]?.stringValue {
                    actual[user] = balance
                }
            }
            if actual == expected || Date() > deadline { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        #expect(actual == expected, "server log:\n\(server.log.suffix(4000))", sourceLocation: sourceLocation)
    }

    // MARK: - Payloads

    /// A Nova legacy `compute.instance.<event>.end` on the setup's exchange, stamped at its deletion or launch.
    static func nova(
        _ setup: Setup,
        _ event: String,
        _ instance: String,
        _ project: String,
        _ flavor: String,
        _ times: [String: String]
    ) -> JSONValue {
        NotificationPeer.oslo(
            exchange: setup.nova,
            eventType: "compute.instance.\(event).end",
            publisherID: "compute.compute-1",
            payload: Self.novaLegacy(instance: instance, project: project, flavor: flavor, times: times),
            timestamp: times["deleted_at"] ?? times["launched_at"] ?? Self.at(0)
        )
    }

    static func novaLegacy(instance: String, project: String, flavor: String?, times: [String: String]) -> JSONValue {
        var payload: [String: JSONValue] = [
            "instance_id": .string(instance), "tenant_id": .string(project), "user_id": .string("u-\(project)"),
            "state": .string("active"), "host": .string("compute-1"), "memory_mb": .number("2048"),
            "created_at": .string(Self.t0),
        ]
        if let flavor { payload["instance_type"] = .string(flavor) }
        for (key, value) in times { payload[key] = .string(value) }
        return .object(payload)
    }

    static func novaVersioned(instance: String, project: String, flavor: String, times: [String: String]) -> JSONValue {
        var data: [String: JSONValue] = [
            "uuid": .string(instance), "tenant_id": .string(project), "user_id": .string("u-\(project)"),
            "state": .string("active"), "host": .string("compute-1"),
            "flavor": .object([
                "nova_object.name": .string("FlavorPayload"), "nova_object.namespace": .string("nova"),
                "nova_object.version": .string("1.4"),
                "nova_object.data": .object(["name": .string(flavor), "memory_mb": .number("2048")]),
            ]),
        ]
        for (key, value) in times { data[key] = .string(value) }
        return .object([
            "nova_object.name": .string("InstanceCreatePayload"), "nova_object.namespace": .string("nova"),
            "nova_object.version": .string("1.12"), "nova_object.data": .object(data),
        ])
    }

    static func volume(_ id: String, project: String, size: Int, times: [String: String] = [:]) -> JSONValue {
        var payload: [String: JSONValue] = [
            "volume_id": .string(id), "tenant_id": .string(project), "user_id": .string("u-\(project)"),
            "size": .number("\(size)"), "volume_type": .string("lvmdriver-1"), "status": .string("available"),
            "display_name": .string("vol"),
        ]
        for (key, value) in times { payload[key] = .string(value) }
        return .object(payload)
    }

    // MARK: - End to end

    @Test func openStackNotificationsBecomeExactBalances() async throws {
        try await Self.withSetup { setup in
            let server = try await setup.start()
            try await Self.createPrices(on: server)
            try await Self.waitForListener(setup)
            let project = "\(setup.prefix)-p1"
            let named = "\(setup.prefix)-p2"
            let gone = "\(setup.prefix)-p3"
            // Funded for the whole year: a creation billed in one batch before its deletion in the next looks like
            // eleven months of use for a moment, and an underfunded project would be frozen meanwhile (the backlog
            // false freeze of the billing-safety issue), which adds freeze and rerate consumption lines.
            for user in [project, gone] {
                _ = try Self.json(try await server.cli("user-recharge", user, "--value", "1000", "-f", "json"))
            }
            let serverA = "\(setup.prefix)-server-a"
            let serverB = "\(setup.prefix)-server-b"
            let serverC = "\(setup.prefix)-server-c"
            let volumeV = "\(setup.prefix)-volume-v"
            var lines: [JSONValue] = []
            // Keystone: a project created with the basic payload, another with the CADF one (its name is kept).
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.keystone,
                    eventType: "identity.project.created",
                    publisherID: "identity.keystone-1",
                    payload: .object(["resource_info": .string(project)]),
                    timestamp: Self.at(0)
                )
            )
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.keystone,
                    eventType: "identity.project.created",
                    publisherID: "identity.keystone-1",
                    payload: .object([
                        "typeURI": .string("http://schemas.dmtf.org/cloud/audit/1.0/event"),
                        "eventType": .string("activity"), "action": .string("created.project"),
                        "outcome": .string("success"), "eventTime": .string("2026-01-01T00:00:00.000000+0000"),
                        "id": .string(UUID().uuidString),
                        "initiator": .object([
                            "id": .string("admin-user"), "typeURI": .string("service/security/account/user"),
                        ]),
                        "target": .object([
                            "id": .string(named), "typeURI": .string("data/security/project"),
                            "name": .string("Project Two"),
                        ]),
                        "observer": .object([
                            "id": .string("openstack:keystone"), "typeURI": .string("service/security"),
                        ]),
                    ]),
                    timestamp: Self.at(0)
                )
            )
            // Nova legacy: m1.small from t0, resized to m1.large at +30 min, deleted at +1 h:
            // 0.5 h × 0.05 + 0.5 h × 0.4 = 0.225.
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.nova,
                    eventType: "compute.instance.create.end",
                    publisherID: "compute.compute-1",
                    payload: Self.novaLegacy(
                        instance: serverA,
                        project: project,
                        flavor: "m1.small",
                        times: ["launched_at": Self.at(0)]
                    ),
                    timestamp: Self.at(5),
                    context: ["project_id": .string(project), "auth_token": .string("secret-token")]
                )
            )
            // Noise that is ignored by design, and a priority that is not bound.
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.nova,
                    eventType: "compute.instance.update",
                    publisherID: "compute.compute-1",
                    payload: Self.novaLegacy(instance: serverA, project: project, flavor: "m1.small", times: [:]),
                    timestamp: Self.at(6)
                )
            )
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.nova,
                    eventType: "compute.instance.create.error",
                    publisherID: "compute.compute-1",
                    payload: Self.novaLegacy(instance: serverB, project: project, flavor: "m1.large", times: [:]),
                    timestamp: Self.at(7),
                    priority: "error"
                )
            )
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.nova,
                    eventType: "compute.instance.finish_resize.end",
                    publisherID: "compute.compute-1",
                    payload: Self.novaLegacy(
                        instance: serverA,
                        project: project,
                        flavor: "m1.large",
                        times: ["launched_at": Self.at(1800)]
                    ),
                    timestamp: Self.at(1801)
                )
            )
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.nova,
                    eventType: "compute.instance.delete.end",
                    publisherID: "compute.compute-1",
                    payload: Self.novaLegacy(
                        instance: serverA,
                        project: project,
                        flavor: "m1.large",
                        times: [
                            "launched_at": Self.at(1800), "deleted_at": Self.at(3600), "terminated_at": Self.at(3599),
                        ]
                    ),
                    timestamp: Self.at(3601)
                )
            )
            // Nova versioned: m1.small for 2 h = 0.1.
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.nova,
                    topic: "versioned_notifications",
                    eventType: "instance.create.end",
                    publisherID: "nova-compute:compute-1",
                    payload: Self.novaVersioned(
                        instance: serverB,
                        project: project,
                        flavor: "m1.small",
                        times: ["launched_at": "2026-01-01T00:00:00Z"]
                    ),
                    timestamp: Self.at(2)
                )
            )
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.nova,
                    topic: "versioned_notifications",
                    eventType: "instance.delete.end",
                    publisherID: "nova-compute:compute-1",
                    payload: Self.novaVersioned(
                        instance: serverB,
                        project: project,
                        flavor: "m1.small",
                        times: ["launched_at": "2026-01-01T00:00:00Z", "deleted_at": "2026-01-01T02:00:00Z"]
                    ),
                    timestamp: Self.at(7201)
                )
            )
            // Cinder: 5 GB from t0 (0.01 / h), extended to 20 GB at +1 h (0.1 / h), deleted at +1.5 h; resize and
            // delete carry no time of their own, so the notification's timestamp counts: 0.01 + 0.05 = 0.06.
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.cinder,
                    eventType: "volume.create.end",
                    publisherID: "volume.cinder-1",
                    payload: Self.volume(volumeV, project: project, size: 5, times: ["launched_at": Self.at(0)]),
                    timestamp: Self.at(3)
                )
            )
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.cinder,
                    eventType: "volume.resize.end",
                    publisherID: "volume.cinder-1",
                    payload: Self.volume(volumeV, project: project, size: 20),
                    timestamp: Self.at(3600)
                )
            )
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.cinder,
                    eventType: "volume.delete.end",
                    publisherID: "volume.cinder-1",
                    payload: Self.volume(volumeV, project: project, size: 20),
                    timestamp: Self.at(5400)
                )
            )
            // A project deleted in Keystone: its live server stops at the deletion (+1 h): 0.05.
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.nova,
                    eventType: "compute.instance.create.end",
                    publisherID: "compute.compute-1",
                    payload: Self.novaLegacy(
                        instance: serverC,
                        project: gone,
                        flavor: "m1.small",
                        times: ["launched_at": Self.at(0)]
                    ),
                    timestamp: Self.at(1)
                )
            )
            lines.append(
                NotificationPeer.oslo(
                    exchange: setup.keystone,
                    eventType: "identity.project.deleted",
                    publisherID: "identity.keystone-1",
                    payload: .object(["resource_info": .string(gone)]),
                    timestamp: Self.at(3600)
                )
            )
            try await NotificationPeer.publish(lines, in: setup.directory)

            // 1000 − 0.225 − 0.1 − 0.06 = 999.615, exactly.
            try await Self.expectBalances([project: "999.615"], on: server)
            let two = try Self.json(try await server.cli("user-show", named, "-f", "json"))
            #expect(two["name"] == .string("Project Two"))
            #expect(two["balance"] == .string("0"))
            // The deleted project is gone from the API; its server was stopped at the deletion.
            let deadline = Date().addingTimeInterval(60)
            while try await server.cli("user-show", gone).status == 0 && Date() < deadline {
                try await Task.sleep(for: .milliseconds(300))
            }
            #expect(try await server.cli("user-show", gone).status != 0)
            let stopped = try Self.json(try await server.cli("resource-show", serverC, "-f", "json"))
            #expect(stopped["deleted_at"]?.stringValue?.hasPrefix("2026-01-01T01:00:00") == true, "\(stopped)")
            let consumptions = try Self.json(
                try await server.cli("consumption-list", "--user-id", project, "-f", "json")
            )
            #expect(consumptions.arrayValue?.count == 5, "\(consumptions)")
            // Nothing was set aside, and the oslo request context (a token) is nowhere in the log.
            let rejected = try Self.json(try await server.cli("rejected-notification-list", "-f", "json"))
            #expect(rejected.arrayValue?.isEmpty == true, "\(rejected)")
            #expect(!server.log.contains("secret-token"))
            // Bilean consumed only from its own queue: oslo's own `notifications.info` queue (Ceilometer's) kept
            // its copies and has no consumer.
            let ceilometer = try await NotificationPeer.run(["queue-depth", "--queue", "notifications.info"])
            #expect(ceilometer["consumers"] == .number("0"))
            #expect(try await server.stop() == 0)
            #expect(server.log.contains("notification listener stopped"))
        }
    }

    // MARK: - Malformed input

    /// A notification object (for `envelope` lines) with a chosen message id.
    static func notification(
        id: String,
        eventType: String,
        payload: JSONValue,
        timestamp: String,
        publisherID: String = "compute.compute-1"
    ) -> [String: JSONValue] {
        [
            "message_id": .string(id), "publisher_id": .string(publisherID), "event_type": .string(eventType),
            "priority": .string("INFO"), "payload": payload, "timestamp": .string(timestamp),
            "_context_project_id": .string("ctx-project"), "_unique_id": .string(UUID().uuidString),
        ]
    }

    /// Waits until the server consumes from its queue (its bindings exist from then on).
    static func waitForListener(_ setup: Setup) async throws {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let depth = try? await NotificationPeer.run(["queue-depth", "--queue", setup.queue]),
                depth["consumers"] == .number("1")
            {
                return
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        Issue.record("the listener did not start consuming from \(setup.queue) within 60 s")
    }

    @Test func malformedMessagesAreSetAsideAndEveryGoodOneIsBilled() async throws {
        try await Self.withSetup { setup in
            let server = try await setup.start()
            try await Self.createPrices(on: server)
            try await Self.waitForListener(setup)
            let project = "\(setup.prefix)-p"
            _ = try Self.json(try await server.cli("user-recharge", project, "--value", "10", "-f", "json"))
            let key = "notifications.info"
            func raw(_ text: String) -> JSONValue {
                NotificationPeer.raw(exchange: setup.nova, routingKey: key, body: Data(text.utf8))
            }
            func bad(_ notification: [String: JSONValue]) throws -> JSONValue {
                let inner = try JSONValue.object(notification).jsonText()
                return raw(
                    try JSONValue.object(["oslo.version": .string("2.0"), "oslo.message": .string(inner)]).jsonText()
                )
            }
            var binary = Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
            binary[0] = 0xFF
            var malformed: [JSONValue] = [
                raw("this is not json {"),
                raw(#"{"oslo.version": "1.0", "oslo.message": "{}"}"#),
                raw(#"{"oslo.version": "2.0", "oslo.message": {"message_id": "x"}}"#),
                try bad([
                    "event_type": .string("compute.instance.create.end"), "payload": .object([:]),
                    "timestamp": .string(Self.at(0)),
                ]),
                try bad(
                    Self.notification(
                        id: "\(setup.prefix)-bad-size",
                        eventType: "volume.create.end",
                        payload: .object([
                            "volume_id": .string("v-bad"), "tenant_id": .string(project), "size": .string("abc"),
                            "launched_at": .string(Self.at(0)),
                        ]),
                        timestamp: Self.at(0)
                    )
                ),
                try bad(
                    Self.notification(
                        id: "\(setup.prefix)-bad-type",
                        eventType: "compute.instance.create.end",
                        payload: .object([:]),
                        timestamp: Self.at(0)
                    ).merging(["event_type": .number("42")]) { $1 }
                ),
                NotificationPeer.raw(
                    exchange: setup.nova,
                    routingKey: key,
                    body: Data(
                        ("{\"oslo.version\": \"2.0\", \"oslo.message\": \"" + String(repeating: "a", count: 10 << 20)
                            + "\"}").utf8
                    )
                ),
                NotificationPeer.raw(exchange: setup.nova, routingKey: key, body: binary),
                try bad(
                    Self.notification(
                        id: "\(setup.prefix)-bad-time",
                        eventType: "compute.instance.create.end",
                        payload: .object([:]),
                        timestamp: "yesterday at noon"
                    )
                ),
                try bad(
                    Self.notification(
                        id: "\(setup.prefix)-no-instance",
                        eventType: "compute.instance.create.end",
                        payload: Self.novaLegacy(
                            instance: "",
                            project: project,
                            flavor: "m1.small",
                            times: ["launched_at": Self.at(0)]
                        ).removingKey("instance_id"),
                        timestamp: Self.at(0)
                    )
                ),
            ]
            // Ten good servers (one hour of m1.small each: 0.05), their messages interleaved with the bad ones.
            var lines: [JSONValue] = []
            for index in 0..<10 {
                let instance = "\(setup.prefix)-good-\(index)"
                lines.append(
                    NotificationPeer.envelope(
                        exchange: setup.nova,
                        routingKey: key,
                        notification: Self.notification(
                            id: "\(instance)-create",
                            eventType: "compute.instance.create.end",
                            payload: Self.novaLegacy(
                                instance: instance,
                                project: project,
                                flavor: "m1.small",
                                times: ["launched_at": Self.at(index)]
                            ),
                            timestamp: Self.at(index)
                        )
                    )
                )
                if let next = malformed.popLast() { lines.append(next) }
                lines.append(
                    NotificationPeer.envelope(
                        exchange: setup.nova,
                        routingKey: key,
                        notification: Self.notification(
                            id: "\(instance)-delete",
                            eventType: "compute.instance.delete.end",
                            payload: Self.novaLegacy(
                                instance: instance,
                                project: project,
                                flavor: "m1.small",
                                times: ["deleted_at": Self.at(index + 3600)]
                            ),
                            timestamp: Self.at(index + 3600)
                        )
                    )
                )
            }
            try await NotificationPeer.publish(lines, in: setup.directory)

            try await Self.expectBalances([project: "9.5"], on: server)
            var rejected: [JSONValue] = []
            let deadline = Date().addingTimeInterval(60)
            repeat {
                rejected =
                    try Self.json(try await server.cli("rejected-notification-list", "-f", "json")).arrayValue ?? []
                if rejected.count >= 10 { break }
                try await Task.sleep(for: .milliseconds(300))
            } while Date() < deadline
            let codes = Set(rejected.compactMap { $0["code"]?.stringValue })
            #expect(
                codes == [
                    "invalid_json", "unsupported_envelope", "invalid_envelope", "missing_field", "invalid_trait",
                    "invalid_field", "body_too_large", "invalid_utf8", "invalid_timestamp", "missing_trait",
                ],
                "\(rejected)"
            )
            #expect(rejected.count == 10)
            let large = try #require(rejected.first { $0["code"] == .string("body_too_large") })
            let shown = try Self.json(
                try await server.cli("rejected-notification-show", try #require(large["id"]?.stringValue), "-f", "json")
            )
            #expect(shown["body_size"] == .number("\((10 << 20) + 43)"), "\(shown)")
            #expect((shown["body_excerpt"]?.stringValue?.utf8.count ?? 0) <= 4096)
            #expect(shown["exchange"] == .string(setup.nova))
            let trait = try #require(rejected.first { $0["code"] == .string("invalid_trait") })
            #expect(trait["message_id"] == .string("\(setup.prefix)-bad-size"))
            #expect(trait["reason"]?.stringValue?.contains("size") == true, "\(trait)")
            #expect(server.log.contains("notification set aside"))
            #expect(try await server.stop() == 0)
        }
    }

    // MARK: - Crash safety

    @Test func killedWhileDrainingBillsEveryNotificationExactlyOnce() async throws {
        try await Self.withSetup { setup in
            let users = 10
            let count = 10_000
            var server = try await setup.start()
            try await Self.createPrices(on: server)
            var expected: [String: String] = [:]
            for user in 0..<users {
                _ = try Self.json(
                    try await server.cli("user-recharge", "bench-project-\(user)", "--value", "100", "-f", "json")
                )
                // count / 2 servers, one hour of m1.small (0.05) each, spread over the users.
                expected["bench-project-\(user)"] = "75"
            }
            try await Self.waitForListener(setup)
            #expect(try await server.stop() == 0)
            try await NotificationPeer.run(
                [
                    "preload", "--queue", setup.queue, "--exchange", setup.nova, "--count", "\(count)", "--users",
                    "\(users)",
                ],
                timeout: 300
            )
            server = try await setup.start()
            // Kill it once it has committed a few batches (the acks of the first ones have reached the broker),
            // while most of the queue is still there.
            let deadline = Date().addingTimeInterval(120)
            while server.log.components(separatedBy: "notifications billed").count <= 3 && Date() < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            kill(server.process.processIdentifier, SIGKILL)
            server.process.waitUntilExit()
            #expect(server.process.terminationReason == .uncaughtSignal)
            let committedBeforeKill = server.log.components(separatedBy: "notifications billed").count - 1
            #expect(committedBeforeKill >= 3)
            // The broker requeues what the dead connection had not acknowledged.
            try await Task.sleep(for: .seconds(1))
            let left = try await NotificationPeer.run(["queue-depth", "--queue", setup.queue])
            let remaining = Int(left["messages"]?.numberText ?? "") ?? 0
            // The kill came mid-drain (messages not yet acknowledged come back as well).
            #expect(remaining > 0 && remaining < count, "\(left)")

            server = try await setup.start()
            try await Self.expectBalances(expected, on: server, timeout: 300)
            let drained = try await NotificationPeer.run(["queue-depth", "--queue", setup.queue])
            #expect(drained["messages"] == .number("0"))
            #expect(try await server.stop() == 0)
        }
    }

    // MARK: - Delivery order

    /// One project's notifications, with message ids, in cloud order.
    static func scenario(_ setup: Setup, project: String) -> [JSONValue] {
        let instance = "\(project)-x"
        let versioned = "\(project)-y"
        let volume = "\(project)-w"
        var steps: [(String, String, JSONValue, String, String)] = []  // (topic, event type, payload, time, id)
        func legacy(_ flavor: String, _ times: [String: String]) -> JSONValue {
            Self.novaLegacy(instance: instance, project: project, flavor: flavor, times: times)
        }
        steps.append(
            (
                "notifications", "compute.instance.create.end", legacy("m1.small", ["launched_at": Self.at(0)]),
                Self.at(0), "x1"
            )
        )
        steps.append(
            (
                "notifications", "compute.instance.finish_resize.end",
                legacy("m1.large", ["launched_at": Self.at(1800)]), Self.at(1800), "x2"
            )
        )
        steps.append(
            (
                "notifications", "compute.instance.finish_resize.end",
                legacy("m1.small", ["launched_at": Self.at(2700)]), Self.at(2700), "x3"
            )
        )
        steps.append(
            (
                "notifications", "compute.instance.delete.end", legacy("m1.small", ["deleted_at": Self.at(3600)]),
                Self.at(3600), "x4"
            )
        )
        steps.append(
            (
                "versioned_notifications", "instance.create.end",
                Self.novaVersioned(
                    instance: versioned,
                    project: project,
                    flavor: "m1.large",
                    times: ["launched_at": Self.at(0)]
                ), Self.at(0), "y1"
            )
        )
        steps.append(
            (
                "versioned_notifications", "instance.delete.end",
                Self.novaVersioned(
                    instance: versioned,
                    project: project,
                    flavor: "m1.large",
                    times: ["deleted_at": Self.at(900)]
                ), Self.at(900), "y2"
            )
        )
        steps.append(
            (
                "notifications", "volume.create.end",
                Self.volume(volume, project: project, size: 5, times: ["launched_at": Self.at(0)]), Self.at(0), "w1"
            )
        )
        steps.append(
            ("notifications", "volume.resize.end", Self.volume(volume, project: project, size: 20), Self.at(3600), "w2")
        )
        steps.append(
            ("notifications", "volume.delete.end", Self.volume(volume, project: project, size: 20), Self.at(5400), "w3")
        )
        return steps.map { topic, eventType, payload, time, id in
            NotificationPeer.envelope(
                exchange: eventType.hasPrefix("volume") ? setup.cinder : setup.nova,
                routingKey: "\(topic).info",
                notification: Self.notification(
                    id: "\(project)-\(id)",
                    eventType: eventType,
                    payload: payload,
                    timestamp: time
                )
            )
        }
    }

    @Test func shuffledAndDuplicatedDeliveriesGiveTheInOrderBalances() async throws {
        try await Self.withSetup { setup in
            let server = try await setup.start()
            try await Self.createPrices(on: server)
            try await Self.waitForListener(setup)
            var generator = SeededRandomNumberGenerator(seed: 20_261_126)
            var inOrder: [JSONValue] = []
            var shuffled: [JSONValue] = []
            var expected: [String: String] = [:]
            for index in 0..<4 {
                let ordered = "\(setup.prefix)-ordered-\(index)"
                let mixed = "\(setup.prefix)-mixed-\(index)"
                for user in [ordered, mixed] {
                    _ = try Self.json(try await server.cli("user-recharge", user, "--value", "10", "-f", "json"))
                    // 0.5 h × 0.05 + 0.25 h × 0.4 + 0.25 h × 0.05 = 0.1375 (server), 0.25 h × 0.4 = 0.1 (versioned),
                    // 1 h × 0.01 + 0.5 h × 0.1 = 0.06 (volume): 10 − 0.2975.
                    expected[user] = "9.7025"
                }
                inOrder += Self.scenario(setup, project: ordered)
                var lines = Self.scenario(setup, project: mixed)
                // Every message once or twice (a third of them twice), in a random order.
                lines += lines.filter { _ in generator.next() % 3 == 0 }
                shuffled += lines
            }
            shuffled.shuffle(using: &generator)
            try await NotificationPeer.publish(inOrder + shuffled, in: setup.directory)
            try await Self.expectBalances(expected, on: server)
            #expect(try await server.stop() == 0)
        }
    }
}

extension JSONValue {
    /// The object without a key.
    func removingKey(_ key: String) -> JSONValue {
        guard case .object(var object) = self else { return self }
        object.removeValue(forKey: key)
        return .object(object)
    }

    /// The text of a number.
    var numberText: String? {
        if case .number(let text) = self { return text }
        return nil
    }
}
