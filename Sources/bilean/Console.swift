import ArgumentParser
import BileanClient
import Foundation

/// Standard output and error, and the CLI's error convention.
enum Console {
    /// Writes text to standard output as is.
    /// - Parameter text: The text (its own newlines included).
    static func write(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes `ERROR: <message>` and a newline to standard error.
    /// - Parameter message: The message.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("ERROR: \(message)\n".utf8))
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
