import BileanStore
import Foundation
import Logging
import PostgresNIO

/// Fresh, migrated stores for the benchmarks, removed afterwards.
enum BenchmarkStore {
    /// The PostgreSQL to benchmark on: `BILEAN_BENCH_POSTGRES_URL`, else `BILEAN_TEST_POSTGRES_URL`.
    static func postgresURL() -> String? {
        let environment = ProcessInfo.processInfo.environment
        return [environment["BILEAN_BENCH_POSTGRES_URL"], environment["BILEAN_TEST_POSTGRES_URL"]]
            .compactMap(\.self).first(where: { !$0.isEmpty })
    }

    /// Runs `body` with a migrated store on a new SQLite file (WAL, `synchronous=FULL`), removed afterwards.
    static func withSQLiteStore(logger: Logger, _ body: (SQLBillingStore) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("bilean-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let driver = try await SQLiteDriver.open(
            path: directory.appendingPathComponent("bench.sqlite").path,
            logger: logger
        )
        do {
            try await body(try await SQLBillingStore.open(driver: driver, logger: logger))
        } catch {
            try? await driver.close()
            throw error
        }
        try await driver.close()
    }

    /// Runs `body` with a migrated store on a new schema of the PostgreSQL at `url`, dropped afterwards.
    static func withPostgresStore(
        url: String,
        logger: Logger,
        _ body: (SQLBillingStore) async throws -> Void
    ) async throws {
        let schema = "bench_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await Self.execute("CREATE SCHEMA \(schema)", url: url, logger: logger)
        var configuration = try PostgresDriver.configuration(url: url)
        configuration.options.additionalStartupParameters = [("search_path", schema)]
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                let driver = PostgresDriver(client: client, logger: logger)
                try await body(try await SQLBillingStore.open(driver: driver, logger: logger))
            }
        } catch {
            try? await Self.execute("DROP SCHEMA \(schema) CASCADE", url: url, logger: logger)
            throw error
        }
        try await Self.execute("DROP SCHEMA \(schema) CASCADE", url: url, logger: logger)
    }

    /// Runs one statement (the schema's creation or removal; no value in it comes from outside).
    private static func execute(_ sql: String, url: String, logger: Logger) async throws {
        // A query may be sent before the client's run() has started: PostgresNIO warns, and waits for it.
        var logger = logger
        logger.logLevel = .error
        let client = PostgresClient(configuration: try PostgresDriver.configuration(url: url), backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }
}
