/// One difference between what the cloud holds and what Bilean bills, and what a reconciliation run did about it.
package struct ReconciliationFinding: Sendable, Hashable {
    /// What differs.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// In the cloud, not billed (or billed from later than the cloud created it).
        case missing
        /// Billed, gone from the cloud (or listed as deleted).
        case vanished
        /// Billed with other properties than the cloud shows (flavor, size).
        case propertyDrift = "property_drift"
    }

    /// What the run did.
    package enum Action: String, Sendable, Hashable, CaseIterable {
        /// Reported only (`[reconciliation] repair = false`).
        case reported
        /// Repaired: billed from (or closed at) ``ReconciliationFinding/effectiveAt``.
        case repaired
        /// Left alone: too recent (its notification may be in flight), or the billing data was not current.
        case deferred
    }

    /// The resource.
    package var resourceID: String
    /// Its type.
    package var resourceType: String
    /// Its project.
    package var userID: String
    /// What differs.
    package var kind: Kind
    /// What was done.
    package var action: Action
    /// The instant a repair bills from or closes at (creation, deletion, `updated_at`); `nil` if none applies.
    package var effectiveAt: BillingTime?
    /// Whether ``effectiveAt`` is an estimate (a vanished resource without a deletion time: the last run that saw
    /// it, else its latest event).
    package var estimated: Bool
    /// Why: what the cloud listed and what Bilean had, and for a deferral the reason.
    package var evidence: JSONValue

    /// Creates a finding.
    package init(
        resourceID: String,
        resourceType: String,
        userID: String,
        kind: Kind,
        action: Action = .reported,
        effectiveAt: BillingTime?,
        estimated: Bool = false,
        evidence: JSONValue
    ) {
        self.resourceID = resourceID
        self.resourceType = resourceType
        self.userID = userID
        self.kind = kind
        self.action = action
        self.effectiveAt = effectiveAt
        self.estimated = estimated
        self.evidence = evidence
    }
}
