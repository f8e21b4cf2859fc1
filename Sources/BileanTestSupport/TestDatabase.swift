package import BileanStore
import Foundation
package import Logging
import PostgresNIO

/// The databases the store tests run against, and how to reach them.
///
/// SQLite always runs (a temporary file). PostgreSQL runs when `BILEAN_TEST_POSTGRES_URL` is set; unset, its
/// tests are skipped locally but fail under `CI=true`, so that CI never passes by skipping.
package enum TestDatabase: String, Sendable, CaseIterable, CustomStringConvertible {
    /// A temporary SQLite file.
    case sqlite
    /// A fresh schema in the PostgreSQL of `BILEAN_TEST_POSTGRES_URL`.
    case postgres

    package var description: String { self.rawValue }

    /// The PostgreSQL URL for tests, if set.
    package static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["BILEAN_TEST_POSTGRES_URL"], !url.isEmpty else {
            return nil
        }
        return url
    }

    /// Whether the tests run in CI, where a missing server is a failure.
    package static var isCI: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true"
    }

    /// The databases to run on here: SQLite always; PostgreSQL when configured, or in CI (where it then fails).
    package static var available: [TestDatabase] {
        (Self.postgresURL != nil || Self.isCI) ? [.sqlite, .postgres] : [.sqlite]
    }

    /// A logger for tests: warnings and worse only.
    package static var logger: Logger {
        var logger = Logger(label: "bilean.test")
        logger.logLevel = .warning
        return logger
    }

    /// Runs `body` with a migrated store on an empty database of this kind, removed afterwards.
    /// - Parameter body: The test.
    /// - Returns: What `body` returned.
    /// - Throws: ``TestDatabaseError`` when PostgreSQL is not configured (only reachable in CI), or what `body`
    ///   threw.
    package func withStore<Result: Sendable>(
        _ body: (SQLBillingStore) async throws -> Result
    ) async throws -> Result {
        let logger = Self.logger
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("bilean-test-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let driver = try await SQLiteDriver.open(
                path: directory.appendingPathComponent("bilean.sqlite").path,
                logger: logger
            )
            do {
                let store = try await SQLBillingStore.open(driver: driver, logger: logger)
                let result = try await body(store)
                try await driver.close()
                return result
            } catch {
                try? await driver.close()
                throw error
            }
        case .postgres:
            guard let url = Self.postgresURL else { throw TestDatabaseError.postgresNotConfigured }
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            var configuration = try PostgresDriver.configuration(url: url)
            try await Self.run(configuration, logger: logger, "CREATE SCHEMA \(schema)")
            configuration.options.additionalStartupParameters = [("search_path", schema)]
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            do {
                let result = try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { await client.run() }
                    defer { group.cancelAll() }
                    let store = try await SQLBillingStore.open(
                        driver: PostgresDriver(client: client, logger: logger),
                        logger: logger
                    )
                    return try await body(store)
                }
                try await Self.run(
                    try PostgresDriver.configuration(url: url),
                    logger: logger,
                    "DROP SCHEMA \(schema) CASCADE"
                )
                return result
            } catch {
                try? await Self.run(
                    try PostgresDriver.configuration(url: url),
                    logger: logger,
                    "DROP SCHEMA \(schema) CASCADE"
                )
                throw error
            }
        }
    }

    /// Runs `body` with the URL of a new, empty PostgreSQL database (for tests that start several server
    /// processes on one database), dropped afterwards.
    /// - Throws: ``TestDatabaseError`` when PostgreSQL is not configured, or what `body` threw.
    package static func withPostgresDatabase<Result: Sendable>(
        _ body: (String) async throws -> Result
    ) async throws -> Result {
        guard let url = Self.postgresURL, let slash = url.lastIndex(of: "/")
        else { throw TestDatabaseError.postgresNotConfigured }
        let name = "bilean_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let configuration = try PostgresDriver.configuration(url: url)
        try await Self.run(configuration, logger: Self.logger, "CREATE DATABASE \(name)")
        let databaseURL = String(url[...slash]) + name
        do {
            let result = try await body(databaseURL)
            try await Self.run(configuration, logger: Self.logger, "DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await Self.run(configuration, logger: Self.logger, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    private static func run(_ configuration: PostgresClient.Configuration, logger: Logger, _ sql: String) async throws {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }
}

/// Why a test database is missing.
package enum TestDatabaseError: Error, CustomStringConvertible {
    /// `BILEAN_TEST_POSTGRES_URL` is not set (in CI this fails the test instead of skipping it).
    case postgresNotConfigured

    package var description: String {
        "BILEAN_TEST_POSTGRES_URL is not set: PostgreSQL tests cannot run (run them with scripts/test)"
    }
}
