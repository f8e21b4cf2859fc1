import BileanCore
import BileanEngine
import BileanStore
import BileanTestSupport
import Testing

/// `Engine.ingest`: batches of notifications, billed once per message id, with the messages set aside.
@Suite("Engine ingest")
struct IngestTests {
    typealias Message = NotificationBatch.Message

    static func create(_ message: String, _ server: String, user: String = "p1", at seconds: Int64) -> Message {
        Message(
            messageID: message,
            facts: [
                .resource(
                    EngineTests.event(
                        message,
                        .create,
                        server,
                        user: user,
                        ["flavor": .string("m1.small")],
                        at: seconds
                    )
                )
            ]
        )
    }

    static func delete(_ message: String, _ server: String, user: String = "p1", at seconds: Int64) -> Message {
        Message(
            messageID: message,
            facts: [.resource(EngineTests.event(message, .delete, server, user: user, [:], at: seconds))]
        )
    }

    static func rejection(_ messageID: String?, code: String = "invalid_json") -> RejectedNotification {
        RejectedNotification(
            id: "r-\(messageID ?? "none")-\(code)",
            receivedAt: EngineTests.t0,
            messageID: messageID,
            eventType: "compute.instance.create.end",
            publisherID: "compute.host",
            code: code,
            reason: "the body is not JSON: unexpected byte at byte 0",
            exchange: "nova",
            routingKey: "notifications.info",
            bodySize: 12,
            bodyExcerpt: "not json {\u{FFFD}"
        )
    }

    @Test(arguments: TestDatabase.available)
    func aBatchIsBilledOncePerMessageID(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, clock, store in
            try await EngineTests.standardPolicy(engine)
            _ = try await engine.recharge(
                userID: "p1",
                value: (try Money(parsing: "100")),
                kind: .recharge,
                metadata: .object([:])
            )
            // One hour of m1.small (1.5 / h); the create also comes twice in the batch, and again in a later one.
            let first = try await engine.ingest(
                NotificationBatch(messages: [
                    Self.create("m1", "s1", at: 0), Self.create("m1", "s1", at: 0), Self.delete("m2", "s1", at: 3600),
                ])
            )
            #expect(first.billed == 2)
            #expect(first.duplicates == 1)
            let again = try await engine.ingest(
                NotificationBatch(messages: [Self.create("m1", "s1", at: 0), Self.delete("m2", "s1", at: 3600)])
            )
            #expect(again.billed == 0)
            #expect(again.duplicates == 2)
            clock.set(EngineTests.t0.adding(seconds: 7200))
            #expect(try await engine.user("p1").balance == (try Money(parsing: "98.5")))
            let consumptions = try await store.withTransaction { try await $0.consumptions(ListQuery()) }
            #expect(consumptions.count == 1)
        }
    }

    @Test(arguments: TestDatabase.available)
    func projectsAreCreatedAndDeletedWhereTheyComeInTheBatch(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, _, _ in
            try await EngineTests.standardPolicy(engine)
            let created = UserEvent(messageID: "k1", action: .create, userID: "p2", name: "Two", time: EngineTests.t0)
            let deleted = UserEvent(
                messageID: "k2",
                action: .delete,
                userID: "p2",
                time: EngineTests.t0.adding(seconds: 1800)
            )
            let report = try await engine.ingest(
                NotificationBatch(messages: [
                    Message(messageID: "k1", facts: [.user(created)]),
                    Self.create("m1", "s2", user: "p2", at: 0),
                    Message(messageID: "k2", facts: [.user(deleted)]),
                    // Deleting a project Bilean never saw changes nothing.
                    Message(
                        messageID: "k3",
                        facts: [
                            .user(UserEvent(messageID: "k3", action: .delete, userID: "never", time: EngineTests.t0))
                        ]
                    ),
                ])
            )
            #expect(report.billed == 4)
            await #expect(throws: BileanError.self) { try await engine.user("p2") }
            let server = try await engine.resource("s2")
            // The project's deletion stopped its server at the cloud time of the deletion: half an hour at 1.5 / h.
            #expect(server.deletedAt == EngineTests.t0.adding(seconds: 1800))
            let users = try await engine.listUsers(ListQuery(showDeleted: true))
            let two = try #require(users.first { $0.id == "p2" })
            #expect(two.name == "Two")
            #expect(two.balance == (try Money(parsing: "-0.75")))
        }
    }

    @Test(arguments: TestDatabase.available)
    func rejectionsAreRecordedOncePerMessageIDAndListed(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, _, _ in
            let report = try await engine.ingest(
                NotificationBatch(rejections: [Self.rejection(nil), Self.rejection("bad-1", code: "missing_trait")])
            )
            #expect(report.rejected == 2)
            // A redelivered rejection with a message id is not recorded twice; one without an id cannot be told
            // apart from a new one.
            let again = try await engine.ingest(
                NotificationBatch(rejections: [
                    Self.rejection("bad-1", code: "missing_trait"), Self.rejection(nil, code: "invalid_utf8"),
                ])
            )
            #expect(again.rejected == 1)
            let all = try await engine.listRejectedNotifications(ListQuery())
            #expect(all.count == 3)
            var query = ListQuery()
            query.filters = ["code": ["missing_trait"]]
            let filtered = try await engine.listRejectedNotifications(query)
            #expect(filtered.map(\.messageID) == ["bad-1"])
            #expect(try await engine.rejectedNotification(filtered[0].id) == filtered[0])
            #expect(filtered[0].bodyExcerpt == "not json {\u{FFFD}")
            await #expect(throws: BileanError.self) { try await engine.rejectedNotification("nope") }
            // A rejected message is not marked processed: once fixed, the same message id bills.
            let replay = try await engine.ingest(NotificationBatch(messages: [Self.create("bad-1", "s9", at: 0)]))
            #expect(replay.billed == 1)
            var bad = ListQuery()
            bad.sortKeys = ["reason"]
            await #expect(throws: BileanError.self) { try await engine.listRejectedNotifications(bad) }
        }
    }

    @Test(arguments: TestDatabase.available)
    func aBatchThatFailsChangesNothing(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database) { engine, _, store in
            try await EngineTests.standardPolicy(engine)
            let bad = ResourceEvent(
                messageID: "m2",
                action: .create,
                resourceType: "os.nova.server",
                resourceID: String(repeating: "x", count: 300),
                userID: "p1",
                properties: [:],
                time: EngineTests.t0
            )
            await #expect(throws: BileanError.self) {
                try await engine.ingest(
                    NotificationBatch(
                        messages: [Self.create("m1", "s1", at: 0), Message(messageID: "m2", facts: [.resource(bad)])],
                        rejections: [Self.rejection("bad-1")]
                    )
                )
            }
            #expect(try await engine.listResources(ListQuery()).isEmpty)
            #expect(try await engine.listRejectedNotifications(ListQuery()).isEmpty)
            // The message ids were not recorded: the same messages bill once fixed.
            let report = try await engine.ingest(NotificationBatch(messages: [Self.create("m1", "s1", at: 0)]))
            #expect(report.billed == 1)
            _ = store
        }
    }

    @Test func excerptsKeepTheStartOfTheBodyAsText() {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: 5000) + [0xFF]
        #expect(RejectedNotification.excerpt(of: body).utf8.count == RejectedNotification.excerptLimit)
        #expect(RejectedNotification.excerpt(of: [0x61, 0x00, 0xFF, 0x62]) == "a\u{FFFD}b")
    }
}
