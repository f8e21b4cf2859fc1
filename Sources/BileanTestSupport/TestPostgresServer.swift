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

    /// Starts one.
    package static func start() throws -> TestPostgresServer {
        let output = try Self.run(["start"])
        func value(_ name: String) throws -> String {
            guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("export \(name)=") }) else {
                throw Failed(description: "postgres-test-server start printed no \(name): \(output)")
            }
            return String(line.dropFirst("export \(name)=".count))
        }
        return TestPostgresServer(url: try value("BILEAN_TEST_POSTGRES_URL"), directory: try value("BILEAN_PG_DIR"))
    }

    /// A crash (an immediate stop), `seconds` without a server, and the same server again on the same port.
    package func restart(down seconds: Int) throws {
        try Self.run(["restart", self.directory, "\(seconds)"])
    }

    /// Stops it and removes its files.
    package func stop() throws {
        try Self.run(["stop", self.directory])
    }

    /// Runs the script (its output to files: the server it starts must not hold a pipe of ours).
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bilean-pgs-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout")
        let err = directory.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        var environment = ProcessInfo.processInfo.environment
        // Durable: a crash must not lose what it had committed (synchronous_commit = off would).
        environment["BILEAN_PG_DURABLE"] = "1"
        // Not Foundation's Process: its run() crashes now and then on Linux (see ChildProcess).
        let process = ChildProcess(
            executable: Self.script,
            arguments: arguments,
            environment: environment,
            standardOutput: .file(out.path),
            standardError: .file(err.path)
        )
        try process.run()
        process.waitUntilExit()
        let stdout = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            let stderr = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            throw Failed(
                description: "postgres-test-server \(arguments[0]) exited \(process.terminationStatus): \(stderr)"
            )
        }
        return stdout
    }
}
