import ArgumentParser
import BileanClient
import Foundation

/// Standard output and error, and the CLI's error convention.
enum Console {
    /// Writes text to standard output as is.
    ///
    /// When the reader has gone (`bilean user-list | head -1`), the command stops quietly with status 141, as a
    /// command killed by SIGPIPE does (Swift ignores the signal, so the write fails with EPIPE instead); any other
    /// failure to write (a full disk) is reported on standard error, status 1.
    /// - Parameter text: The text (its own newlines included).
    static func write(_ text: String) {
        guard !text.isEmpty else { return }
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
        } catch {
            if Self.isBrokenPipe(error) { exit(Self.brokenPipeStatus) }
            self.error("cannot write to standard output: \(Self.reason(error))")
            exit(EXIT_FAILURE)
        }
    }

    /// The status of a command whose reader went away: 128 + SIGPIPE, what a shell reports for `yes | head`.
    static let brokenPipeStatus: Int32 = 128 + SIGPIPE

    /// Whether a write failed because the other end of the pipe was closed.
    static func isBrokenPipe(_ error: any Error) -> Bool {
        Self.posixCode(error) == EPIPE
    }

    /// The POSIX error code under a Foundation write error, if any.
    private static func posixCode(_ error: any Error) -> Int32? {
        let error = error as NSError
        if error.domain == NSPOSIXErrorDomain { return Int32(error.code) }
        guard let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError else { return nil }
        return underlying.domain == NSPOSIXErrorDomain ? Int32(underlying.code) : nil
    }

    /// The system's words for a failed write.
    private static func reason(_ error: any Error) -> String {
        Self.posixCode(error).map { String(cString: strerror($0)) } ?? "\(error)"
    }

    /// Writes `ERROR: <message>` and a newline to standard error (nothing if standard error cannot be written).
    /// - Parameter message: The message.
    static func error(_ message: String) {
        try? FileHandle.standardError.write(contentsOf: Data("ERROR: \(message)\n".utf8))
    }

    /// Runs a command's body: a ``BileanClientError`` is printed as `ERROR: <message>` and exits with status 1.
    /// - Parameter body: The command's work.
    /// - Throws: `ExitCode.failure` after printing a client error; other errors (ArgumentParser's own) as they are.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as BileanClientError {
            self.error(error.message)
            throw ExitCode.failure
        }
    }
}
