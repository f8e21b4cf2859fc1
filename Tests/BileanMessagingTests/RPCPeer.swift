import BileanCore
import BileanTestSupport
import Foundation
import Testing

/// The Python side of the interop tests: scripts/rpc-peer.py, run by the venv's python (`BILEAN_TEST_PYTHON`), with
/// the real oslo.messaging RPC server and RPCClient.
enum RPCPeer {
    /// The script, found from this file: Tests/BileanMessagingTests/ is two levels below the package.
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/rpc-peer.py").path

    /// The seconds a peer gives itself (`--timeout`).
    static let timeout = 90

    static func arguments(_ subcommand: String, _ arguments: [String]) throws -> [String] {
        let url = try #require(RPCTestEnvironment.brokerURL, "BILEAN_TEST_RABBITMQ_URL is required when CI=true")
        return [Self.script, subcommand, "--url", url, "--timeout", String(Self.timeout)] + arguments
    }

    /// Starts an oslo RPC server and waits until it serves.
    static func serve(
        exchange: String,
        topic: String,
        server: String,
        namespace: String,
        version: String
    ) async throws
        -> PeerProcess
    {
        let process = try PeerProcess(
            arguments: try Self.arguments(
                "serve",
                [
                    "--exchange", exchange, "--topic", topic, "--server", server, "--namespace", namespace,
                    "--version", version,
                ]
            ),
            deadline: .seconds(Self.timeout + 40)
        )
        try await process.waitForStdoutLine { $0.contains("\"ready\": true") }
        return process
    }

    /// Runs calls through one oslo RPCClient, in order (see the script's `calls`), and returns their outputs.
    static func calls(exchange: String, topic: String, _ specs: [JSONValue]) async throws -> [JSONValue] {
        let process = try PeerProcess(
            arguments: try Self.arguments(
                "calls",
                ["--exchange", exchange, "--topic", topic, "--calls", try JSONValue.array(specs).jsonText()]
            ),
            deadline: .seconds(Self.timeout + 30)
        )
        let output = try await process.json()
        let results = try #require(output["results"]?.arrayValue, "no results: \(output)")
        try #require(results.count == specs.count)
        return results
    }

    /// A call spec of the script's `calls`.
    static func spec(
        _ method: String,
        namespace: String,
        version: String = "1.0",
        args: [String: JSONValue] = [:],
        context: [String: JSONValue] = [:],
        server: String? = nil,
        rpcTimeout: Int? = nil,
        callMonitorTimeout: Int? = nil,
        cast: Bool = false,
        fanout: Bool = false
    ) -> JSONValue {
        var spec: [String: JSONValue] = [
            "method": .string(method), "namespace": .string(namespace), "version": .string(version),
            "args": .object(args), "context": .object(context), "cast": .bool(cast), "fanout": .bool(fanout),
        ]
        if let server { spec["server"] = .string(server) }
        if let rpcTimeout { spec["rpc_timeout"] = .number(String(rpcTimeout)) }
        if let callMonitorTimeout { spec["call_monitor_timeout"] = .number(String(callMonitorTimeout)) }
        return .object(spec)
    }
}

/// A running python, its stdout and stderr going to files (no pipe to fill up and block it).
final class PeerProcess {
    let process: ChildProcess
    let directory: URL
    let deadline: ContinuousClock.Instant
    private let stdoutURL: URL
    private let stderrURL: URL
    private let label: String

    init(arguments: [String], deadline: Duration) throws {
        let python = try #require(RPCTestEnvironment.python, "BILEAN_TEST_PYTHON is required when CI=true")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bilean-rpc-peer-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        self.stdoutURL = directory.appendingPathComponent("stdout")
        self.stderrURL = directory.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: self.stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: self.stderrURL.path, contents: nil)
        // Not Foundation's Process: its run() crashes now and then on Linux (see ChildProcess).
        let process = ChildProcess(
            executable: python,
            arguments: arguments,
            standardOutput: .file(self.stdoutURL.path),
            standardError: .file(self.stderrURL.path)
        )
        self.process = process
        self.directory = directory
        self.deadline = .now + deadline
        self.label = "rpc-peer \(arguments.dropFirst().first ?? "")"
        try process.run()
    }

    deinit {
        if self.process.isRunning {
            self.process.terminate()
            self.process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: self.directory)
    }

    var stdout: String { (try? String(contentsOf: self.stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: self.stderrURL, encoding: .utf8)) ?? "" }

    /// Waits until a line of stdout satisfies `matches`.
    func waitForStdoutLine(_ matches: (Substring) -> Bool) async throws {
        while !self.stdout.split(separator: "\n").contains(where: matches) {
            guard self.process.isRunning else {
                throw PeerFailure("\(self.label) ended early; stderr:\n\(self.stderr.suffix(4000))")
            }
            guard ContinuousClock.now < self.deadline else {
                throw PeerFailure("\(self.label) did not get ready in time; stderr:\n\(self.stderr.suffix(4000))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits for the exit (status 0) and returns the JSON object of stdout's last line.
    func json() async throws -> JSONValue {
        while self.process.isRunning {
            guard ContinuousClock.now < self.deadline else {
                self.process.terminate()
                throw PeerFailure("\(self.label) did not finish in time; stderr:\n\(self.stderr.suffix(4000))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        self.process.waitUntilExit()
        guard self.process.terminationStatus == 0 else {
            throw PeerFailure(
                "\(self.label) exited with \(self.process.terminationStatus); stderr:\n\(self.stderr.suffix(4000))"
            )
        }
        let line = self.stdout.split(separator: "\n").last.map(String.init) ?? ""
        do {
            return try ExactJSONReader.parse(Array(line.utf8), maximumDepth: 50)
        } catch {
            throw PeerFailure("\(self.label) printed no JSON: \(line)")
        }
    }

    /// Stops it (SIGTERM) and returns its final JSON.
    func stop() async throws -> JSONValue {
        if self.process.isRunning { self.process.terminate() }
        return try await self.json()
    }
}

/// The peer failed, with its stderr.
struct PeerFailure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
