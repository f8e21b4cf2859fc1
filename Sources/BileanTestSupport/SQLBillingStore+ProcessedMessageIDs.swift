package import BileanStore

extension SQLBillingStore {
    /// Every processed message id, sorted: what the store remembers for deduplication.
    /// - Returns: The ids.
    /// - Throws: What the query threw.
    package func processedMessageIDs() async throws -> [String] {
        let rows = try await self.driver.withTransaction { connection in
            try await connection.query("SELECT message_id FROM processed_messages ORDER BY message_id")
        }
        return try rows.map { try $0.text("message_id") }
    }
}
