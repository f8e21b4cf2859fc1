/// A user's balance and status at a future instant if nothing changes (`GET /v1/users/{id}/projection`).
package struct UserProjection: Sendable, Hashable {
    /// The user.
    package var userID: String
    /// The instant projected to.
    package var at: BillingTime
    /// The exact balance shown at that instant (billing stops at the freeze, so it never goes below the balance
    /// at the freeze instant).
    package var balance: Money
    /// The status at that instant.
    package var status: UserStatus

    /// Creates a projection.
    package init(userID: String, at: BillingTime, balance: Money, status: UserStatus) {
        self.userID = userID
        self.at = at
        self.balance = balance
        self.status = status
    }
}
