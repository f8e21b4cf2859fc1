import BileanCore
import Foundation
package import Logging
import NIOCore
package import PostgresNIO

/// PostgreSQL: a pooled `PostgresClient`; transactions run on one leased connection and serialise per user
/// through row locks (`SELECT … FOR UPDATE`), retried on a serialization failure or deadlock.
package final class PostgresDriver: SQLDriver {
    package let dialect = SQLDialect.postgres
    /// The pooled client; it must be running (``withDriver(url:logger:_:)`` runs it).
    package let client: PostgresClient
    private let logger: Logger

    /// How many times a transaction that lost a race is retried.
    static let maximumAttempts = 8

    /// Creates a driver over a client that the caller runs.
    /// - Parameters:
    ///   - client: The client.
    ///   - logger: The logger.
    package init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Parses a `postgresql://user:password@host:port/database` URL.
    /// - Parameter url: The URL (`postgres://` is accepted too).
    /// - Returns: The client configuration (TLS off on loopback, preferred elsewhere).
    /// - Throws: ``StoreError`` naming what is missing; the URL itself is never echoed (it holds a password).
    package static func configuration(url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url),
            let scheme = components.scheme, ["postgresql", "postgres"].contains(scheme)
        else {
            throw StoreError(.configuration, "the database URL must start with postgresql://")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError(.configuration, "the database URL has no host")
        }
        guard let username = components.user, !username.isEmpty else {
            throw StoreError(.configuration, "the database URL has no user")
        }
        let database = String(components.path.drop { $0 == "/" })
        let loopback = ["127.0.0.1", "localhost", "::1"].contains(host)
        var configuration = PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: username,
            password: components.password,
            database: database.isEmpty ? nil : database,
            tls: loopback ? .disable : .prefer(.makeClientConfiguration())
        )
        configuration.options.maximumConnections = 20
        return configuration
    }

    /// Runs `body` with a driver whose client runs for the body's lifetime.
    /// - Parameters:
    ///   - url: The database URL.
    ///   - logger: The logger.
    ///   - body: The work.
    /// - Returns: What `body` returned.
    /// - Throws: ``StoreError`` for a bad URL, or what `body` threw.
    package static func withDriver<Result: Sendable>(
        url: String,
        logger: Logger,
        _ body: (PostgresDriver) async throws -> Result
    ) async throws -> Result {
        let client = PostgresClient(configuration: try Self.configuration(url: url), backgroundLogger: logger)
        let driver = PostgresDriver(client: client, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(driver)
        }
    }

    package func withTransaction<Result: Sendable>(
        _ body: (any SQLConnection) async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await self.client.withConnection { connection in
                    let handle = Handle(connection: connection, logger: self.logger)
                    try await handle.execute("BEGIN")
                    do {
                        let result = try await body(handle)
                        try await handle.execute("COMMIT")
                        return result
                    } catch {
                        do {
                            try await handle.execute("ROLLBACK")
                        } catch let rollbackError {
                            self.logger.error("PostgreSQL rollback failed", metadata: ["error": "\(rollbackError)"])
                        }
                        throw error
                    }
                }
            } catch let error as StoreError where error.code == .retryableConflict && attempt < Self.maximumAttempts {
                attempt += 1
                self.logger.debug("PostgreSQL transaction lost a race; retrying", metadata: ["attempt": "\(attempt)"])
                try await Task.sleep(for: .milliseconds(Int64.random(in: 1...Int64(5 * attempt))))
            } catch let error as PSQLError {
                throw StoreError(.connection, "PostgreSQL is not reachable", underlying: error)
            }
        }
    }

    package func close() async throws {}

    struct Handle: SQLConnection {
        let connection: PostgresConnection
        let logger: Logger
        var dialect: SQLDialect { .postgres }

        func execute(_ sql: String) async throws {
            _ = try await self.query(SQLStatement(stringLiteral: sql))
        }

        @discardableResult
        func query(_ statement: SQLStatement) async throws -> [SQLRow] {
            let (sql, binds) = statement.render(for: .postgres)
            var bindings = PostgresBindings(capacity: binds.count)
            for value in binds {
                switch value {
                case .null: bindings.appendNull()
                case .text(let text): bindings.append(text)
                case .integer(let number): bindings.append(number)
                case .money(let money): bindings.append(money.description)
                case .bigInteger(let number): bindings.append(String(number))
                }
            }
            do {
                let rows = try await Self.send(
                    PostgresQuery(unsafeSQL: sql, binds: bindings),
                    on: self.connection,
                    logger: self.logger
                )
                var result: [SQLRow] = []
                result.reserveCapacity(rows.count)
                let names = rows.first.map { $0.map(\.columnName) } ?? []
                for row in rows {
                    result.append(SQLRow(columns: names, values: try row.map(Self.value)))
                }
                return result
            } catch let error as PSQLError {
                let state = error.serverInfo?[.sqlState]
                if state == "40001" || state == "40P01" {
                    throw StoreError(.retryableConflict, "transaction conflict", underlying: error)
                }
                throw StoreError(
                    .query,
                    "PostgreSQL statement failed",
                    underlying: SQLDebugContext(sql: sql, error: error)
                )
            }
        }

        /// Sends a query and collects its rows, failing at once on a connection that is closed.
        ///
        /// postgres-nio 1.33.2 writes a query to the channel without a write promise: a query sent from off the
        /// event loop just after the server closed the connection (a PostgreSQL crash or restart, then the
        /// `ROLLBACK` after the failed statement) reaches a pipeline whose handler is gone, is dropped, and its
        /// caller waits forever (fixed upstream by vapor/postgres-nio#487). On the connection's event loop an open
        /// channel still has its handler, which always answers or fails the query: the check and the write happen
        /// there.
        static func send(
            _ query: PostgresQuery,
            on connection: PostgresConnection,
            logger: Logger
        ) async throws -> PostgresQueryResult {
            try await connection.eventLoop.flatSubmit { () -> EventLoopFuture<PostgresQueryResult> in
                guard !connection.isClosed else {
                    return connection.eventLoop.makeFailedFuture(
                        StoreError(.connection, "the PostgreSQL connection is closed")
                    )
                }
                return connection.query(query, logger: logger)
            }.get()
        }

        static func value(_ cell: PostgresCell) throws -> SQLValue {
            guard cell.bytes != nil else { return .null }
            switch cell.dataType {
            case .int2, .int4, .int8:
                return .integer(try cell.decode(Int64.self))
            case .bool:
                return .integer(try cell.decode(Bool.self) ? 1 : 0)
            case .numeric:
                return .text(try cell.decode(Decimal.self).description)
            default:
                return .text(try cell.decode(String.self))
            }
        }
    }
}
