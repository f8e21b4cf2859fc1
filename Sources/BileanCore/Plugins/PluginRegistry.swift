/// The chargeable resource types Bilean knows, by resource type.
package struct PluginRegistry: Sendable {
    private let plugins: [String: any ResourcePlugin]

    /// Creates a registry of the given plugins.
    /// - Parameter plugins: The plugins; a later plugin for the same type replaces an earlier one.
    package init(_ plugins: [any ResourcePlugin]) {
        var byType: [String: any ResourcePlugin] = [:]
        for plugin in plugins { byType[plugin.resourceType] = plugin }
        self.plugins = byType
    }

    /// Every plugin shipped with Bilean.
    package static let standard = PluginRegistry([
        NovaServerPlugin(),
        CinderVolumePlugin(),
        CinderSnapshotPlugin(),
        GlanceImagePlugin(),
        NeutronFloatingIPPlugin(),
        NeutronRouterPlugin(),
        GenericRulePlugin(),
    ])

    /// The plugin for a resource type.
    /// - Parameter resourceType: E.g. `os.nova.server`.
    /// - Returns: The plugin, or `nil` when the type is not chargeable.
    package func plugin(for resourceType: String) -> (any ResourcePlugin)? {
        self.plugins[resourceType]
    }

    /// The resource types known, sorted.
    package var resourceTypes: [String] { self.plugins.keys.sorted() }

    /// Validates a rule spec `{type, version, properties}` and returns it with its pricer.
    ///
    /// The returned spec's ``RuleSpec/resourceType`` is the type the rule prices: an `os.generic` rule's
    /// `properties.resource_type`, which may not be a type that has its own plugin.
    /// - Parameter spec: The spec as sent by a client.
    /// - Returns: The parsed spec and the pricer it describes.
    /// - Throws: ``BileanError`` (invalid input) naming the invalid fields.
    package func validate(spec: JSONValue) throws(BileanError) -> (RuleSpec, any ResourcePricer) {
        var parsed = try RuleSpec(spec)
        guard let plugin = self.plugin(for: parsed.pluginType) else {
            let known = self.resourceTypes.joined(separator: ", ")
            throw BileanError.invalid("spec.type", "Unknown resource type '\(parsed.pluginType)' (known: \(known))")
        }
        guard plugin.specVersions.contains(parsed.version) else {
            let known = plugin.specVersions.sorted().joined(separator: ", ")
            throw BileanError.invalid(
                "spec.version",
                "Version '\(parsed.version)' of \(parsed.pluginType) is not supported (supported: \(known))"
            )
        }
        let pricer = try plugin.makePricer(properties: parsed.properties)
        let priced = plugin.pricedResourceType(properties: parsed.properties)
        if priced != plugin.resourceType {
            guard self.plugin(for: priced) == nil else {
                throw BileanError.invalid(
                    "spec.properties.resource_type",
                    "Invalid rule spec: spec.properties.resource_type \(priced) has its own plugin: write a rule of "
                        + "type \(priced) instead of \(plugin.resourceType)"
                )
            }
            parsed.resourceType = priced
        }
        return (parsed, pricer)
    }
}
