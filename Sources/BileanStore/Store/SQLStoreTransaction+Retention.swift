import BileanCore

extension SQLStoreTransaction {
    func deleteProcessedMessages(before time: BillingTime, limit: Int) async throws -> Int {
        try await self.deleteOldest(
            table: "processed_messages",
            key: "message_id",
            timeColumn: "processed_at",
            before: time,
            limit: limit
        )
    }

    func deleteRejectedNotifications(before time: BillingTime, limit: Int) async throws -> Int {
        try await self.deleteOldest(
            table: "rejected_notifications",
            key: "id",
            timeColumn: "received_at",
            before: time,
            limit: limit
        )
    }

    /// Deletes the oldest rows of `table` whose `timeColumn` is before `time`, at most `limit` of them, with one
    /// statement that both databases run (SQLite has no `DELETE … LIMIT` by default). On PostgreSQL, rows another
    /// engine is deleting at the same moment are skipped rather than waited for.
    /// - Parameters:
    ///   - table: The table (a fixed name, never input).
    ///   - key: Its primary key column.
    ///   - timeColumn: The indexed time column.
    ///   - time: The cut-off.
    ///   - limit: The most rows deleted.
    /// - Returns: How many rows were deleted.
    private func deleteOldest(
        table: String,
        key: String,
        timeColumn: String,
        before time: BillingTime,
        limit: Int
    ) async throws -> Int {
        guard limit > 0 else { return 0 }
        let rows = try await self.query(
            """
            DELETE FROM \(unsafeRaw: table) WHERE \(unsafeRaw: key) IN (
                SELECT \(unsafeRaw: key) FROM \(unsafeRaw: table) WHERE \(unsafeRaw: timeColumn) < \(.time(time))
                ORDER BY \(unsafeRaw: timeColumn) LIMIT \(limit)\(unsafeRaw: self.dialect.forUpdateSkipLocked)
            ) RETURNING \(unsafeRaw: timeColumn)
            """
        )
        return rows.count
    }
}
