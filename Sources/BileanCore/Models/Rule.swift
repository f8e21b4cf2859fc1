/// A price list for one resource type.
package struct Rule: Sendable, Hashable {
    /// The rule id (a UUID).
    package var id: String
    /// A name for people.
    package var name: String
    /// `<resource type>-<version>`, e.g. `os.nova.server-1.0`.
    package var type: String
    /// The resource type the rule prices, e.g. `os.nova.server`.
    package var resourceType: String
    /// The spec `{type, version, properties}` as given.
    package var spec: JSONValue
    /// Free-form metadata.
    package var metadata: JSONValue
    /// When the rule was created.
    package var createdAt: BillingTime
    /// When the rule last changed.
    package var updatedAt: BillingTime?
    /// When the rule was deleted.
    package var deletedAt: BillingTime?

    /// Creates a rule.
    package init(
        id: String,
        name: String,
        type: String,
        resourceType: String,
        spec: JSONValue,
        metadata: JSONValue = .object([:]),
        createdAt: BillingTime,
        updatedAt: BillingTime? = nil,
        deletedAt: BillingTime? = nil
    ) {
        self.id = id
        self.name = name
        self.type = type
        self.resourceType = resourceType
        self.spec = spec
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.deletedAt = deletedAt
    }
}
