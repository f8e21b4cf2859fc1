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

    /// Ingests an empty batch (which prunes when a prune is due), then reads every processed message id, sorted.
    static func idsAfterAnEmptyIngest(_ engine: Engine, _ store: SQLBillingStore) async throws -> [String] {
        _ = try await engine.ingest(NotificationBatch())
        return try await store.processedMessageIDs()
    }

    static func retainIDsAnHour(_ configuration: inout Engine.Configuration) {
        configuration.processedMessageRetentionSeconds = Self.hour
    }

    static func retainRejectionsTwoHours(_ configuration: inout Engine.Configuration) {
        configuration.processedMessageRetentionSeconds = 10 * Self.hour
        configuration.rejectedNotificationRetentionSeconds = 2 * Self.hour
    }

    static func retainIDsAnHourChunksOf3(_ configuration: inout Engine.Configuration) {
        configuration.processedMessageRetentionSeconds = Self.hour
        configuration.pruneLimit = 3
    }

    /// Every rejected notification's id, sorted.
    static func rejectionIDs(_ engine: Engine) async throws -> [String] {
        try await engine.listRejectedNotifications(ListQuery()).map(\.id).sorted()
    }

    @Test(arguments: TestDatabase.available)
    func processedIDsArePrunedPastTheRetentionAtMostOnceAMinute(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database, configure: Self.retainIDsAnHour) { engine, clock, store in
            // t0: m1; the first ingest prunes at once (nothing is old yet).
            #expect(try await engine.ingest(Self.batch("m1")).billed == 1)
            // t0 + 30 min: m2.
            clock.set(Self.t0.adding(seconds: 1800))
            #expect(try await engine.ingest(Self.batch("m2")).billed == 1)
            #expect(try await store.processedMessageIDs() == ["m1", "m2"])
            // t0 + 1 h + 1 s: m1 is past the retention, m2 is not. m1 delivered again before this prune is still a
            // duplicate (the prune runs after the batch); m2 delivered again is a duplicate; then m1 is forgotten.
            clock.set(Self.t0.adding(seconds: Self.hour + 1))
            let report = try await engine.ingest(Self.batch("m1", "m2", "m3"))
            #expect(report.billed == 1)
            #expect(report.duplicates == 2)
            #expect(try await store.processedMessageIDs() == ["m2", "m3"])
            // Within its retention, m2 stays a duplicate.
            clock.set(Self.t0.adding(seconds: Self.hour + 1800 - 10))
            #expect(try await engine.ingest(Self.batch("m2")).duplicates == 1)
            #expect(try await store.processedMessageIDs() == ["m2", "m3"])
            // m2 passes its retention 10 s later, but the last prune was less than a minute ago: it stays.
            clock.advance(seconds: 30)
            #expect(try await Self.idsAfterAnEmptyIngest(engine, store) == ["m2", "m3"])
            // A minute after the last prune, the next ingest prunes it.
            clock.advance(seconds: 30)
            #expect(try await Self.idsAfterAnEmptyIngest(engine, store) == ["m3"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func rejectedNotificationsArePrunedPastTheirOwnRetention(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database, configure: Self.retainRejectionsTwoHours) { engine, clock, store in
            // Received at t0 and at t0 + 1 h, recorded at t0 + 1 h with a processed message.
            clock.set(Self.t0.adding(seconds: Self.hour))
            var batch = Self.batch("m1")
            batch.rejections = [
                .sample(id: "r-old", receivedAt: Self.t0),
                .sample(id: "r-young", receivedAt: Self.t0.adding(seconds: Self.hour)),
            ]
            #expect(try await engine.ingest(batch).rejected == 2)
            // t0 + 2 h + 1 s: r-old is past its 2 h; r-young is not, nor is m1 (10 h).
            clock.set(Self.t0.adding(seconds: 2 * Self.hour + 1))
            _ = try await engine.ingest(NotificationBatch())
            #expect(try await Self.rejectionIDs(engine) == ["r-young"])
            #expect(try await store.processedMessageIDs() == ["m1"])
            // A prune run directly says what it deleted: r-young at t0 + 3 h + 1 s; m1 at t0 + 11 h + 1 s.
            let rejected = try await engine.pruneExpired(at: Self.t0.adding(seconds: 3 * Self.hour + 1))
            #expect(rejected.rejectedNotifications == 1)
            #expect(rejected.processedMessages == 0)
            #expect(try await Self.rejectionIDs(engine).isEmpty)
            let processed = try await engine.pruneExpired(at: Self.t0.adding(seconds: 11 * Self.hour + 1))
            #expect(processed.processedMessages == 1)
            #expect(processed.rejectedNotifications == 0)
            #expect(try await store.processedMessageIDs().isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aLargePruneGoesABoundedChunkPerIngestUntilNothingIsLeft(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database, configure: Self.retainIDsAnHourChunksOf3) { engine, clock, store in
            // Eight ids at t0 (more than two chunks).
            let old = NotificationBatch(messages: (0..<8).map { Message(messageID: "old-\($0)", facts: []) })
            #expect(try await engine.ingest(old).billed == 8)
            // An hour later they are all past the retention. Each ingest deletes one chunk; a full chunk makes the
            // next ingest prune again at once, with no minute to wait (the clock does not move).
            clock.set(Self.t0.adding(seconds: Self.hour + 1))
            var left: [Int] = []
            for _ in 0..<3 {
                left.append(try await Self.idsAfterAnEmptyIngest(engine, store).count)
            }
            #expect(left == [5, 2, 0])
            // A short chunk ends it: the next prune waits a minute again.
            let late = try await store.withTransaction { try await $0.markProcessed("late", at: Self.t0) }
            #expect(late)
            #expect(try await Self.idsAfterAnEmptyIngest(engine, store) == ["late"])
            clock.advance(seconds: 60)
            #expect(try await Self.idsAfterAnEmptyIngest(engine, store).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.available)
    func aPruneThatFailsNeverFailsTheIngest(_ database: TestDatabase) async throws {
        try await EngineTests.withEngine(database, configure: Self.retainIDsAnHour) { engine, clock, store in
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
            #expect(try await store.processedMessageIDs() == ["m1", "m2"])
            // Back in place, the prune runs a minute later.
            _ = try await store.driver.withTransaction { connection in
                try await connection.query("ALTER TABLE rejected_notifications_away RENAME TO rejected_notifications")
            }
            #expect(try await Self.idsAfterAnEmptyIngest(engine, store) == ["m1", "m2"])
            clock.advance(seconds: 60)
            #expect(try await Self.idsAfterAnEmptyIngest(engine, store) == ["m2"])
        }
    }
}
