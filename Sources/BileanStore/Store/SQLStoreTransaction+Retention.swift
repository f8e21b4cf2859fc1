import BileanCore

extension SQLStoreTransaction {
    func deleteProcessedMessages(before time: BillingTime, limit: Int) async throws -> Int {
        try await self.deleteOldest(from: .processedMessages, before: time, limit: limit)
    }

    func deleteRejectedNotifications(before time: BillingTime, limit: Int) async throws -> Int {
        try await self.deleteOldest(from: .rejectedNotifications, before: time, limit: limit)
    }

    /// Deletes the oldest rows of `table` whose time column is before `time`, at most `limit` of them, with one
    /// statement that both databases run (SQLite has no `DELETE … LIMIT` by default). On PostgreSQL, rows another
    /// engine is deleting at the same moment are skipped rather than waited for.
    /// - Parameters:
    ///   - table: The table.
    ///   - time: The cut-off.
    ///   - limit: The most rows deleted.
    /// - Returns: How many rows were deleted.
    private func deleteOldest(from table: PrunedTable, before time: BillingTime, limit: Int) async throws -> Int {
        guard limit > 0 else { return 0 }
        let rows = try await self.query(
            """
            DELETE FROM \(unsafeRaw: table.name) WHERE \(unsafeRaw: table.key) IN (
                SELECT \(unsafeRaw: table.key) FROM \(unsafeRaw: table.name)
                WHERE \(unsafeRaw: table.timeColumn) < \(.time(time))
                ORDER BY \(unsafeRaw: table.timeColumn) LIMIT \(limit)\(unsafeRaw: self.dialect.forUpdateSkipLocked)
            ) RETURNING \(unsafeRaw: table.timeColumn)
            """
        )
        return rows.count
    }
}

/// A table that retention prunes (fixed names, never input).
private struct PrunedTable: Sendable {
    static let processedMessages = Self(name: "processed_messages", key: "message_id", timeColumn: "processed_at")
    static let rejectedNotifications = Self(name: "rejected_notifications", key: "id", timeColumn: "received_at")

    /// The table.
    let name: String
    /// Its primary key column.
    let key: String
    /// The indexed time column.
    let timeColumn: String
}
