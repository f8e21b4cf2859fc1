/// The result of a shadow re-rating: what the draft would change, per user and resource type. Nothing is billed;
/// the preview is kept (by id) so that it can be applied.
package struct ReratingPreview: Sendable, Hashable {
    /// The preview id (a UUID): what an apply names.
    package var id: String
    /// What was previewed.
    package var request: ReratingRequest
    /// When.
    package var createdAt: BillingTime
    /// One line per user and resource type the window touches, by user then type.
    package var lines: [ReratingLine]

    /// Creates a preview.
    package init(id: String, request: ReratingRequest, createdAt: BillingTime, lines: [ReratingLine]) {
        self.id = id
        self.request = request
        self.createdAt = createdAt
        self.lines = lines
    }
}
