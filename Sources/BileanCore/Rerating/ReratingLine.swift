/// The cost of one user's resources of one type within a re-rating's window: as billed, and under the draft.
package struct ReratingLine: Sendable, Hashable {
    /// The user.
    package var userID: String
    /// The resource type.
    package var resourceType: String
    /// How many of the user's resources of that type the window touches.
    package var resources: Int
    /// What was billed for the window (stored consumptions and open intervals), exactly.
    package var current: Money
    /// What the draft bills for the window: ``current`` plus the change of the rounded totals the draft makes.
    package var draft: Money

    /// `draft − current`: what an apply records as `rerate` consumptions.
    package var difference: Money { self.draft - self.current }

    /// Creates a line.
    package init(userID: String, resourceType: String, resources: Int, current: Money, draft: Money) {
        self.userID = userID
        self.resourceType = resourceType
        self.resources = resources
        self.current = current
        self.draft = draft
    }
}

extension Array where Element == ReratingLine {
    /// The sum of the lines' ``ReratingLine/current``.
    package var current: Money { self.reduce(Money.zero) { $0 + $1.current } }
    /// The sum of the lines' ``ReratingLine/draft``.
    package var draft: Money { self.reduce(Money.zero) { $0 + $1.draft } }
}
