import BileanCore
import Foundation
package import Logging
import NIOCore
import SQLiteNIO

/// The embedded SQLite database: one file in WAL mode, one connection, transactions one at a time.
///
/// Every transaction starts with `BEGIN IMMEDIATE`, so that it holds the write lock from its first statement
/// and cannot fail half-way on a lock upgrade.
package final class SQLiteDriver: SQLDriver {
    package let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private let gate = AsyncSerialGate()
    private let logger: Logger

    private init(connection: SQLiteConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    /// Opens (creating if needed) the database file, with its parent directory.
    /// - Parameters:
    ///   - path: The database file.
    ///   - logger: The logger for database events.
    /// - Returns: The driver.
    /// - Throws: ``StoreError`` when the file cannot be opened.
    package static func open(path: String, logger: Logger) async throws -> SQLiteDriver {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
            let driver = SQLiteDriver(connection: connection, logger: logger)
            _ = try await connection.query("PRAGMA journal_mode=WAL", [])
            // FULL: a committed transaction survives a power loss too; the listener acks a message only after it.
            _ = try await connection.query("PRAGMA synchronous=FULL", [])
            _ = try await connection.query("PRAGMA busy_timeout=10000", [])
            _ = try await connection.query("PRAGMA foreign_keys=ON", [])
            return driver
        } catch {
            throw StoreError(.connection, "cannot open the SQLite database", underlying: error)
        }
    }

    package func withTransaction<Result: Sendable>(
        _ body: (any SQLConnection) async throws -> Result
    ) async throws -> Result {
        await self.gate.enter()
        do {
            let handle = Handle(connection: self.connection)
            try await handle.execute("BEGIN IMMEDIATE")
            do {
                let result = try await body(handle)
                try await handle.execute("COMMIT")
                await self.gate.leave()
                return result
            } catch {
                do {
                    try await handle.execute("ROLLBACK")
                } catch let rollbackError {
                    self.logger.error("SQLite rollback failed", metadata: ["error": "\(rollbackError)"])
                }
                throw error
            }
        } catch {
            await self.gate.leave()
            throw error
        }
    }

    package func close() async throws {
        await self.gate.enter()
        do {
            try await self.connection.close()
            await self.gate.leave()
        } catch {
            await self.gate.leave()
            throw StoreError(.connection, "cannot close the SQLite database", underlying: error)
        }
    }

    struct Handle: SQLConnection {
        let connection: SQLiteConnection
        var dialect: SQLDialect { .sqlite }

        func execute(_ sql: String) async throws {
            do {
                _ = try await self.connection.query(sql, [])
            } catch {
                throw StoreError(.query, "SQLite statement failed", underlying: error)
            }
        }

        @discardableResult
        func query(_ statement: SQLStatement) async throws -> [SQLRow] {
            let (sql, binds) = statement.render(for: .sqlite)
            let data = binds.map(Self.sqliteData)
            let rows: [SQLiteRow]
            do {
                rows = try await self.connection.query(sql, data)
            } catch {
                throw StoreError(.query, "SQLite statement failed", underlying: SQLDebugContext(sql: sql, error: error))
            }
            return rows.map { row in
                var values: [String: SQLValue] = [:]
                for column in row.columns {
                    values[column.name] = Self.value(column.data)
                }
                return SQLRow(values: values)
            }
        }

        static func sqliteData(_ value: SQLValue) -> SQLiteData {
            switch value {
            case .null: return .null
            case .text(let text): return .text(text)
            case .integer(let number): return .integer(SQLiteInt64(number))
            case .money(let money): return .text(money.description)
            case .bigInteger(let number): return .text(String(number))
            }
        }

        static func value(_ data: SQLiteData) -> SQLValue {
            switch data {
            case .null: return .null
            case .integer(let number): return .integer(Int64(number))
            case .text(let text): return .text(text)
            // Bilean stores no REAL; a REAL here comes from an expression and is reported as text.
            case .float(let number): return .text("\(number)")
            case .blob(let buffer): return .text(String(buffer: buffer))
            }
        }
    }
}

/// The SQL of a failed statement with its error, for the log only.
struct SQLDebugContext: Error, CustomStringConvertible {
    let sql: String
    let error: any Error

    var description: String { "\(self.error) in: \(self.sql)" }
}
