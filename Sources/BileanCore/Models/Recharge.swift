/// Money added to a user's balance.
package struct Recharge: Sendable, Hashable {
    /// The kind of recharge.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Paid by the customer.
        case recharge = "Recharge"
        /// Granted by the operator.
        case systemBonus = "System bonus"
    }

    /// The largest single recharge (as in the original Bilean).
    package static let maximumValue = Money(units: 100_000_000 * Money.unitsPerOne)

    /// The recharge id (a UUID).
    package var id: String
    /// The user credited.
    package var userID: String
    /// The kind.
    package var kind: Kind
    /// The amount, > 0.
    package var value: Money
    /// When it was made.
    package var timestamp: BillingTime
    /// Free-form metadata.
    package var metadata: JSONValue

    /// Creates a recharge.
    package init(id: String, userID: String, kind: Kind, value: Money, timestamp: BillingTime, metadata: JSONValue) {
        self.id = id
        self.userID = userID
        self.kind = kind
        self.value = value
        self.timestamp = timestamp
        self.metadata = metadata
    }
}
