import BileanCore
import Foundation

extension SQLStoreTransaction {
    static let ruleColumns = "id, name, type, resource_type, spec, metadata, created_at, updated_at, deleted_at"

    static let ruleTable = TableSpec(
        table: "rules",
        columns: ruleColumns,
        sortExpressions: [
            "id": "id", "name": "name", "type": "type", "created_at": "created_at",
            "updated_at": "COALESCE(updated_at, 0)",
        ],
        filterColumns: ["name": .text("name"), "type": .text("type")],
        softDeleted: true,
        window: .none,
        defaultSort: ["created_at"]
    )

    static func decodeRule(_ row: SQLRow) throws -> Rule {
        Rule(
            id: try row.text("id"),
            name: try row.text("name"),
            type: try row.text("type"),
            resourceType: try row.text("resource_type"),
            spec: try row.json("spec"),
            metadata: try row.json("metadata"),
            createdAt: try row.time("created_at"),
            updatedAt: try row.optionalTime("updated_at"),
            deletedAt: try row.optionalTime("deleted_at")
        )
    }

    func rule(_ id: String, includeDeleted: Bool) async throws -> Rule? {
        let rows = try await self.query("SELECT \(unsafeRaw: Self.ruleColumns) FROM rules WHERE id = \(id)")
        let rule = try rows.first.map(Self.decodeRule)
        if let rule, rule.deletedAt != nil, !includeDeleted { return nil }
        return rule
    }

    func insertRule(_ rule: Rule) async throws {
        try await self.query(
            """
            INSERT INTO rules (id, name, type, resource_type, spec, metadata, created_at, updated_at, deleted_at)
            VALUES (\(rule.id), \(rule.name), \(rule.type), \(rule.resourceType), \(try Self.jsonText(rule.spec)),
                \(try Self.jsonText(rule.metadata)), \(.time(rule.createdAt)), \(.time(rule.updatedAt)),
                \(.time(rule.deletedAt)))
            """
        )
    }

    func updateRule(_ rule: Rule) async throws {
        try await self.query(
            """
            UPDATE rules SET name = \(rule.name), type = \(rule.type), resource_type = \(rule.resourceType),
                spec = \(try Self.jsonText(rule.spec)), metadata = \(try Self.jsonText(rule.metadata)),
                updated_at = \(.time(rule.updatedAt)), deleted_at = \(.time(rule.deletedAt))
            WHERE id = \(rule.id)
            """
        )
    }

    func rules(_ query: ListQuery) async throws -> [Rule] {
        try await self.list(Self.ruleTable, query).map(Self.decodeRule)
    }

    func defaultPolicyID() async throws -> String? {
        let rows = try await self.query(
            "SELECT id FROM policies WHERE is_default = 1 AND deleted_at IS NULL ORDER BY created_at, id LIMIT 1"
        )
        return try rows.first?.text("id")
    }

    func pricingRule(policyID: String, resourceType: String) async throws -> Rule? {
        let columns = Self.ruleColumns.split(separator: ",").map { "r.\($0.trimmingCharacters(in: .whitespaces))" }
            .joined(separator: ", ")
        let rows = try await self.query(
            """
            SELECT \(unsafeRaw: columns) FROM policy_rules pr JOIN rules r ON r.id = pr.rule_id
            WHERE pr.policy_id = \(policyID) AND pr.resource_type = \(resourceType) AND r.deleted_at IS NULL
            """
        )
        return try rows.first.map(Self.decodeRule)
    }

    func policyIDs(usingRule ruleID: String) async throws -> [String] {
        let rows = try await self.query(
            """
            SELECT pr.policy_id AS policy_id FROM policy_rules pr JOIN policies p ON p.id = pr.policy_id
            WHERE pr.rule_id = \(ruleID) AND p.deleted_at IS NULL ORDER BY pr.policy_id
            """
        )
        return try rows.map { try $0.text("policy_id") }
    }
}
