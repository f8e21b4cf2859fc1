import BileanCore
import Foundation
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

    var excludesOtherWriters: Bool { self.dialect == .sqlite }

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
        let unique = Array(Set(messageIDs)).sorted()
        guard !unique.isEmpty else { return [] }
        let rows: [SQLRow]
        if self.dialect == .sqlite {
            // One statement whatever the count (compiled once and kept): the ids go as one JSON array.
            let array = try Self.jsonArray(unique)
            rows = try await self.query(
                """
                INSERT INTO processed_messages (message_id, processed_at)
                    SELECT value, \(.time(time)) FROM json_each(\(array)) WHERE true
                    ON CONFLICT (message_id) DO NOTHING RETURNING message_id
                """
            )
        } else {
            rows = try await self.insertRows(
                "INSERT INTO processed_messages (message_id, processed_at)",
                unique.map { "(\($0), \(.time(time)))" },
                suffix: " ON CONFLICT (message_id) DO NOTHING RETURNING message_id"
            )
        }
        var fresh = Set<String>(minimumCapacity: rows.count)
        for row in rows { fresh.insert(try row.text("message_id")) }
        return fresh
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
        guard !rows.isEmpty else { return [] }
        if self.dialect == .sqlite, rows.count > 1, let values = Self.values(of: rows) {
            // Rows made by one interpolation have one text on SQLite: it is rendered and looked up once, and each
            // row only binds its values and steps (per row, the text and its lookup cost as much as the insert).
            return try await self.connection.query(
                "\(unsafeRaw: prefix) VALUES \(rows[0])\(unsafeRaw: suffix)",
                repeatingWith: values
            )
        }
        if self.dialect == .postgres, let target = Self.insertTarget(prefix), let values = Self.values(of: rows),
            Self.isPlainRow(rows[0], columns: target.columns.count)
        {
            // One statement for every row: a JSON array of objects that json_populate_recordset turns into rows of
            // the table's own type, each value read by its column's input function (as a bound parameter's text
            // would be), in the array's order. One bind and a short text, where a multi-row VALUES was thousands of
            // parameters to parse and plan per chunk (about a tenth of PostgreSQL's time on a drain, perf).
            var json = JSONStreamWriter(capacity: 256 * values.count)
            json.beginArray()
            for row in values {
                json.beginObject()
                for (column, value) in zip(target.columns, row) {
                    json.key(text: column)
                    switch value {
                    case .null: json.string(nil)
                    case .text(let text): json.string(text)
                    case .integer(let number): json.integer(number)
                    case .money(let money): json.money(money)
                    case .bigInteger(let number): json.string(String(number))
                    }
                }
                json.endObject()
            }
            json.endArray()
            let columns = target.columns.joined(separator: ", ")
            return try await self.query(
                """
                \(unsafeRaw: prefix) SELECT \(unsafeRaw: columns)
                FROM json_populate_recordset(NULL::\(unsafeRaw: target.table), \(String(decoding: json.bytes, as: UTF8.self))::json)
                    WITH ORDINALITY AS given ORDER BY given.ordinality\(unsafeRaw: suffix)
                """
            )
        }
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

    /// The table and columns of an `INSERT INTO table (column, …)` prefix, or `nil` for another shape.
    static func insertTarget(_ prefix: String) -> (table: String, columns: [String])? {
        let start = "INSERT INTO "
        guard prefix.hasPrefix(start), let open = prefix.firstIndex(of: "("), prefix.last == ")" else { return nil }
        let table = prefix[prefix.index(prefix.startIndex, offsetBy: start.count)..<open]
            .trimmingCharacters(in: .whitespaces)
        let list = prefix[prefix.index(after: open)..<prefix.index(before: prefix.endIndex)]
        let columns = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        let isName = { (name: String) in
            !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
        guard isName(table), columns.allSatisfy(isName) else { return nil }
        return (table, columns)
    }

    /// Whether a row is `(value, value, …)` with one bound value per column and no SQL of its own.
    static func isPlainRow(_ row: SQLStatement, columns: Int) -> Bool {
        var binds = 0
        for part in row.parts {
            switch part {
            case .bind: binds += 1
            case .sql(let text):
                guard text.allSatisfy({ $0 == "(" || $0 == ")" || $0 == "," || $0.isWhitespace }) else { return false }
            }
        }
        return binds == columns
    }

    /// The values of each row, if every row has the first one's shape (see ``SQLStatement/binds(ifShapedLike:)``).
    static func values(of rows: [SQLStatement]) -> [[SQLValue]]? {
        guard let template = rows.first else { return [] }
        var values: [[SQLValue]] = []
        values.reserveCapacity(rows.count)
        for row in rows {
            guard let binds = row.binds(ifShapedLike: template) else { return nil }
            values.append(binds)
        }
        return values
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
            let array = try Self.jsonArray(unique)
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

    /// Strings as one JSON array, the way SQLite's `json_each` takes a list in one bound value.
    static func jsonArray(_ values: [String]) throws -> String {
        try Self.jsonText(.array(values.map(JSONValue.string)))
    }

    static func jsonText(_ value: JSONValue) throws -> String {
        do {
            return try value.jsonText()
        } catch {
            throw BileanError.invalid("metadata", "contains a value that is not valid JSON")
        }
    }
}
