import Foundation

extension ChildProcess {
    /// What a command run to completion printed, and how it ended.
    package struct Completion: Sendable {
        /// Its exit code (or the signal that killed it).
        package var status: Int32
        /// Its standard output.
        package var output: String
        /// Its standard error.
        package var errorOutput: String
    }

    /// Runs a command to completion, blocking the calling thread (see ``offThePool(_:)``). Its output goes to files,
    /// never to a pipe of ours: a server it starts in the background must not hold one.
    /// - Parameters:
    ///   - executable: The executable's path.
    ///   - arguments: Its arguments.
    ///   - environment: Its whole environment (the test process's by default).
    /// - Returns: Its status and output.
    /// - Throws: ``SpawnError`` when it cannot be started.
    package static func complete(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> Completion {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bilean-child-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("stdout").path
        let err = directory.appendingPathComponent("stderr").path
        let process = ChildProcess(
            executable: executable,
            arguments: arguments,
            environment: environment,
            standardOutput: .file(out),
            standardError: .file(err)
        )
        try process.run()
        process.waitUntilExit()
        return Completion(
            status: process.terminationStatus,
            output: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            errorOutput: (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        )
    }
}
