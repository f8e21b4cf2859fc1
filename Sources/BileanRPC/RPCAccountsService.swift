package import BileanCore
package import BileanMessaging
import Foundation

/// The API's engine over RPC: ``AccountsService`` calls to the `accounts` namespace. `recharge`, `create_rule`
/// and `create_policy` carry a new idempotency key each (a redelivered request is made once); so does every other
/// state-changing call (``AccountsEndpoint/stateChangingMethods``), through ``EngineRPCCaller``.
package struct RPCAccountsService: AccountsService {
    let caller: EngineRPCCaller

    /// Calls the engines through `client`.
    package init(client: OsloRPCClient) {
        self.caller = EngineRPCCaller(
            client: client,
            namespace: AccountsEndpoint.name,
            version: AccountsEndpoint.currentVersion
        )
    }

    func one<Value: RPCValue>(_ method: String, _ args: [String: JSONValue], as type: Value.Type) async throws -> Value
    {
        try self.caller.read(try await self.caller.call(method, args), as: type)
    }

    func many<Value: RPCValue>(
        _ method: String,
        _ args: [String: JSONValue],
        of type: Value.Type
    ) async throws
        -> [Value]
    {
        try self.caller.readArray(try await self.caller.call(method, args), of: type)
    }

    static func newKey() -> String { RandomID.timeOrdered() }

    package func listUsers(_ query: ListQuery) async throws -> [User] {
        try await self.many("list_users", ["query": query.rpcValue], of: User.self)
    }

    package func user(_ id: String) async throws -> User {
        try await self.one("user", ["id": .string(id)], as: User.self)
    }

    package func createUser(id: String, name: String?, messageID: String?) async throws -> User {
        try await self.one(
            "create_user",
            ["id": .string(id), "name": .optionalString(name), "message_id": .optionalString(messageID)],
            as: User.self
        )
    }

    package func deleteUser(id: String, messageID: String?) async throws {
        _ = try await self.caller.call("delete_user", ["id": .string(id), "message_id": .optionalString(messageID)])
    }

    package func recharge(
        userID: String,
        value: Money,
        kind: Recharge.Kind,
        metadata: JSONValue,
        id: String?
    )
        async throws -> User
    {
        try await self.one(
            "recharge",
            [
                "user_id": .string(userID), "value": .money(value), "type": .string(kind.rawValue),
                "metadata": metadata, "key": .string(id ?? Self.newKey()),
            ],
            as: User.self
        )
    }

    package func setCredit(userID: String, value: Money) async throws -> User {
        try await self.one("set_credit", ["user_id": .string(userID), "value": .money(value)], as: User.self)
    }

    package func projection(userID: String, at: BillingTime) async throws -> UserProjection {
        try await self.one("projection", ["user_id": .string(userID), "at": .time(at)], as: UserProjection.self)
    }

    package func attachPolicy(userID: String, policyID: String) async throws -> User {
        try await self.one(
            "attach_policy",
            ["user_id": .string(userID), "policy_id": .string(policyID)],
            as: User.self
        )
    }

    package func settle(userID: String, at instant: BillingTime) async throws -> User {
        try await self.one("settle", ["user_id": .string(userID), "at": .time(instant)], as: User.self)
    }

    package func createRule(name: String, spec: JSONValue, metadata: JSONValue, id: String?) async throws -> Rule {
        try await self.one(
            "create_rule",
            ["name": .string(name), "spec": spec, "metadata": metadata, "key": .string(id ?? Self.newKey())],
            as: Rule.self
        )
    }

    package func rule(_ id: String) async throws -> Rule {
        try await self.one("rule", ["id": .string(id)], as: Rule.self)
    }

    package func listRules(_ query: ListQuery) async throws -> [Rule] {
        try await self.many("list_rules", ["query": query.rpcValue], of: Rule.self)
    }

    package func updateRule(_ id: String, _ update: RuleUpdate) async throws -> Rule {
        try await self.one("update_rule", ["id": .string(id), "update": update.rpcValue], as: Rule.self)
    }

    package func deleteRule(_ id: String) async throws {
        _ = try await self.caller.call("delete_rule", ["id": .string(id)])
    }

    package func createPolicy(
        name: String,
        ruleIDs: [String],
        metadata: JSONValue,
        id: String?
    ) async throws
        -> Policy
    {
        try await self.one(
            "create_policy",
            [
                "name": .string(name), "rule_ids": .array(ruleIDs.map(JSONValue.string)), "metadata": metadata,
                "key": .string(id ?? Self.newKey()),
            ],
            as: Policy.self
        )
    }

    package func policy(_ id: String) async throws -> Policy {
        try await self.one("policy", ["id": .string(id)], as: Policy.self)
    }

    package func listPolicies(_ query: ListQuery) async throws -> [Policy] {
        try await self.many("list_policies", ["query": query.rpcValue], of: Policy.self)
    }

    package func updatePolicy(_ id: String, _ update: PolicyUpdate) async throws -> Policy {
        try await self.one("update_policy", ["id": .string(id), "update": update.rpcValue], as: Policy.self)
    }

    package func deletePolicy(_ id: String) async throws {
        _ = try await self.caller.call("delete_policy", ["id": .string(id)])
    }

    package func addRules(policyID: String, ruleIDs: [String]) async throws -> Policy {
        try await self.one(
            "add_rules",
            ["policy_id": .string(policyID), "rule_ids": .array(ruleIDs.map(JSONValue.string))],
            as: Policy.self
        )
    }

    package func removeRules(policyID: String, ruleIDs: [String]) async throws -> Policy {
        try await self.one(
            "remove_rules",
            ["policy_id": .string(policyID), "rule_ids": .array(ruleIDs.map(JSONValue.string))],
            as: Policy.self
        )
    }

    package func apply(_ events: [ResourceEvent]) async throws -> [ApplyOutcome] {
        try await self.many("apply", ["events": events.rpcValue], of: ApplyOutcome.self)
    }

    package func listRejectedNotifications(_ query: ListQuery) async throws -> [RejectedNotification] {
        try await self.many("list_rejected_notifications", ["query": query.rpcValue], of: RejectedNotification.self)
    }

    package func rejectedNotification(_ id: String) async throws -> RejectedNotification {
        try await self.one("rejected_notification", ["id": .string(id)], as: RejectedNotification.self)
    }

    package func resource(_ id: String) async throws -> Resource {
        try await self.one("resource", ["id": .string(id)], as: Resource.self)
    }

    package func listResources(_ query: ListQuery) async throws -> [Resource] {
        try await self.many("list_resources", ["query": query.rpcValue], of: Resource.self)
    }

    package func validateCreation(userID: String, resources: [ResourceSpec], count: Int) async throws -> Bool {
        let result = try await self.caller.call(
            "validate_creation",
            ["user_id": .string(userID), "resources": resources.rpcValue, "count": .integer(count)]
        )
        guard case .bool(let allowed) = result else {
            throw BileanError(.internalError, "Unreadable answer from the billing engine")
        }
        return allowed
    }

    package func listEvents(_ query: ListQuery) async throws -> [Event] {
        try await self.many("list_events", ["query": query.rpcValue], of: Event.self)
    }

    package func listRecharges(_ query: ListQuery) async throws -> [Recharge] {
        try await self.many("list_recharges", ["query": query.rpcValue], of: Recharge.self)
    }

    package func listConsumptions(_ query: ListQuery) async throws -> [Consumption] {
        try await self.many("list_consumptions", ["query": query.rpcValue], of: Consumption.self)
    }

    package func statistics(_ query: ListQuery, summary: Bool) async throws -> [ConsumptionStatistics] {
        try await self.many(
            "statistics",
            ["query": query.rpcValue, "summary": .bool(summary)],
            of: ConsumptionStatistics.self
        )
    }

    package func dailyStatistics(_ query: ListQuery, summary: Bool) async throws -> [ConsumptionStatistics] {
        try await self.many(
            "daily_statistics",
            ["query": query.rpcValue, "summary": .bool(summary)],
            of: ConsumptionStatistics.self
        )
    }

    package func previewRerating(_ request: ReratingRequest) async throws -> ReratingPreview {
        try await self.one("preview_rerating", ["request": request.rpcValue], as: ReratingPreview.self)
    }

    package func applyRerating(previewID: String, reason: String) async throws -> Rerating {
        try await self.one(
            "apply_rerating",
            ["preview_id": .string(previewID), "reason": .string(reason)],
            as: Rerating.self
        )
    }

    package func listReconciliations(limit: Int) async throws -> [ReconciliationRun] {
        try await self.many("list_reconciliations", ["limit": .integer(limit)], of: ReconciliationRun.self)
    }
}
