/// What one notification tells billing: a change to a resource, or to a user (a Keystone project).
package enum BillingFact: Sendable, Hashable {
    /// A resource was created, updated or deleted: for the engine's `apply`.
    case resource(ResourceEvent)
    /// A project was created or deleted.
    case user(UserEvent)

    /// The id of the message the fact came from.
    package var messageID: String {
        switch self {
        case .resource(let event): return event.messageID
        case .user(let event): return event.messageID
        }
    }
}
