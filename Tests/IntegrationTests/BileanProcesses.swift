import BileanTestSupport
import Foundation
import Testing

/// The built `bilean-server` and `bilean` executables, run as real processes.
enum BileanProcesses {
    /// The directory of the built products: `BILEAN_BIN_DIR`, else the test bundle's own directory
    /// (`swift build --build-tests` puts the executables beside it).
    static var binaryDirectory: URL {
        if let directory = ProcessInfo.processInfo.environment["BILEAN_BIN_DIR"] {
            return URL(fileURLWithPath: directory)
        }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // .../debug/bileanPackageTests.xctest (Linux) or .../debug/bileanPackageTests.xctest/Contents/MacOS/… (macOS)
        while url.pathComponents.count > 1 && !url.lastPathComponent.hasSuffix(".xctest") {
            url.deleteLastPathComponent()
        }
        return url.deletingLastPathComponent()
    }

    /// A fresh temporary directory, removed by the caller.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bilean-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// What a finished process printed.
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs an executable to completion.
    /// - Parameters:
    ///   - name: `bilean` or `bilean-server`.
    ///   - arguments: Its arguments.
    ///   - environment: Extra environment variables.
    ///   - timeout: Killed after this many seconds.
    static func run(
        _ name: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        timeout: Double = 60
    ) async throws -> Output {
        var env = ProcessInfo.processInfo.environment
        for key in [
            "BILEAN_URL", "OS_BILEAN_URL", "OS_TOKEN", "OS_AUTH_TOKEN", "OS_PROJECT_ID", "OS_ROLES", "OS_AUTH_URL",
            "OS_CLOUD", "OS_CLIENT_CONFIG_FILE", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME",
            "OS_USER_DOMAIN_NAME", "OS_USER_DOMAIN_ID", "OS_PROJECT_DOMAIN_NAME", "OS_PROJECT_DOMAIN_ID",
            "OS_REGION_NAME", "OS_INTERFACE",
        ] {
            env.removeValue(forKey: key)
        }
        env.merge(environment) { $1 }
        return try await Self.runExecutable(
            Self.binaryDirectory.appendingPathComponent(name).path,
            arguments,
            environment: env,
            timeout: timeout
        )
    }

    /// Runs any executable to completion, with exactly this environment (the inherited one by default).
    static func runExecutable(
        _ path: String,
        _ arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        timeout: Double
    ) async throws -> Output {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let outURL = directory.appendingPathComponent("out")
        let errURL = directory.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        // Not Foundation's Process: its run() crashes now and then on Linux (see ChildProcess).
        let process = ChildProcess(
            executable: path,
            arguments: arguments,
            environment: environment,
            standardOutput: .file(outURL.path),
            standardError: .file(errURL.path)
        )
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                Issue.record("\(path) \(arguments.joined(separator: " ")) did not finish in \(timeout) s")
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus,
            stdout: try String(contentsOf: outURL, encoding: .utf8),
            stderr: try String(contentsOf: errURL, encoding: .utf8)
        )
    }
}

/// A running `bilean-server`, on a port the OS picked, with its own SQLite database.
final class ServerProcess: @unchecked Sendable {
    // @unchecked: the process and paths are set once in `start` and only read afterwards; tests use one server
    // from one task.
    let process: ChildProcess
    let directory: URL
    let logURL: URL
    let url: String

    private init(process: ChildProcess, directory: URL, logURL: URL, url: String) {
        self.process = process
        self.directory = directory
        self.logURL = logURL
        self.url = url
    }

    /// The server's log so far.
    var log: String { (try? String(contentsOf: self.logURL, encoding: .utf8)) ?? "" }

    /// Starts a server and waits until it listens.
    /// - Parameters:
    ///   - directory: Where its configuration, database and log go (kept, so that a restart finds the data).
    ///   - configuration: Extra bilean.conf text (sections after `[database]` / `[bilean_api]`).
    ///   - arguments: Extra arguments, e.g. the role.
    static func start(
        in directory: URL,
        configuration: String = "",
        arguments: [String] = [],
        environment: [String: String] = [:],
        configurationName: String = "bilean.conf",
        readyText: String = "listening on http://"
    ) async throws -> ServerProcess {
        let configURL = directory.appendingPathComponent(configurationName)
        let text = """
            [database]
            connection = sqlite:///\(directory.appendingPathComponent("bilean.sqlite").path)
            [bilean_api]
            bind_host = 127.0.0.1
            bind_port = 0

            """ + configuration
        try text.write(to: configURL, atomically: true, encoding: .utf8)
        return try await Self.launch(
            arguments: arguments + ["--config-file", configURL.path],
            directory: directory,
            environment: environment,
            readyText: readyText
        )
    }

    /// Starts `bilean-server` with exactly these arguments and waits until it listens.
    static func launch(
        arguments: [String],
        directory: URL,
        environment: [String: String] = [:],
        readyText: String = "listening on http://"
    ) async throws -> ServerProcess {
        let logURL = directory.appendingPathComponent("server-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let process = ChildProcess(
            executable: BileanProcesses.binaryDirectory.appendingPathComponent("bilean-server").path,
            arguments: arguments,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
            standardOutput: .file(logURL.path),
            standardError: .standardOutput
        )
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on http://") {
                let rest = text[range.upperBound...]
                let address = rest.prefix { !$0.isWhitespace }
                return ServerProcess(process: process, directory: directory, logURL: logURL, url: "http://\(address)")
            }
            if readyText != "listening on http://", text.contains(readyText) {
                // A role without the API (scheduler, notification): ready once it logged `readyText`.
                return ServerProcess(process: process, directory: directory, logURL: logURL, url: "")
            }
            if !process.isRunning {
                throw ServerFailed(log: text)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.terminate()
        throw ServerFailed(log: (try? String(contentsOf: logURL, encoding: .utf8)) ?? "")
    }

    /// Sends SIGTERM and waits for the exit.
    /// - Returns: The exit status.
    @discardableResult
    func stop() async throws -> Int32 {
        if self.process.isRunning { self.process.terminate() }
        let deadline = Date().addingTimeInterval(30)
        while self.process.isRunning && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        if self.process.isRunning {
            kill(self.process.processIdentifier, SIGKILL)
            Issue.record(
                """
                bilean-server \(self.process.arguments.first ?? "") did not stop within 30 s of SIGTERM; the end of \
                its log:
                \(self.log.suffix(4000))
                """
            )
        }
        self.process.waitUntilExit()
        return self.process.terminationStatus
    }

    /// Runs the `bilean` CLI against this server.
    func cli(_ arguments: String..., environment: [String: String] = [:]) async throws -> BileanProcesses.Output {
        try await self.cli(arguments, environment: environment)
    }

    /// Runs the `bilean` CLI against this server.
    func cli(_ arguments: [String], environment: [String: String] = [:]) async throws -> BileanProcesses.Output {
        try await BileanProcesses.run(
            "bilean",
            arguments,
            environment: ["BILEAN_URL": self.url].merging(environment) { $1 }
        )
    }

    struct ServerFailed: Error, CustomStringConvertible {
        var log: String
        var description: String { "bilean-server did not start:\n\(self.log)" }
    }
}
