import BileanTestSupport
import Foundation
import Testing

/// A RabbitMQ node of its own, for tests that restart, freeze or alarm the broker (they would disturb the tests that
/// share scripts/test's node). Started with scripts/rabbitmq-test-server, which needs root and installs RabbitMQ with
/// apt when missing; stopped by ``stop()``.
struct PrivateBroker {
    /// The AMQP URL.
    let url: String
    /// The node's directory (for restart and stop).
    let directory: String

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// Starts a node; takes 5–20 seconds (on a thread of its own, not the tasks' pool).
    static func start() async throws -> PrivateBroker {
        let output = try await offThePool { try Self.run(["start"]) }
        var exports: [String: String] = [:]
        for line in output.split(separator: "\n") where line.hasPrefix("export ") {
            let assignment = line.dropFirst("export ".count)
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            exports[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
        }
        let url = try #require(exports["BILEAN_TEST_RABBITMQ_URL"], "rabbitmq-test-server start printed no URL")
        let directory = try #require(exports["BILEAN_RMQ_DIR"], "rabbitmq-test-server start printed no directory")
        return PrivateBroker(url: url, directory: directory)
    }

    /// Stops and starts the node again (same port, same data); returns when it accepts connections.
    func restart() async throws {
        let directory = self.directory
        _ = try await offThePool { try Self.run(["restart", directory]) }
    }

    /// Stops the node and removes its files.
    func stop() {
        _ = try? Self.run(["stop", self.directory])
    }

    /// The operating system process of the node (to freeze it with SIGSTOP).
    func processID() throws -> Int32 {
        let text = try String(contentsOfFile: "\(self.directory)/rabbit.pid", encoding: .utf8)
        return try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    /// Runs `rabbitmqctl` against the node, e.g. `["set_vm_memory_high_watermark", "0"]`.
    func rabbitmqctl(_ arguments: [String]) async throws {
        let quoted = arguments.map { "'\($0)'" }.joined(separator: " ")
        let command = ". '\(self.directory)/node.env' && rabbitmqctl -q -n \"$RABBITMQ_NODENAME\" \(quoted)"
        _ = try await offThePool { try Self.shell(command) }
    }

    private static func run(_ arguments: [String]) throws -> String {
        let script = Self.repositoryRoot.appendingPathComponent("scripts/rabbitmq-test-server").path
        return try Self.execute("/bin/bash", [script] + arguments)
    }

    private static func shell(_ command: String) throws -> String {
        try Self.execute("/bin/bash", ["-c", command])
    }

    /// Runs a command to completion (``ChildProcess``: Foundation's `Process.waitUntilExit` did not return here once
    /// the script had started the broker daemon, and its `run()` crashes now and then on Linux).
    private static func execute(_ executable: String, _ arguments: [String]) throws -> String {
        let completion: ChildProcess.Completion
        do {
            completion = try ChildProcess.complete(executable, arguments)
        } catch {
            Issue.record("cannot run \(executable): \(error)")
            throw PrivateBrokerError()
        }
        guard completion.status == 0 else {
            Issue.record(
                "\(arguments.joined(separator: " ")) failed (status \(completion.status)): \(completion.errorOutput)"
            )
            throw PrivateBrokerError()
        }
        return completion.output
    }

    struct PrivateBrokerError: Error {}
}
