/// A named set of rules, at most one per resource type.
package struct Policy: Sendable, Hashable {
    /// One rule of a policy.
    package struct RuleRef: Sendable, Hashable {
        /// The rule id.
        package var id: String
        /// The rule type, e.g. `os.nova.server-1.0`.
        package var type: String
        /// The resource type the rule prices.
        package var resourceType: String

        /// Creates a reference.
        package init(id: String, type: String, resourceType: String) {
            self.id = id
            self.type = type
            self.resourceType = resourceType
        }
    }

    /// The policy id (a UUID).
    package var id: String
    /// A name for people.
    package var name: String
    /// The rules, at most one per resource type.
    package var rules: [RuleRef]
    /// Whether users without a policy are billed by this one. At most one policy is the default.
    package var isDefault: Bool
    /// Free-form metadata.
    package var metadata: JSONValue
    /// When the policy was created.
    package var createdAt: BillingTime
    /// When the policy last changed.
    package var updatedAt: BillingTime?
    /// When the policy was deleted.
    package var deletedAt: BillingTime?

    /// Creates a policy.
    package init(
        id: String,
        name: String,
        rules: [RuleRef] = [],
        isDefault: Bool = false,
        metadata: JSONValue = .object([:]),
        createdAt: BillingTime,
        updatedAt: BillingTime? = nil,
        deletedAt: BillingTime? = nil
    ) {
        self.id = id
        self.name = name
        self.rules = rules
        self.isDefault = isDefault
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }

    /// The rule of the policy for a resource type, if any.
    /// - Parameter resourceType: E.g. `os.nova.server`.
    /// - Returns: The rule reference.
    package func rule(for resourceType: String) -> RuleRef? {
        self.rules.first { $0.resourceType == resourceType }
    }
}
