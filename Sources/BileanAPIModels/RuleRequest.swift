package import BileanCore

/// The body of `POST /v1/rules`: `{"rule": {"name", "spec", "metadata"?}}`.
package struct RuleCreateRequest: Sendable, Hashable {
    /// The rule's name.
    package var name: String
    /// Its spec, validated later by the resource type's plugin.
    package var spec: JSONValue
    /// Its metadata (an object).
    package var metadata: JSONValue

    /// Parses the body.
    /// - Throws: ``BileanError`` naming the bad field.
    package init(body: JSONValue) throws(BileanError) {
        let rule = try BodyObject(body, path: "").wrapped("rule")
        try rule.allowOnly(["name", "spec", "metadata"])
        self.name = try rule.string("name")
        guard let spec = rule.members["spec"], spec != .null else {
            throw BileanError.invalid("rule.spec", "'rule.spec' is required")
        }
        self.spec = spec
        self.metadata = try rule.optionalObjectValue("metadata") ?? .object([:])
    }
}

/// The body of `PUT /v1/rules/{id}`: `{"rule": {"name"?, "spec"?, "metadata"?}}`, at least one of them.
package struct RuleUpdateRequest: Sendable, Hashable {
    /// The changes.
    package var update: RuleUpdate

    /// Parses the body.
    /// - Throws: ``BileanError`` naming the bad field, or when nothing would change.
    package init(body: JSONValue) throws(BileanError) {
        let rule = try BodyObject(body, path: "").wrapped("rule")
        try rule.allowOnly(["name", "spec", "metadata"])
        let spec = rule.members["spec"].flatMap { $0 == .null ? nil : $0 }
        self.update = RuleUpdate(
            name: try rule.optionalString("name"),
            spec: spec,
            metadata: try rule.optionalObjectValue("metadata")
        )
        guard self.update != RuleUpdate() else {
            throw BileanError.invalid("rule", "'rule' must change at least one of name, spec, metadata")
        }
    }
}

extension BodyObject {
    /// The single member `key` of the whole body, which must be an object (`{"rule": {...}}`).
    /// - Throws: ``BileanError`` when it is missing, not an object, or has company.
    package func wrapped(_ key: String) throws(BileanError) -> BodyObject {
        try self.allowOnly([key])
        return try self.object(key)
    }
}
