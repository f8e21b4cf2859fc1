package import BileanCore

extension ReratingPreview {
    /// The v1 body of a preview: its `id` (what an apply names), what was previewed (``ReratingRequest/apiMembers``),
    /// `created_at`, and the totals and lines of what the draft would change.
    package var apiBody: JSONValue {
        var members = self.request.apiMembers.merging(self.lines.apiMembers) { first, _ in first }
        members["id"] = .string(self.id)
        members["created_at"] = .time(self.createdAt)
        return .object(members)
    }
}
