import BileanCore

extension SQLStoreTransaction {
    func rpcResult(key: String) async throws -> StoredRPCResult? {
        let rows = try await self.query(
            "SELECT idempotency_key, method, result, stored_at FROM rpc_results WHERE idempotency_key = \(key)"
        )
        guard let row = rows.first else { return nil }
        let text = try row.text("result")
        let result: JSONValue
        do {
            result = try JSONValue(jsonText: text)
        } catch {
            throw StoreError(.corruptRow, "rpc_results: the result of \(key) is not JSON", underlying: error)
        }
        return StoredRPCResult(
            key: try row.text("idempotency_key"),
            method: try row.text("method"),
            result: result,
            storedAt: try row.time("stored_at")
        )
    }

    func insertRPCResult(_ result: StoredRPCResult) async throws {
        let text: String
        do {
            text = try result.result.jsonText()
        } catch {
            throw StoreError(.query, "an RPC result cannot be written as JSON", underlying: error)
        }
        try await self.query(
            """
            INSERT INTO rpc_results (idempotency_key, method, result, stored_at)
            VALUES (\(result.key), \(result.method), \(text), \(.time(result.storedAt)))
            ON CONFLICT (idempotency_key) DO NOTHING
            """
        )
    }

    func deleteRPCResults(before time: BillingTime) async throws -> Int {
        let rows = try await self.query(
            "DELETE FROM rpc_results WHERE stored_at < \(.time(time)) RETURNING idempotency_key"
        )
        return rows.count
    }
}
