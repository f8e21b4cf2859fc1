/// A connection inside a transaction.
package protocol SQLConnection: Sendable {
    /// The connection's dialect.
    var dialect: SQLDialect { get }

    /// Runs a statement and returns its rows.
    /// - Parameter statement: The statement.
    /// - Returns: Every row.
    /// - Throws: ``StoreError``.
    @discardableResult
    func query(_ statement: SQLStatement) async throws -> [SQLRow]

    /// Runs `statement` once for each row of `values` (each replacing the statement's own values, in order), one
    /// after the other, and returns every row they returned.
    ///
    /// SQLite prepares the text once for all of them and only binds and steps per row; the default runs each as a
    /// statement of its own.
    /// - Parameters:
    ///   - statement: The statement; its values are placeholders' models only.
    ///   - values: The values of each run, as many as the statement binds.
    /// - Returns: Every row, in order.
    /// - Throws: ``StoreError``.
    @discardableResult
    func query(_ statement: SQLStatement, repeatingWith values: [[SQLValue]]) async throws -> [SQLRow]
}

extension SQLConnection {
    @discardableResult
    package func query(_ statement: SQLStatement, repeatingWith values: [[SQLValue]]) async throws -> [SQLRow] {
        var rows: [SQLRow] = []
        for binds in values {
            rows += try await self.query(statement.replacingBinds(with: binds))
        }
        return rows
    }
}

/// A database: the one thing a dialect-specific driver has to provide.
package protocol SQLDriver: Sendable {
    /// The driver's dialect.
    var dialect: SQLDialect { get }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    ///
    /// PostgreSQL transactions that fail on a serialization failure or deadlock are retried.
    /// - Parameter body: The work; it must not keep the connection.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw, or ``StoreError``.
    func withTransaction<Result: Sendable>(
        _ body: (any SQLConnection) async throws -> Result
    ) async throws -> Result

    /// Runs `body` in a transaction that only reads. On SQLite it runs on a read-only connection and never waits
    /// behind a write (WAL); on PostgreSQL it is an ordinary transaction.
    /// - Parameter body: The reads; it must not write or keep the connection.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw, or ``StoreError``.
    func withReadTransaction<Result: Sendable>(
        _ body: (any SQLConnection) async throws -> Result
    ) async throws -> Result

    /// Closes the database.
    func close() async throws
}

extension SQLDriver {
    package func withReadTransaction<Result: Sendable>(
        _ body: (any SQLConnection) async throws -> Result
    ) async throws -> Result {
        try await self.withTransaction(body)
    }
}
