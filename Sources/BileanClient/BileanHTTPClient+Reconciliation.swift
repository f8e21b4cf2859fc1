package import BileanCore

extension BileanHTTPClient {
    /// `GET /v1/reconciliation` (admin): the latest inventory reconciliation runs, newest first.
    /// - Parameter limit: How many runs (1 to 50); `nil`: the server's default (5).
    /// - Returns: The runs: `id`, `started_at`, `finished_at`, `repair`, `complete`, `listed` and `failed` (by
    ///   resource type), `counts` (by kind and by action) and `findings` (`resource_id`, `resource_type`,
    ///   `user_id`, `kind`, `action`, `effective_at`, `estimated`, `evidence`).
    /// - Throws: ``BileanClientError``, also when the answer has no `reconciliation` list.
    package func listReconciliations(limit: Int? = nil) async throws(BileanClientError) -> [JSONValue] {
        var query = QueryParameters()
        query.append("limit", limit.map { String($0) })
        return try self.rows(try await self.get(["reconciliation"], query: query), key: "reconciliation")
    }
}
