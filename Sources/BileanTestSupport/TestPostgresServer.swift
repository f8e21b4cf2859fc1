import Foundation

/// A PostgreSQL of a test's own (`scripts/postgres-test-server`, durable: fsync and synchronous commits on), which
/// the test may crash and restart without disturbing the tests that share the main one. Needs root, as the script
/// does.
package struct TestPostgresServer: Sendable {
    /// The repository's `scripts/postgres-test-server`.
    package static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/postgres-test-server").path

    /// `postgresql://…/bilean`.
    package var url: String
    /// Its directory (`BILEAN_PG_DIR`).
    package var directory: String

    /// A script failed.
    package struct Failed: Error, CustomStringConvertible {
        package var description: String
    }

    /// Starts one (on a thread of its own, not the tasks' pool: it takes seconds).
    package static func start() async throws -> TestPostgresServer {
        let output = try await Self.run(["start"])
        func value(_ name: String) throws -> String {
            guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("export \(name)=") }) else {
                throw Failed(description: "postgres-test-server start printed no \(name): \(output)")
            }
            return String(line.dropFirst("export \(name)=".count))
        }
        return TestPostgresServer(url: try value("BILEAN_TEST_POSTGRES_URL"), directory: try value("BILEAN_PG_DIR"))
    }

    /// A crash (an immediate stop), `seconds` without a server, and the same server again on the same port.
    package func restart(down seconds: Int) async throws {
        try await Self.run(["restart", self.directory, "\(seconds)"])
    }

    /// Stops it and removes its files.
    package func stop() async throws {
        try await Self.run(["stop", self.directory])
    }

    /// Runs the script off the tasks' pool (its output to files: the server it starts must not hold a pipe of ours).
    @discardableResult
    static func run(_ arguments: [String]) async throws -> String {
        var environment = ProcessInfo.processInfo.environment
        // Durable: a crash must not lose what it had committed (synchronous_commit = off would).
        environment["BILEAN_PG_DURABLE"] = "1"
        let script = Self.script
        let durable = environment
        let completion = try await offThePool {
            try ChildProcess.complete(script, arguments, environment: durable)
        }
        guard completion.status == 0 else {
            throw Failed(
                description:
                    "postgres-test-server \(arguments[0]) exited \(completion.status): \(completion.errorOutput)"
            )
        }
        return completion.output
    }
}
