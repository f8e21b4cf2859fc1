/// A billable cloud object (a server, a volume, …) and its billing state.
package struct Resource: Sendable, Hashable {
    /// The cloud's own id (e.g. the Nova instance uuid).
    package var id: String
    /// The owning user (project).
    package var userID: String
    /// The resource type, e.g. `os.nova.server`.
    package var resourceType: String
    /// The rule that priced it, or `nil` when no rule applied.
    package var ruleID: String?
    /// The current properties (flavor, size, …).
    package var properties: [String: JSONValue]
    /// The billing state: rate, accrual, billing point, start and deletion.
    package var billing: ResourceBilling
    /// When Bilean first recorded the resource.
    package var createdAt: BillingTime
    /// When Bilean last changed it.
    package var updatedAt: BillingTime?

    /// Creates a resource.
    package init(
        id: String,
        userID: String,
        resourceType: String,
        ruleID: String? = nil,
        properties: [String: JSONValue] = [:],
        billing: ResourceBilling = ResourceBilling(),
        createdAt: BillingTime,
        updatedAt: BillingTime? = nil
    ) {
        self.id = id
        self.userID = userID
        self.resourceType = resourceType
        self.ruleID = ruleID
        self.properties = properties
        self.billing = billing
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The current rate (zero when not started or deleted).
    package var rate: Rate { self.billing.rate }
    /// When the cloud deleted it, if it did (soft delete).
    package var deletedAt: BillingTime? { self.billing.deletedAt }
}
