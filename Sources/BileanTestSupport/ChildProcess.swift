import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`, for tests that run `bilean-server`, the CLI or the Python peers.
///
/// Foundation's `Process.run()` on Linux crashes now and then (a 256-byte over-read of `struct dirent` in
/// `findMaximumOpenFromProcSelfFD()`, swift-corelibs-foundation PR #5472, not in Swift 6.3.1): one such SIGSEGV took
/// a whole CI run down with it. This type offers the part of `Process`'s interface the tests use, without it. The
/// child gets `/dev/null` as standard input, its output in files, and no descriptor of the test process above 2.
package final class ChildProcess: Sendable {
    /// Where an output stream goes.
    package enum Output: Sendable {
        /// Discarded.
        case null
        /// Appended to this file (created if missing).
        case file(String)
        /// Standard error only: wherever standard output goes.
        case standardOutput
    }

    /// How the child ended.
    package enum TerminationReason: Sendable, Hashable {
        /// It exited (``terminationStatus`` is its exit code).
        case exit
        /// A signal killed it (``terminationStatus`` is the signal number).
        case uncaughtSignal
    }

    /// The executable's path.
    package let executable: String
    /// The arguments after the executable.
    package let arguments: [String]
    private let environment: [String: String]
    private let standardOutput: Output
    private let standardError: Output
    private let state = Mutex(State())

    private struct State {
        var pid: pid_t = 0
        /// The raw wait status, once reaped.
        var status: Int32?
    }

    /// Describes a child; ``run()`` starts it.
    /// - Parameters:
    ///   - executable: The executable's path.
    ///   - arguments: Its arguments.
    ///   - environment: Its whole environment (the test process's by default).
    ///   - standardOutput: Where its standard output goes.
    ///   - standardError: Where its standard error goes.
    package init(
        executable: String,
        arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment,
        standardOutput: Output = .null,
        standardError: Output = .null
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.standardOutput = standardOutput
        self.standardError = standardError
    }

    /// A spawn that failed.
    package struct SpawnError: Error, CustomStringConvertible {
        /// What failed.
        package var description: String
    }

    /// Starts the child.
    /// - Throws: ``SpawnError`` when `posix_spawn` fails (e.g. no such executable).
    package func run() throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        Self.add(self.standardOutput, fd: 1, to: &actions)
        Self.add(self.standardError, fd: 2, to: &actions)
        // Nothing of the test process leaks into the child (listening sockets, database files).
        if let closeFrom = Self.addCloseFrom { _ = closeFrom(&actions, 3) }
        let argv = ([self.executable] + self.arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        let envp = self.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for entry in envp { free(entry) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, self.executable, &actions, nil, argv, envp)
        guard result == 0 else {
            throw SpawnError(description: "cannot run \(self.executable): \(String(cString: strerror(result)))")
        }
        self.state.withLock { $0.pid = pid }
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does not
    /// declare.
    private static let addCloseFrom:
        (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
            guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np")
            else { return nil }
            return unsafeBitCast(
                symbol,
                to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self
            )
        }()

    private static func add(_ output: Output, fd: Int32, to actions: inout posix_spawn_file_actions_t) {
        switch output {
        case .null:
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
        case .file(let path):
            posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        case .standardOutput:
            posix_spawn_file_actions_adddup2(&actions, 1, fd)
        }
    }

    /// The child's process id (0 before ``run()``).
    package var processIdentifier: Int32 { self.state.withLock { $0.pid } }

    /// Whether it still runs (it is reaped as soon as it is seen to have ended).
    package var isRunning: Bool {
        self.state.withLock { state in
            guard state.pid > 0, state.status == nil else { return false }
            var status: Int32 = 0
            let reaped = waitpid(state.pid, &status, WNOHANG)
            if reaped == state.pid {
                state.status = status
                return false
            }
            return reaped == 0
        }
    }

    /// Sends SIGTERM (nothing once it has ended).
    package func terminate() {
        self.signal(SIGTERM)
    }

    /// Sends a signal (nothing once it has ended).
    package func signal(_ signal: Int32) {
        self.state.withLock { state in
            if state.pid > 0, state.status == nil { _ = kill(state.pid, signal) }
        }
    }

    /// Blocks until it has ended (call it once it has, or after a kill: it blocks its thread meanwhile).
    package func waitUntilExit() {
        let pid = self.state.withLock { $0.status == nil ? $0.pid : 0 }
        guard pid > 0 else { return }
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, 0)
            if reaped == pid { break }
            if reaped == -1 && errno != EINTR {
                // Reaped already (by isRunning on another thread).
                return
            }
        }
        self.state.withLock { $0.status = $0.status ?? status }
    }

    /// Waits, without blocking a thread, until it has ended.
    package func exited() async {
        while self.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
    }

    /// Its exit code, or the signal that killed it (after it ended).
    package var terminationStatus: Int32 {
        let status = self.state.withLock { $0.status } ?? 0
        return status & 0x7f == 0 ? (status >> 8) & 0xff : status & 0x7f
    }

    /// How it ended (after it ended).
    package var terminationReason: TerminationReason {
        let status = self.state.withLock { $0.status } ?? 0
        return status & 0x7f == 0 ? .exit : .uncaughtSignal
    }
}
