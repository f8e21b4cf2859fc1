package import BileanCore

extension Rerating {
    /// The v1 body of an applied re-rating: its `id` (the preview's), `reason`, `previewed_at`, `applied_at`, what
    /// was re-rated (``ReratingRequest/apiMembers``), the totals and lines of what it changed, and how many
    /// `consumptions` it recorded.
    package var apiBody: JSONValue {
        var members = self.request.apiMembers.merging(self.lines.apiMembers) { first, _ in first }
        members["id"] = .string(self.id)
        members["reason"] = .string(self.reason)
        members["previewed_at"] = .time(self.previewedAt)
        members["applied_at"] = .time(self.appliedAt)
        members["consumptions"] = .number(String(self.consumptions))
        return .object(members)
    }
}
