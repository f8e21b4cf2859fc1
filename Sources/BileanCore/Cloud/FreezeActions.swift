/// What a freeze does to each type of resource in the cloud: `[freeze] action` for every type that supports it,
/// overridden per type by `[freeze] actions = os.nova.server:stop, os.cinder.volume:none, …`.
package struct FreezeActions: Sendable, Hashable {
    /// `[freeze] action`: applied to each type that supports it (`stop` only to servers); `nil`: nothing.
    package var defaultKind: CloudAction.Kind?
    /// `[freeze] actions`: per type; a `nil` value is `none` (the type is left alone).
    package var byType: [String: CloudAction.Kind?]

    /// Creates the settings.
    package init(defaultKind: CloudAction.Kind? = nil, byType: [String: CloudAction.Kind?] = [:]) {
        self.defaultKind = defaultKind
        self.byType = byType
    }

    /// What each resource type supports at a freeze (`start` is only the thaw's).
    package static let supported: [String: [CloudAction.Kind]] = [
        "os.nova.server": [.stop, .delete],
        "os.cinder.volume": [.delete],
        "os.cinder.snapshot": [.delete],
        "os.glance.image": [.delete],
        "os.neutron.router": [.delete],
        "os.neutron.floatingip": [.release],
    ]

    /// Whether a type supports an action at a freeze.
    package static func supports(_ kind: CloudAction.Kind, on resourceType: String) -> Bool {
        Self.supported[resourceType]?.contains(kind) ?? false
    }

    /// The action a freeze queues for a resource of `resourceType`, or `nil` for none. `[freeze] action = delete`
    /// releases floating IPs (their deletion is their release).
    package func kind(for resourceType: String) -> CloudAction.Kind? {
        if let chosen = self.byType[resourceType] { return chosen }
        guard let kind = self.defaultKind else { return nil }
        if Self.supports(kind, on: resourceType) { return kind }
        if kind == .delete && Self.supports(.release, on: resourceType) { return .release }
        return nil
    }

    /// Whether any type has an action (the cloud is called at all).
    package var isEmpty: Bool {
        self.defaultKind == nil && self.byType.values.allSatisfy { $0 == nil }
    }
}
