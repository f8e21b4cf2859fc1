import BileanCore
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

    package func withReadTransaction<Result: Sendable>(
        _ body: (any StoreTransaction) async throws -> Result
    ) async throws -> Result {
        try await self.driver.withReadTransaction { connection in
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
            // Scoped to the query's user: another project's id is "not an id of this list", exactly like an
            // unknown one, so markers cannot probe other projects.
            var lookup: SQLStatement = "SELECT id FROM \(unsafeRaw: spec.table) WHERE id = \(marker)"
            if let userID = query.userID { lookup = "\(lookup) AND user_id = \(userID)" }
            let found = try await self.query(lookup)
            guard !found.isEmpty else {
                throw BileanError.invalid("marker", "Marker '\(marker)' is not an id of this list")
            }
        }
        return try await self.query(try spec.select(query, dialect: self.dialect, extra: extra))
    }

    func lockConfiguration() async throws {
        switch self.dialect {
        case .sqlite: return
        case .postgres: try await self.query("SELECT pg_advisory_xact_lock(7261901)")
        }
    }

    func markProcessed(_ messageID: String, at time: BillingTime) async throws -> Bool {
        try await !self.markProcessed([messageID], at: time).isEmpty
    }

    func markProcessed(_ messageIDs: [String], at time: BillingTime) async throws -> Set<String> {
        let rows = try await self.insertRows(
            "INSERT INTO processed_messages (message_id, processed_at)",
            Array(Set(messageIDs)).sorted().map { "(\($0), \(.time(time)))" },
            suffix: " ON CONFLICT (message_id) DO NOTHING RETURNING message_id"
        )
        return Set(try rows.map { try $0.text("message_id") })
    }

    /// The most rows one multi-row statement carries (well under both databases' bind limits).
    static let rowsPerStatement = 200

    /// The rows one insert carries: on SQLite one, so that every insert into a table is the same statement,
    /// prepared once and kept (a statement is run in process there, with no round trip to save, and a multi-row one
    /// of each length would be compiled and kept apart); on PostgreSQL ``rowsPerStatement``.
    var rowsPerInsert: Int {
        self.dialect == .sqlite ? 1 : Self.rowsPerStatement
    }

    /// Runs `prefix VALUES (row), (row), … suffix` in chunks and returns every returned row.
    @discardableResult
    func insertRows(_ prefix: String, _ rows: [SQLStatement], suffix: String = "") async throws -> [SQLRow] {
        var result: [SQLRow] = []
        var start = 0
        let size = self.rowsPerInsert
        while start < rows.count {
            let chunk = Array(rows[start..<min(start + size, rows.count)])
            result += try await self.query(
                "\(unsafeRaw: prefix) VALUES \(SQLStatement.join(chunk, separator: ", "))\(unsafeRaw: suffix)"
            )
            start += size
        }
        return result
    }

    /// Runs `body` with a `column IN (…)` condition over `values` (on PostgreSQL in chunks), and returns every row.
    func selectIn(
        _ column: String,
        _ values: [String],
        _ body: (SQLStatement) -> SQLStatement
    ) async throws -> [SQLRow] {
        let unique = Array(Set(values)).sorted()
        guard !unique.isEmpty else { return [] }
        if self.dialect == .sqlite {
            // One statement whatever the count, so that it is compiled once and kept: the values go as one JSON
            // array, which SQLite's json_each reads; the column's index is still used (one search per value).
            let array = try Self.jsonText(.array(unique.map(JSONValue.string)))
            return try await self.query(body("\(unsafeRaw: column) IN (SELECT value FROM json_each(\(array)))"))
        }
        var result: [SQLRow] = []
        var start = 0
        while start < unique.count {
            let chunk = unique[start..<min(start + Self.rowsPerStatement, unique.count)].map { value -> SQLStatement in
                "\(value)"
            }
            result += try await self.query(
                body("\(unsafeRaw: column) IN (\(SQLStatement.join(chunk, separator: ", ")))")
            )
            start += Self.rowsPerStatement
        }
        return result
    }

    static func jsonText(_ value: JSONValue) throws -> String {
        do {
            return try value.jsonText()
        } catch {
            throw BileanError.invalid("metadata", "contains a value that is not valid JSON")
        }
    }
}
