package import BileanCore

/// How one matching notification becomes one ``BileanCore/ResourceEvent``: an entry of a definition's `resources`.
package struct ResourceDefinition: Sendable, Hashable {
    /// The resource type, e.g. `os.nova.server`.
    package var resourceType: String
    /// The action; `nil` takes it from the event type (``BileanCore/ResourceEvent/Action/inferred(from:)``).
    package var action: ResourceEvent.Action?
    /// The resource's id: the required trait `resource_ref`.
    package var resourceRef: TraitDefinition
    /// The owning project: the required trait `user_id` (by default `payload.tenant_id`, then
    /// `payload.project_id`).
    package var userID: TraitDefinition
    /// The resource's properties (`flavor`, `size`, …), by property name; an absent one is left out.
    package var properties: [String: TraitDefinition]
    /// Where the cloud time is.
    package var times: TimeFields

    /// The default paths of `user_id`.
    package static let defaultUserIDPaths = ["payload.tenant_id", "payload.project_id"]

    /// Creates a resource definition.
    /// - Parameters:
    ///   - resourceType: The resource type.
    ///   - action: The action, or `nil` to take it from the event type.
    ///   - resourceRef: The resource id trait.
    ///   - userID: The owner trait.
    ///   - properties: The property traits.
    ///   - times: The time fields.
    package init(
        resourceType: String,
        action: ResourceEvent.Action? = nil,
        resourceRef: TraitDefinition,
        userID: TraitDefinition,
        properties: [String: TraitDefinition] = [:],
        times: TimeFields = TimeFields()
    ) {
        self.resourceType = resourceType
        self.action = action
        self.resourceRef = resourceRef
        self.userID = userID
        self.properties = properties
        self.times = times
    }
}
