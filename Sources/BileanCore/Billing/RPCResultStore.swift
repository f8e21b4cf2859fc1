/// The result of a state-changing RPC call, kept by the call's idempotency key, so that the same call delivered
/// again (its engine was killed before it acknowledged the request, or the broker refused it and it was published
/// again) answers what it answered the first time instead of acting twice.
package struct StoredRPCResult: Sendable, Hashable {
    /// The caller's idempotency key.
    package var key: String
    /// The method it called (a key used again for another method is refused).
    package var method: String
    /// What the call returned.
    package var result: JSONValue
    /// When it was stored.
    package var storedAt: BillingTime

    /// Creates a stored result.
    package init(key: String, method: String, result: JSONValue, storedAt: BillingTime) {
        self.key = key
        self.method = method
        self.result = result
        self.storedAt = storedAt
    }
}

/// Where the engine keeps ``StoredRPCResult``s (`[DEFAULT] rpc_idempotency_retention` says for how long).
package protocol RPCResultStore: Sendable {
    /// The result stored for `key`, if any.
    func storedRPCResult(key: String) async throws -> StoredRPCResult?
    /// Stores a result; a key stored already keeps its first result.
    func storeRPCResult(_ result: StoredRPCResult) async throws
    /// Forgets the results stored before `time`.
    /// - Returns: How many.
    func purgeRPCResults(before time: BillingTime) async throws -> Int
    /// Now, as the engine tells it.
    func currentTime() -> BillingTime
}
