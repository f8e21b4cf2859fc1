import Foundation

/// Runs a blocking call (a script that starts a server, `waitpid`) on a thread of its own: the tasks' cooperative
/// pool has one thread per core, and a call that blocks one for seconds starves every other test.
/// - Parameter body: The blocking call.
/// - Returns: What it returned.
/// - Throws: What it threw.
package func offThePool<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}
