/// A fact about a cloud resource, from a notification or a client: the input of billing.
package struct ResourceEvent: Sendable, Hashable {
    /// What happened to the resource.
    package enum Action: String, Sendable, Hashable, CaseIterable {
        /// The resource was created: billing starts.
        case create
        /// The resource changed (resize, retype): it is re-priced.
        case update
        /// The resource was deleted: billing stops.
        case delete

        /// The order of actions that share one instant: create, then update, then delete.
        package var orderAtSameInstant: Int {
            switch self {
            case .create: return 0
            case .update: return 1
            case .delete: return 2
            }
        }
    }

    /// The id of the message that carried the event; a message id seen before changes nothing.
    package var messageID: String
    /// What happened.
    package var action: Action
    /// The resource type, e.g. `os.nova.server`.
    package var resourceType: String
    /// The cloud's id of the resource.
    package var resourceID: String
    /// The owning project.
    package var userID: String
    /// The resource's properties after the event (flavor, size, …).
    package var properties: [String: JSONValue]
    /// When the cloud says it happened.
    package var time: BillingTime
    /// Whether the time is an estimate (a reconciliation's closing of a vanished resource): the consumptions it
    /// produces are flagged.
    package var isEstimated: Bool = false

    /// Creates an event.
    package init(
        messageID: String,
        action: Action,
        resourceType: String,
        resourceID: String,
        userID: String,
        properties: [String: JSONValue],
        time: BillingTime
    ) {
        self.messageID = messageID
        self.action = action
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.userID = userID
        self.properties = properties
        self.time = time
    }
}
