import BileanCore
import BileanStore
import BileanTestSupport
import Testing

/// Retention: the bounded deletions behind `[database] processed_message_retention` and
/// `rejected_notification_retention`, on SQLite and on PostgreSQL.
@Suite("Store retention")
struct StoreRetentionTests {
    static let t0 = BillingTime(seconds: 1_700_000_000)

    /// Every rejected notification's id, sorted.
    static func rejectionIDs(_ store: SQLBillingStore) async throws -> [String] {
        let rows = try await store.driver.withTransaction { connection in
            try await connection.query("SELECT id FROM rejected_notifications ORDER BY id")
        }
        return try rows.map { try $0.text("id") }
    }

    @Test(arguments: TestDatabase.available)
    func processedMessageIDsBeforeTheCutOffAreForgottenOldestFirstABoundedChunkAtATime(
        _ database: TestDatabase
    ) async throws {
        try await database.withStore { store in
            // m0 … m9, processed one a second from t0 (inserted newest first: the order of the rows is not the
            // order of their times).
            for index in (0..<10).reversed() {
                let time = Self.t0.adding(seconds: Int64(index))
                #expect(try await store.withTransaction { try await $0.markProcessed("m\(index)", at: time) })
            }
            // Strictly before t0 + 7: m0 … m6, seven ids, in chunks of 3.
            let cutOff = Self.t0.adding(seconds: 7)
            func prune() async throws -> Int {
                try await store.withTransaction { try await $0.deleteProcessedMessages(before: cutOff, limit: 3) }
            }
            #expect(try await prune() == 3)
            #expect(try await store.processedMessageIDs() == ["m3", "m4", "m5", "m6", "m7", "m8", "m9"])
            #expect(try await prune() == 3)
            #expect(try await prune() == 1)
            #expect(try await prune() == 0)
            #expect(try await store.processedMessageIDs() == ["m7", "m8", "m9"])
            let none = try await store.withTransaction {
                try await $0.deleteProcessedMessages(before: cutOff, limit: 0)
            }
            #expect(none == 0)
            // A forgotten id is new again (this is what the retention must outlast); a kept one is still a duplicate.
            let fresh = try await store.withTransaction { try await $0.markProcessed(["m0", "m7"], at: cutOff) }
            #expect(fresh == ["m0"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func rejectedNotificationsBeforeTheCutOffAreDeletedABoundedChunkAtATime(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            // r00 … r11, received one a minute from t0.
            let rejections = (0..<12).map { index in
                let id = index < 10 ? "r0\(index)" : "r\(index)"
                return RejectedNotification.sample(id: id, receivedAt: Self.t0.adding(seconds: Int64(index) * 60))
            }
            try await store.withTransaction { try await $0.insertRejectedNotifications(rejections.shuffled()) }
            // Strictly before t0 + 5 min: r00 … r04.
            let cutOff = Self.t0.adding(seconds: 5 * 60)
            func prune() async throws -> Int {
                try await store.withTransaction { try await $0.deleteRejectedNotifications(before: cutOff, limit: 2) }
            }
            #expect(try await prune() == 2)
            #expect(try await Self.rejectionIDs(store) == rejections.dropFirst(2).map(\.id))
            #expect(try await prune() == 2)
            #expect(try await prune() == 1)
            #expect(try await prune() == 0)
            #expect(try await Self.rejectionIDs(store) == rejections.dropFirst(5).map(\.id))
            // The ones kept are still listed, and their message ids still known.
            #expect(try await store.withTransaction { try await $0.rejectedNotification("r05") } == rejections[5])
            let known = try await store.withTransaction {
                try await $0.rejectedMessageIDs(among: ["message-r00", "message-r05"])
            }
            #expect(known == ["message-r05"])
        }
    }

    @Test(arguments: TestDatabase.available)
    func theTimeColumnsThatPruningReadsAreIndexed(_ database: TestDatabase) async throws {
        try await database.withStore { store in
            let rows = try await store.driver.withTransaction { connection in
                let statement: SQLStatement
                switch connection.dialect {
                case .sqlite:
                    statement = """
                        SELECT name FROM sqlite_master
                        WHERE type = 'index' AND tbl_name IN ('processed_messages', 'rejected_notifications')
                        """
                case .postgres:
                    statement = """
                        SELECT indexname::text AS name FROM pg_indexes
                        WHERE schemaname = current_schema()
                            AND tablename IN ('processed_messages', 'rejected_notifications')
                        """
                }
                return try await connection.query(statement)
            }
            let names = Set(try rows.map { try $0.text("name") })
            #expect(
                names.isSuperset(of: ["processed_messages_processed_at", "rejected_notifications_time"]),
                "\(names)"
            )
        }
    }
}
