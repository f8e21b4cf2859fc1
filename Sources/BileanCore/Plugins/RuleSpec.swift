/// A rule spec: `{type, version, properties}`.
///
/// `version` may be a string or a number: the original client sends `version: 1.0` from YAML as the JSON number
/// `1.0`, which must stay `1.0` (not `1`), so a whole number gets `.0` appended.
///
/// The spec's `type` names the plugin that reads `properties` (``pluginType``); that is also the resource type the
/// rule prices, except for `os.generic`, whose resource type is `properties.resource_type`:
/// ``PluginRegistry/validate(spec:)`` sets ``resourceType`` then.
package struct RuleSpec: Sendable, Hashable {
    /// The spec's `type`: the plugin that validates the properties, e.g. `os.nova.server` or `os.generic`.
    package var pluginType: String
    /// The resource type the rule prices, e.g. `os.nova.server`, or an `os.generic` rule's
    /// `properties.resource_type` once validated.
    package var resourceType: String
    /// The spec version, e.g. `1.0`.
    package var version: String
    /// The plugin-specific properties.
    package var properties: JSONValue

    /// The rule type, `<resource type>-<version>`, e.g. `os.nova.server-1.0` (`os.octavia.loadbalancer-1.0` for an
    /// `os.generic` rule pricing load balancers).
    package var ruleType: String { "\(self.resourceType)-\(self.version)" }

    /// Parses a spec object.
    /// - Parameter spec: The spec JSON.
    /// - Throws: ``BileanError`` naming the first invalid field.
    package init(_ spec: JSONValue) throws(BileanError) {
        guard let object = spec.objectValue else {
            throw BileanError.invalid("spec", "The rule spec must be an object with type, version and properties")
        }
        for key in object.keys.sorted() where !["type", "version", "properties"].contains(key) {
            throw BileanError.invalid("spec.\(key)", "Unknown key '\(key)' in the rule spec")
        }
        guard let type = object["type"]?.stringValue, !type.isEmpty, type.count <= 255 else {
            throw BileanError.invalid(
                "spec.type",
                "The rule spec needs a type (a resource type such as os.nova.server)"
            )
        }
        let version: String
        switch object["version"] {
        case .string(let text) where !text.isEmpty && text.count <= 32:
            version = text
        case .number(let text):
            version = text.contains(".") ? text : "\(text).0"
        case .none, .null, .bool, .array, .object, .string:
            throw BileanError.invalid("spec.version", "The rule spec needs a version such as 1.0")
        }
        guard let properties = object["properties"], properties.objectValue != nil else {
            throw BileanError.invalid("spec.properties", "The rule spec needs a properties object")
        }
        self.pluginType = type
        self.resourceType = type
        self.version = version
        self.properties = properties
    }
}
