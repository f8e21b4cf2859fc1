package import BileanCore

/// How one matching notification becomes one ``UserEvent``: an entry of a definition's `users` (Keystone's
/// `identity.project.created` and `identity.project.deleted`).
package struct UserDefinition: Sendable, Hashable {
    /// The action; `nil` takes it from the event type (`*create*` → create, `*delete*` → delete).
    package var action: UserEvent.Action?
    /// The project's id: the required trait `user_id`.
    package var userID: TraitDefinition
    /// The project's name: the optional trait `name`.
    package var name: TraitDefinition?
    /// Where the cloud time is (CADF's `eventTime`).
    package var times: TimeFields

    /// Creates a user definition.
    /// - Parameters:
    ///   - action: The action, or `nil` to take it from the event type.
    ///   - userID: The project id trait.
    ///   - name: The project name trait, if any.
    ///   - times: The time fields.
    package init(
        action: UserEvent.Action? = nil,
        userID: TraitDefinition,
        name: TraitDefinition? = nil,
        times: TimeFields = TimeFields()
    ) {
        self.action = action
        self.userID = userID
        self.name = name
        self.times = times
    }
}
