import BileanCore
import BileanEngine
import BileanStore
import BileanTestSupport
import Testing

/// Retention: after an ingest commits, the engine prunes the processed message ids and the rejected notifications
/// past `[database] processed_message_retention` and `rejected_notification_retention`, at most once a minute, a
/// bounded chunk at a time, and a prune that fails never fails the ingest. Time is a ``ManualNow``: nothing sleeps.
@Suite("Engine retention")
struct EngineRetentionTests {
    typealias Message = NotificationBatch.Message

    static let t0 = EngineTests.t0
    static let hour: Int64 = 3600

    /// Messages with no billing facts (ignored by design): their ids are recorded all the same.
    static func batch(_ ids: String...) -> NotificationBatch {
        NotificationBatch(messages: ids.map { Message(messageID: $0, facts: []) })
    }

    static func rejection(_ id: String, receivedAt seconds: Int64) -> RejectedNotification {
        RejectedNotification(
            id: id,
            receivedAt: t0.adding(seconds: seconds),
            messageID: "message-\(id)",
            eventType: "compute.instance.create.end",
            publisherID: "compute.host",
            code: "invalid_json",
            reason: "the body is not JSON",
            exchange: "nova",
            routingKey: "notifications.info",
            bodySize: 8,
            bodyExcerpt: "not json"
        )
    }

    /// Every processed message id, sorted.
    static func processedIDs(_ store: SQLBillingStore) async throws -> [String] {
        let rows = try await store.driver.withTransaction { connection in
            try await connection.query("SELECT message_id FROM processed_messages ORDER BY message_id")
        }
        return try rows.map { try $0.text("message_id") }
    }

    static func retainIDsAnHour(_ configuration: inout Engine.Configuration) {
        configuration.processedMessageRetentionSeconds = Self.hour
    }

    static func retainRejectionsTwoHours(_ configuration: inout Engine.Configuration) {
        configuration.processedMessageRetentionSeconds = 10 * Self.hour
        configuration.rejectedNotificationRetentionSeconds = 2 * Self.hour
    }

    static func retainIDsAnHourThreeAtATime(_ configuration: inout Engine.Configuration) {
        configuration.processedMessageRetentionSeconds = Self.hour
        configuration.pruneLimit = 3
    }

    /// Every rejected notification's id, sorted.
    static func rejectionIDs(_ engine: Engine) async throws -> [String] {
        try await engine.listRejectedNotifications(ListQuery()).map(\.id).sorted()
    }

    @Test(arguments: TestDatabase.available)
    func processedIDsArePrunedPastTheRetentionAtMostOnceAMinute(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(
            database,
            configure: Self.retainIDsAnHour
        ) { engine, clock, store in
            // t0: m1; the first ingest prunes at once (nothing is old yet).
            #expect(try await engine.ingest(Self.batch("m1")).billed == 1)
            // t0 + 30 min: m2.
            clock.set(Self.t0.adding(seconds: 1800))
            #expect(try await engine.ingest(Self.batch("m2")).billed == 1)
            #expect(try await Self.processedIDs(store) == ["m1", "m2"])
            // t0 + 1 h + 1 s: m1 is past the retention, m2 is not. m1 delivered again before this prune is still a
            // duplicate (the prune runs after the batch); m2 delivered again is a duplicate; then m1 is forgotten.
            clock.set(Self.t0.adding(seconds: Self.hour + 1))
            let report = try await engine.ingest(Self.batch("m1", "m2", "m3"))
            #expect(report.billed == 1)
            #expect(report.duplicates == 2)
            #expect(try await Self.processedIDs(store) == ["m2", "m3"])
            // Within its retention, m2 stays a duplicate.
            clock.set(Self.t0.adding(seconds: Self.hour + 1800 - 10))
            #expect(try await engine.ingest(Self.batch("m2")).duplicates == 1)
            #expect(try await Self.processedIDs(store) == ["m2", "m3"])
            // m2 passes its retention 10 s later, but the last prune was less than a minute ago: it stays.
            clock.advance(seconds: 30)
            _ = try await engine.ingest(NotificationBatch())
            #expect(try await Self.processedIDs(store) == ["m2", "m3"])
            // A minute after the last prune, the next ingest prunes it.
            clock.advance(seconds: 30)
            _ = try await engine.ingest(NotificationBatch())
            #expect(try await Self.processedIDs(store) == ["m3"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func rejectedNotificationsArePrunedPastTheirOwnRetention(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(
            database,
            configure: Self.retainRejectionsTwoHours
        ) { engine, clock, store in
            // Received at t0 and at t0 + 1 h, recorded at t0 + 1 h with a processed message.
            clock.set(Self.t0.adding(seconds: Self.hour))
            var batch = Self.batch("m1")
            batch.rejections = [
                Self.rejection("r-old", receivedAt: 0), Self.rejection("r-young", receivedAt: Self.hour),
            ]
            #expect(try await engine.ingest(batch).rejected == 2)
            // t0 + 2 h + 1 s: r-old is past its 2 h; r-young is not, nor is m1 (10 h).
            clock.set(Self.t0.adding(seconds: 2 * Self.hour + 1))
            _ = try await engine.ingest(NotificationBatch())
            #expect(try await Self.rejectionIDs(engine) == ["r-young"])
            #expect(try await Self.processedIDs(store) == ["m1"])
            // A prune run directly says what it deleted: r-young at t0 + 3 h + 1 s; m1 at t0 + 11 h + 1 s.
            let rejected = try await engine.pruneExpired(at: Self.t0.adding(seconds: 3 * Self.hour + 1))
            #expect(rejected.rejectedNotifications == 1)
            #expect(rejected.processedMessages == 0)
            #expect(try await Self.rejectionIDs(engine).isEmpty)
            let processed = try await engine.pruneExpired(at: Self.t0.adding(seconds: 11 * Self.hour + 1))
            #expect(processed.processedMessages == 1)
            #expect(processed.rejectedNotifications == 0)
            #expect(try await Self.processedIDs(store).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLargePruneGoesABoundedChunkPerIngestUntilNothingIsLeft(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(
            database,
            configure: Self.retainIDsAnHourThreeAtATime
        ) { engine, clock, store in
            // Eight ids at t0 (more than two chunks).
            let old = NotificationBatch(messages: (0..<8).map { Message(messageID: "old-\($0)", facts: []) })
            #expect(try await engine.ingest(old).billed == 8)
            // An hour later they are all past the retention. Each ingest deletes one chunk; a full chunk makes the
            // next ingest prune again at once, with no minute to wait (the clock does not move).
            clock.set(Self.t0.adding(seconds: Self.hour + 1))
            var left: [Int] = []
            for _ in 0..<3 {
                _ = try await engine.ingest(NotificationBatch())
                left.append(try await Self.processedIDs(store).count)
            }
            #expect(left == [5, 2, 0])
            // A short chunk ends it: the next prune waits a minute again.
            let late = try await store.withTransaction { try await $0.markProcessed("late", at: Self.t0) }
            #expect(late)
            _ = try await engine.ingest(NotificationBatch())
            #expect(try await Self.processedIDs(store) == ["late"])
            clock.advance(seconds: 60)
            _ = try await engine.ingest(NotificationBatch())
            #expect(try await Self.processedIDs(store).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPruneThatFailsNeverFailsTheIngest(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(
            database,
            configure: Self.retainIDsAnHour
        ) { engine, clock, store in
            #expect(try await engine.ingest(Self.batch("m1")).billed == 1)
            // The prune's second table is gone (an ingest without rejections never reads it): the prune fails and
            // rolls back, the batch is committed all the same.
            _ = try await store.driver.withTransaction { connection in
                try await connection.query("ALTER TABLE rejected_notifications RENAME TO rejected_notifications_away")
            }
            clock.set(Self.t0.adding(seconds: Self.hour + 1))
            let report = try await engine.ingest(Self.batch("m1", "m2"))
            #expect(report.billed == 1)
            #expect(report.duplicates == 1)
            #expect(try await Self.processedIDs(store) == ["m1", "m2"])
            // Back in place, the prune runs a minute later.
            _ = try await store.driver.withTransaction { connection in
                try await connection.query("ALTER TABLE rejected_notifications_away RENAME TO rejected_notifications")
            }
            _ = try await engine.ingest(NotificationBatch())
            #expect(try await Self.processedIDs(store) == ["m1", "m2"])
            clock.advance(seconds: 60)
            _ = try await engine.ingest(NotificationBatch())
            #expect(try await Self.processedIDs(store) == ["m2"])
        }
    }
}
