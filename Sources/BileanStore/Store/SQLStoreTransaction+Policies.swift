import BileanCore

extension SQLStoreTransaction {
    static let policyColumns = "id, name, is_default, metadata, created_at, updated_at, deleted_at"

    static let policyTable = TableSpec(
        table: "policies",
        columns: policyColumns,
        sortExpressions: [
            "id": "id", "name": "name", "is_default": "is_default", "created_at": "created_at",
            "updated_at": "COALESCE(updated_at, 0)",
        ],
        filterColumns: ["name": .text("name"), "is_default": .flag("is_default")],
        softDeleted: true,
        window: .none,
        defaultSort: ["created_at"]
    )

    func decodePolicy(_ row: SQLRow) async throws -> Policy {
        let id = try row.text("id")
        let ruleRows = try await self.query(
            """
            SELECT pr.rule_id AS rule_id, r.type AS type, pr.resource_type AS resource_type
            FROM policy_rules pr JOIN rules r ON r.id = pr.rule_id
            WHERE pr.policy_id = \(id) ORDER BY pr.resource_type
            """
        )
        let rules = try ruleRows.map { row in
            Policy.RuleRef(
                id: try row.text("rule_id"),
                type: try row.text("type"),
                resourceType: try row.text("resource_type")
            )
        }
        return Policy(
            id: id,
            name: try row.text("name"),
            rules: rules,
            isDefault: try row.integer("is_default") != 0,
            metadata: try row.json("metadata"),
            createdAt: try row.time("created_at"),
            updatedAt: try row.optionalTime("updated_at"),
            deletedAt: try row.optionalTime("deleted_at")
        )
    }

    func policy(_ id: String, includeDeleted: Bool) async throws -> Policy? {
        let rows = try await self.query("SELECT \(unsafeRaw: Self.policyColumns) FROM policies WHERE id = \(id)")
        guard let row = rows.first else { return nil }
        let policy = try await self.decodePolicy(row)
        if policy.deletedAt != nil, !includeDeleted { return nil }
        return policy
    }

    func defaultPolicy() async throws -> Policy? {
        let rows = try await self.query(
            """
            SELECT \(unsafeRaw: Self.policyColumns) FROM policies WHERE is_default = 1 AND deleted_at IS NULL
            ORDER BY created_at LIMIT 1
            """
        )
        guard let row = rows.first else { return nil }
        return try await self.decodePolicy(row)
    }

    func insertPolicy(_ policy: Policy) async throws {
        try await self.query(
            """
            INSERT INTO policies (id, name, is_default, metadata, created_at, updated_at, deleted_at)
            VALUES (\(policy.id), \(policy.name), \(policy.isDefault ? 1 : 0), \(try Self.jsonText(policy.metadata)),
                \(.time(policy.createdAt)), \(.time(policy.updatedAt)), \(.time(policy.deletedAt)))
            """
        )
        try await self.writePolicyRules(policy)
    }

    func updatePolicy(_ policy: Policy) async throws {
        try await self.query(
            """
            UPDATE policies SET name = \(policy.name), is_default = \(policy.isDefault ? 1 : 0),
                metadata = \(try Self.jsonText(policy.metadata)), updated_at = \(.time(policy.updatedAt)),
                deleted_at = \(.time(policy.deletedAt))
            WHERE id = \(policy.id)
            """
        )
        try await self.query("DELETE FROM policy_rules WHERE policy_id = \(policy.id)")
        try await self.writePolicyRules(policy)
    }

    private func writePolicyRules(_ policy: Policy) async throws {
        for rule in policy.rules {
            try await self.query(
                """
                INSERT INTO policy_rules (policy_id, resource_type, rule_id)
                VALUES (\(policy.id), \(rule.resourceType), \(rule.id))
                """
            )
        }
    }

    func policies(_ query: ListQuery) async throws -> [Policy] {
        var policies: [Policy] = []
        for row in try await self.list(Self.policyTable, query) {
            policies.append(try await self.decodePolicy(row))
        }
        return policies
    }
}
