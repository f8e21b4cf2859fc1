package import BileanCore
import BileanStore
import Logging

extension Engine {
    package func createPolicy(name: String, ruleIDs: [String], metadata: JSONValue, id: String?) async throws -> Policy
    {
        if let id { try Self.checkID(id, field: "id") }
        try Self.checkName(name)
        try Self.checkMetadata(metadata)
        let now = self.now()
        return try await self.transaction("create policy") { transaction in
            try await transaction.lockConfiguration()
            if let id, let done = try await transaction.policy(id, includeDeleted: true) {
                // The same call again (a request redelivered after an engine died): created once.
                guard done.name == name, done.deletedAt == nil else {
                    throw BileanError.conflict("Policy \(id) exists")
                }
                return done
            }
            let rules = try await self.ruleRefs(ruleIDs, adding: [], in: transaction)
            // The first policy becomes the default, so that a new deployment bills at once.
            let isDefault = try await transaction.defaultPolicy() == nil
            let policy = Policy(
                id: id ?? self.newID(),
                name: name,
                rules: rules,
                isDefault: isDefault,
                metadata: metadata,
                createdAt: now
            )
            try await transaction.insertPolicy(policy)
            try await transaction.insertEvent(self.policyEvent(policy, action: "create", at: now))
            return policy
        }
    }

    package func policy(_ id: String) async throws -> Policy {
        try Self.checkID(id, field: "policy_id")
        return try await self.transaction("show policy", readOnly: true) { transaction in
            guard let policy = try await transaction.policy(id, includeDeleted: false) else {
                throw BileanError.notFound("Policy", id)
            }
            return policy
        }
    }

    package func listPolicies(_ query: ListQuery) async throws -> [Policy] {
        let query = try self.validated(query, .policies)
        return try await self.transaction("list policies", readOnly: true) { transaction in
            try await transaction.policies(query)
        }
    }

    package func updatePolicy(_ id: String, _ update: PolicyUpdate) async throws -> Policy {
        try Self.checkID(id, field: "policy_id")
        if let name = update.name { try Self.checkName(name) }
        if let metadata = update.metadata { try Self.checkMetadata(metadata) }
        let now = self.now()
        return try await self.transaction("update policy") { transaction in
            try await transaction.lockConfiguration()
            guard var policy = try await transaction.policy(id, includeDeleted: false) else {
                throw BileanError.notFound("Policy", id)
            }
            if let name = update.name { policy.name = name }
            if let metadata = update.metadata { policy.metadata = metadata }
            switch update.isDefault {
            case true?:
                if let current = try await transaction.defaultPolicy(), current.id != id {
                    var previous = current
                    previous.isDefault = false
                    previous.updatedAt = now
                    try await transaction.updatePolicy(previous)
                    try await transaction.insertEvent(self.policyEvent(previous, action: "update", at: now))
                }
                policy.isDefault = true
            case false?:
                if policy.isDefault, try await transaction.countUsersWithoutPolicy() > 0 {
                    throw BileanError.conflict(
                        "Policy \(id) is the default of users without a policy; make another policy the default instead"
                    )
                }
                policy.isDefault = false
            case nil:
                break
            }
            policy.updatedAt = now
            try await transaction.updatePolicy(policy)
            try await transaction.insertEvent(self.policyEvent(policy, action: "update", at: now))
            return policy
        }
    }

    package func deletePolicy(_ id: String) async throws {
        try Self.checkID(id, field: "policy_id")
        let now = self.now()
        try await self.transaction("delete policy") { transaction in
            try await transaction.lockConfiguration()
            guard var policy = try await transaction.policy(id, includeDeleted: false) else {
                throw BileanError.notFound("Policy", id)
            }
            let attached = try await transaction.countUsers(policyID: id)
            guard attached == 0 else {
                throw BileanError.conflict("Policy \(id) is attached to \(attached) user(s)")
            }
            if policy.isDefault, try await transaction.countUsersWithoutPolicy() > 0 {
                throw BileanError.conflict("Policy \(id) is the default policy and users without a policy rely on it")
            }
            policy.deletedAt = now
            policy.updatedAt = now
            policy.isDefault = false
            try await transaction.updatePolicy(policy)
            try await transaction.insertEvent(self.policyEvent(policy, action: "delete", at: now))
        }
    }

    package func addRules(policyID: String, ruleIDs: [String]) async throws -> Policy {
        try Self.checkID(policyID, field: "policy_id")
        guard !ruleIDs.isEmpty else { throw BileanError.invalid("rules", "rules must list at least one rule id") }
        let now = self.now()
        return try await self.transaction("add rules") { transaction in
            try await transaction.lockConfiguration()
            guard var policy = try await transaction.policy(policyID, includeDeleted: false) else {
                throw BileanError.notFound("Policy", policyID)
            }
            let new = ruleIDs.filter { id in !policy.rules.contains { $0.id == id } }
            policy.rules += try await self.ruleRefs(new, adding: policy.rules, in: transaction)
            policy.updatedAt = now
            try await transaction.updatePolicy(policy)
            try await transaction.insertEvent(self.policyEvent(policy, action: "add_rules", at: now))
            return policy
        }
    }

    package func removeRules(policyID: String, ruleIDs: [String]) async throws -> Policy {
        try Self.checkID(policyID, field: "policy_id")
        guard !ruleIDs.isEmpty else { throw BileanError.invalid("rules", "rules must list at least one rule id") }
        let now = self.now()
        return try await self.transaction("remove rules") { transaction in
            try await transaction.lockConfiguration()
            guard var policy = try await transaction.policy(policyID, includeDeleted: false) else {
                throw BileanError.notFound("Policy", policyID)
            }
            for id in ruleIDs where !policy.rules.contains(where: { $0.id == id }) {
                throw BileanError.invalid("rules", "Rule \(id) is not in policy \(policyID)")
            }
            policy.rules.removeAll { ruleIDs.contains($0.id) }
            policy.updatedAt = now
            try await transaction.updatePolicy(policy)
            try await transaction.insertEvent(self.policyEvent(policy, action: "remove_rules", at: now))
            return policy
        }
    }

    /// Resolves rule ids into references, checking that each exists and that no resource type appears twice.
    func ruleRefs(
        _ ids: [String],
        adding existing: [Policy.RuleRef],
        in transaction: any StoreTransaction
    ) async throws -> [Policy.RuleRef] {
        guard ids.count <= 100 else { throw BileanError.invalid("rules", "a policy holds at most 100 rules") }
        var refs: [Policy.RuleRef] = []
        var types = Dictionary(uniqueKeysWithValues: existing.map { ($0.resourceType, $0.id) })
        for id in ids {
            try Self.checkID(id, field: "rules")
            guard let rule = try await transaction.rule(id, includeDeleted: false) else {
                throw BileanError.invalid("rules", "Rule not found: \(id)")
            }
            if let other = types[rule.resourceType] {
                if other == id { continue }
                throw BileanError.invalid(
                    "rules",
                    "A policy holds at most one rule per resource type: \(other) and \(id) both price \(rule.resourceType)"
                )
            }
            types[rule.resourceType] = id
            refs.append(Policy.RuleRef(id: rule.id, type: rule.type, resourceType: rule.resourceType))
        }
        return refs
    }

    func policyEvent(_ policy: Policy, action: String, at now: BillingTime) -> Event {
        Event(
            id: self.newID(),
            timestamp: now,
            objectID: policy.id,
            objectType: "policy",
            objectName: policy.name,
            action: action,
            metadata: .object([
                "rules": .array(policy.rules.map { .string($0.id) }), "is_default": .bool(policy.isDefault),
            ])
        )
    }
}
