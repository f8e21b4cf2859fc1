package import BileanCore

extension BileanHTTPClient {
    /// `POST /v1/rerating/preview` (admin): prices draft rules over a past window beside what was billed, without
    /// billing anything. The server keeps the preview under a new id, which ``applyRerating(previewID:reason:)``
    /// names.
    /// - Parameter request: The window, the filters and the draft rules.
    /// - Returns: The `preview` object: `id`, the request's fields, `created_at`, the totals `current`, `draft` and
    ///   `difference` (exact decimal strings), and `lines`, one per user and resource type.
    /// - Throws: ``BileanClientError``, also when the answer has no `preview` object.
    package func previewRerating(_ request: ReratingPreviewRequest) async throws(BileanClientError) -> JSONValue {
        try self.member(try await self.post(["rerating", "preview"], body: request.jsonValue), key: "preview")
    }

    /// `POST /v1/rerating/apply` (admin): records a preview's differences as signed `rerate` consumptions carrying
    /// the reason. Idempotent by preview id: applying a preview again answers the first apply and changes nothing.
    /// - Parameters:
    ///   - previewID: The id of the preview.
    ///   - reason: Why, in the operator's words (kept with every consumption it records).
    /// - Returns: The `rerating` object: the preview's fields, `reason`, `previewed_at`, `applied_at`, the totals,
    ///   `consumptions` (how many it recorded) and `lines`.
    /// - Throws: ``BileanClientError``, also when the answer has no `rerating` object.
    package func applyRerating(previewID: String, reason: String) async throws(BileanClientError) -> JSONValue {
        let body = JSONValue.object([
            "apply": .object(["preview_id": .string(previewID), "reason": .string(reason)])
        ])
        return try self.member(try await self.post(["rerating", "apply"], body: body), key: "rerating")
    }
}
