package import BileanCore
import BileanStore
import Logging

extension Engine {
    package func createRule(name: String, spec: JSONValue, metadata: JSONValue, id: String?) async throws -> Rule {
        if let id { try Self.checkID(id, field: "id") }
        try Self.checkName(name)
        try Self.checkMetadata(metadata)
        let (parsed, _) = try self.plugins.validate(spec: spec)
        let now = self.now()
        let rule = Rule(
            id: id ?? self.newID(),
            name: name,
            type: parsed.ruleType,
            resourceType: parsed.resourceType,
            spec: Self.normalized(spec, parsed),
            metadata: metadata,
            createdAt: now
        )
        return try await self.transaction("create rule") { transaction in
            if id != nil, let done = try await transaction.rule(rule.id, includeDeleted: true) {
                // The same call again (a request redelivered after an engine died): created once.
                guard done.name == rule.name, done.deletedAt == nil else {
                    throw BileanError.conflict("Rule \(rule.id) exists")
                }
                return done
            }
            try await transaction.insertRule(rule)
            try await transaction.insertEvent(self.ruleEvent(rule, action: "create", at: now))
            return rule
        }
    }

    package func rule(_ id: String) async throws -> Rule {
        try Self.checkID(id, field: "rule_id")
        return try await self.transaction("show rule", readOnly: true) { transaction in
            guard let rule = try await transaction.rule(id, includeDeleted: false) else {
                throw BileanError.notFound("Rule", id)
            }
            return rule
        }
    }

    package func listRules(_ query: ListQuery) async throws -> [Rule] {
        let query = try self.validated(query, .rules)
        return try await self.transaction("list rules", readOnly: true) { transaction in
            try await transaction.rules(query)
        }
    }

    package func updateRule(_ id: String, _ update: RuleUpdate) async throws -> Rule {
        try Self.checkID(id, field: "rule_id")
        if let name = update.name { try Self.checkName(name) }
        if let metadata = update.metadata { try Self.checkMetadata(metadata) }
        let parsed = try update.spec.map { spec throws(BileanError) in try self.plugins.validate(spec: spec).0 }
        let now = self.now()
        return try await self.transaction("update rule") { transaction in
            try await transaction.lockConfiguration()
            guard var rule = try await transaction.rule(id, includeDeleted: false) else {
                throw BileanError.notFound("Rule", id)
            }
            if let name = update.name { rule.name = name }
            if let metadata = update.metadata { rule.metadata = metadata }
            if let parsed, let spec = update.spec {
                guard parsed.resourceType == rule.resourceType else {
                    // An os.generic rule names its resource type in its properties.
                    let field = parsed.pluginType == parsed.resourceType ? "spec.type" : "spec.properties.resource_type"
                    throw BileanError.invalid(
                        field,
                        "A rule prices one resource type: \(rule.resourceType) cannot become \(parsed.resourceType)"
                    )
                }
                rule.spec = Self.normalized(spec, parsed)
                rule.type = parsed.ruleType
            }
            rule.updatedAt = now
            try await transaction.updateRule(rule)
            try await transaction.insertEvent(self.ruleEvent(rule, action: "update", at: now))
            return rule
        }
    }

    package func deleteRule(_ id: String) async throws {
        try Self.checkID(id, field: "rule_id")
        let now = self.now()
        try await self.transaction("delete rule") { transaction in
            try await transaction.lockConfiguration()
            guard var rule = try await transaction.rule(id, includeDeleted: false) else {
                throw BileanError.notFound("Rule", id)
            }
            let users = try await transaction.policyIDs(usingRule: id)
            guard users.isEmpty else {
                throw BileanError.conflict(
                    "Rule \(id) is used by policies \(users.joined(separator: ", ")); remove it from them first"
                )
            }
            rule.deletedAt = now
            rule.updatedAt = now
            try await transaction.updateRule(rule)
            try await transaction.insertEvent(self.ruleEvent(rule, action: "delete", at: now))
        }
    }

    /// The spec as stored: its version as text (`1.0`, never `1`).
    static func normalized(_ spec: JSONValue, _ parsed: RuleSpec) -> JSONValue {
        guard case .object(var object) = spec else { return spec }
        object["version"] = .string(parsed.version)
        return .object(object)
    }

    func ruleEvent(_ rule: Rule, action: String, at now: BillingTime) -> Event {
        Event(
            id: self.newID(),
            timestamp: now,
            objectID: rule.id,
            objectType: "rule",
            objectName: rule.name,
            action: action,
            metadata: .object(["type": .string(rule.type)])
        )
    }
}
