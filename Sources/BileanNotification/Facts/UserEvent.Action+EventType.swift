package import BileanCore

extension UserEvent.Action {
    /// The user action an event type names, for a `users` entry without `action`: `*create*` (and only that) is a
    /// creation, `*delete*` a deletion; an update (`identity.project.updated`) is no user action.
    /// - Parameter eventType: The event type.
    /// - Returns: The action, or `nil`.
    package static func inferred(from eventType: String) -> UserEvent.Action? {
        switch ResourceEvent.Action.inferred(from: eventType) {
        case .create: return .create
        case .delete: return .delete
        case .update, .none: return nil
        }
    }
}
