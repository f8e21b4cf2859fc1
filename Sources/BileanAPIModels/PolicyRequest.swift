package import BileanCore

/// The body of `POST /v1/policies`: `{"policy": {"name", "rules"?: [ids] | null, "metadata"?}}`.
package struct PolicyCreateRequest: Sendable, Hashable {
    /// The policy's name.
    package var name: String
    /// Its rules (`null` or absent: none, as the original client sends without `--rule`).
    package var ruleIDs: [String]
    /// Its metadata.
    package var metadata: JSONValue

    /// Parses the body.
    /// - Throws: ``BileanError`` naming the bad field.
    package init(body: JSONValue) throws(BileanError) {
        let policy = try BodyObject(body, path: "").wrapped("policy")
        try policy.allowOnly(["name", "rules", "metadata"])
        self.name = try policy.string("name")
        self.ruleIDs = try policy.optionalIDs("rules") ?? []
        self.metadata = try policy.optionalObjectValue("metadata") ?? .object([:])
    }
}

/// The body of `PUT /v1/policies/{id}`: `{"policy": {"name"?, "metadata"?, "is_default"?}}`.
package struct PolicyUpdateRequest: Sendable, Hashable {
    /// The changes.
    package var update: PolicyUpdate

    /// Parses the body.
    /// - Throws: ``BileanError`` naming the bad field, or when nothing would change.
    package init(body: JSONValue) throws(BileanError) {
        let policy = try BodyObject(body, path: "").wrapped("policy")
        try policy.allowOnly(["name", "metadata", "is_default"])
        self.update = PolicyUpdate(
            name: try policy.optionalString("name"),
            metadata: try policy.optionalObjectValue("metadata"),
            isDefault: try policy.optionalBool("is_default")
        )
        guard self.update != PolicyUpdate() else {
            throw BileanError.invalid("policy", "'policy' must change at least one of name, metadata, is_default")
        }
    }
}

/// The body of `POST /v1/policies/{id}/action`: `{"add_rules": {"rules": [ids]}}` or `{"remove_rules": …}`.
package enum PolicyAction: Sendable, Hashable {
    /// Add rules.
    case addRules([String])
    /// Remove rules.
    case removeRules([String])

    /// Parses an action body.
    /// - Throws: ``BileanError`` for no action, two, an unknown one, or an empty or missing rule list.
    package init(body: JSONValue) throws(BileanError) {
        let (name, value) = try BodyObject(body, path: "").onlyAction(among: ["add_rules", "remove_rules"])
        let action = try BodyObject(value, path: name)
        try action.allowOnly(["rules"])
        guard let ids = try action.optionalIDs("rules"), !ids.isEmpty else {
            throw BileanError.invalid("\(name).rules", "'\(name).rules' must list at least one rule id")
        }
        self = name == "add_rules" ? .addRules(ids) : .removeRules(ids)
    }
}
