/// An applied re-rating: the signed `rerate` consumptions recorded for a preview, once.
package struct Rerating: Sendable, Hashable {
    /// The preview's id (also the re-rating's).
    package var id: String
    /// What was applied.
    package var request: ReratingRequest
    /// Why, as the operator said.
    package var reason: String
    /// When the preview was made.
    package var previewedAt: BillingTime
    /// When it was applied.
    package var appliedAt: BillingTime
    /// What the apply changed, per user and resource type (computed at the apply, under the users' locks).
    package var lines: [ReratingLine]
    /// How many consumptions it recorded.
    package var consumptions: Int

    /// The longest reason.
    package static let maximumReasonLength = 255

    /// Creates an applied re-rating.
    package init(
        id: String,
        request: ReratingRequest,
        reason: String,
        previewedAt: BillingTime,
        appliedAt: BillingTime,
        lines: [ReratingLine],
        consumptions: Int
    ) {
        self.id = id
        self.request = request
        self.reason = reason
        self.previewedAt = previewedAt
        self.appliedAt = appliedAt
        self.lines = lines
        self.consumptions = consumptions
    }
}
