import ArgumentParser
import BileanClient

/// Deletes several objects, one request each, reporting every failure.
enum DeleteEach {
    /// Deletes each id in turn; prints `ERROR: cannot delete <kind> <id>: <message>` for each failure.
    /// - Parameters:
    ///   - kind: The object kind for messages (`rule`).
    ///   - collection: The collection's path segment (`rules`).
    ///   - ids: The ids.
    ///   - client: The client.
    /// - Throws: `ExitCode.failure` after the last id when any deletion failed.
    static func run(kind: String, collection: String, ids: [String], client: BileanHTTPClient) async throws {
        var failed = false
        for id in ids {
            do {
                try await client.delete([collection, id])
            } catch {
                Console.error("cannot delete \(kind) \(id): \(error.message)")
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }
}
