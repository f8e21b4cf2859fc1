package import BileanCore
package import Logging

/// The one store implementation, written once over ``SQLDriver``: SQLite or PostgreSQL.
package struct SQLBillingStore: BillingStore {
    /// The database.
    package let driver: any SQLDriver

    /// Creates a store over a driver whose schema is migrated (see ``open(driver:logger:)``).
    /// - Parameter driver: The database.
    package init(driver: any SQLDriver) {
        self.driver = driver
    }

    /// Migrates the database to the latest schema and returns the store.
    /// - Parameters:
    ///   - driver: The database.
    ///   - logger: The logger.
    /// - Returns: The store.
    /// - Throws: ``StoreError`` if a migration fails.
    package static func open(driver: any SQLDriver, logger: Logger) async throws -> SQLBillingStore {
        try await Migrations.run(on: driver, logger: logger)
        return SQLBillingStore(driver: driver)
    }

    package func withTransaction<Result: Sendable>(
        _ body: (any StoreTransaction) async throws -> Result
    ) async throws -> Result {
        try await self.driver.withTransaction { connection in
            try await body(SQLStoreTransaction(connection: connection))
        }
    }

    package func close() async throws {
        try await self.driver.close()
    }
}

/// The store's operations over one connection inside a transaction.
struct SQLStoreTransaction: StoreTransaction {
    let connection: any SQLConnection

    var dialect: SQLDialect { self.connection.dialect }

    @discardableResult
    func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await self.connection.query(statement)
    }

    /// Runs a list query after checking that its marker exists.
    func list(_ spec: TableSpec, _ query: ListQuery, extra: [SQLStatement] = []) async throws -> [SQLRow] {
        if let marker = query.marker {
            let found = try await self.query("SELECT id FROM \(unsafeRaw: spec.table) WHERE id = \(marker)")
            guard !found.isEmpty else {
                throw BileanError.invalid("marker", "Marker '\(marker)' is not an id of this list")
            }
        }
        return try await self.query(try spec.select(query, dialect: self.dialect, extra: extra))
    }

    func markProcessed(_ messageID: String, at time: BillingTime) async throws -> Bool {
        let rows = try await self.query(
            """
            INSERT INTO processed_messages (message_id, processed_at) VALUES (\(messageID), \(.time(time)))
            ON CONFLICT (message_id) DO NOTHING RETURNING message_id
            """
        )
        return !rows.isEmpty
    }

    static func jsonText(_ value: JSONValue) throws -> String {
        do {
            return try value.jsonText()
        } catch {
            throw BileanError.invalid("metadata", "contains a value that is not valid JSON")
        }
    }
}
