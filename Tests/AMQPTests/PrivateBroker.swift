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
        let output = try await Self.offThePool { try Self.run(["start"]) }
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
        _ = try await Self.offThePool { try Self.run(["restart", directory]) }
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
        _ = try await Self.offThePool { try Self.shell(command) }
    }

    /// Runs a blocking call on a thread of its own: the tasks' cooperative pool has one thread per core, and a
    /// call that blocks one for seconds starves every other test.
    private static func offThePool<Value: Sendable>(
        _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.start()
        }
    }

    private static func run(_ arguments: [String]) throws -> String {
        let script = Self.repositoryRoot.appendingPathComponent("scripts/rabbitmq-test-server").path
        return try Self.execute("/bin/bash", [script] + arguments)
    }

    private static func shell(_ command: String) throws -> String {
        try Self.execute("/bin/bash", ["-c", command])
    }

    /// Runs a command to completion with `posix_spawn` and `waitpid` (Foundation's `Process.waitUntilExit` did not
    /// return here once the script had started the broker daemon), its standard output to a file, its standard error
    /// to ours.
    private static func execute(_ executable: String, _ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("rmq-\(UUID().uuidString).out")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            Issue.record("cannot run \(executable): error \(spawned)")
            throw PrivateBrokerError()
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited, code == 0 else {
            Issue.record("\(arguments.joined(separator: " ")) failed (status \(status))")
            throw PrivateBrokerError()
        }
        return text
    }

    struct PrivateBrokerError: Error {}
}
