package import BileanCore
package import BileanMessaging

/// The `accounts` namespace (version 1.0), served by `bilean-server engine` for the API.
///
/// A repeated request (redelivered after an engine died, or published again after the broker refused it) changes
/// nothing twice. Every state-changing call carries the caller's `idempotency_key`: its result is stored under it
/// (``RPCResultStore``, for `[DEFAULT] rpc_idempotency_retention`), and the same key answers that result again.
/// The result is stored just after the call's own transaction commits; in the moment between, the calls stay safe
/// as they are: `recharge`, `create_rule` and `create_policy` use the caller's `key` as the new object's id, `apply`
/// is keyed by message ids, `apply_rerating` by its preview id (the engine answers the first apply again), and the
/// others set a state (only a repeated deletion could then answer "not found"). `preview_rerating` bills nothing
/// and keeps no result: a repeated one only keeps one more preview, which nobody applies.
package struct AccountsEndpoint: RPCEndpoint {
    let service: any AccountsService
    let results: (any RPCResultStore)?
    /// `rpc_idempotency_retention`, in seconds.
    let retentionSeconds: Int64
    private let purges: PurgeSchedule

    /// Serves an accounts service (the engine).
    /// - Parameters:
    ///   - service: The engine.
    ///   - results: Where the results of state-changing calls are kept by idempotency key; `nil`: not kept.
    ///   - retention: How long they are kept (`rpc_idempotency_retention`).
    package init(
        service: any AccountsService,
        results: (any RPCResultStore)? = nil,
        retention: Duration = .seconds(86_400)
    ) {
        self.service = service
        self.results = results
        self.retentionSeconds = retention.components.seconds
        self.purges = PurgeSchedule()
    }

    package var namespace: String { AccountsEndpoint.name }
    package var version: String { AccountsEndpoint.currentVersion }

    /// The namespace's name and version.
    package static let name = "accounts"
    package static let currentVersion = "1.0"

    /// The argument that carries a state-changing call's idempotency key.
    package static let idempotencyKeyArgument = "idempotency_key"

    /// The methods that change state: their results are kept by idempotency key.
    package static let stateChangingMethods: Set<String> = [
        "create_user", "delete_user", "recharge", "set_credit", "attach_policy", "settle", "create_rule",
        "update_rule", "delete_rule", "create_policy", "update_policy", "delete_policy", "add_rules", "remove_rules",
        "apply", "apply_rerating",
    ]

    package func handle(method: String, args: [String: JSONValue], context: RPCContext) async throws -> JSONValue {
        guard Self.stateChangingMethods.contains(method), let results = self.results,
            case .string(let key)? = args[Self.idempotencyKeyArgument]
        else {
            return try await self.dispatch(method, args)
        }
        return try await served {
            let now = results.currentTime()
            if self.purges.isDue(at: now, everySeconds: min(self.retentionSeconds, 60)) {
                _ = try await results.purgeRPCResults(before: now.adding(seconds: -self.retentionSeconds))
            }
            if let stored = try await results.storedRPCResult(key: key) {
                guard stored.method == method else {
                    throw BileanError(
                        .conflict,
                        "The idempotency key \(key) was used for \(stored.method), not \(method).",
                        field: Self.idempotencyKeyArgument
                    )
                }
                return stored.result
            }
            let result = try await self.dispatch(method, args)
            // Not stored (the database failed just after the call committed): the call's result stands, and a
            // repeat is as safe as without the record (see above).
            try? await results.storeRPCResult(
                StoredRPCResult(key: key, method: method, result: result, storedAt: results.currentTime())
            )
            return result
        }
    }

    /// Runs a method.
    func dispatch(_ method: String, _ args: [String: JSONValue]) async throws -> JSONValue {
        try await served {
            let object = try RPCObject(.object(args), "args")
            let service = self.service
            func query() throws -> ListQuery { try ListQuery(rpcValue: args["query"] ?? .null) }
            switch method {
            case "list_users": return try await service.listUsers(try query()).rpcValue
            case "user": return try await service.user(try object.string("id")).rpcValue
            case "create_user":
                return try await service.createUser(
                    id: try object.string("id"),
                    name: try object.optionalString("name"),
                    messageID: try object.optionalString("message_id")
                ).rpcValue
            case "delete_user":
                try await service.deleteUser(
                    id: try object.string("id"),
                    messageID: try object.optionalString("message_id")
                )
                return .null
            case "recharge":
                return try await service.recharge(
                    userID: try object.string("user_id"),
                    value: try object.money("value"),
                    kind: try object.enumeration("type", Recharge.Kind.self),
                    metadata: object.optionalObject("metadata"),
                    id: try object.optionalString("key")
                ).rpcValue
            case "set_credit":
                return try await service.setCredit(
                    userID: try object.string("user_id"),
                    value: try object.money("value")
                )
                .rpcValue
            case "projection":
                return try await service.projection(userID: try object.string("user_id"), at: try object.time("at"))
                    .rpcValue
            case "attach_policy":
                return try await service.attachPolicy(
                    userID: try object.string("user_id"),
                    policyID: try object.string("policy_id")
                ).rpcValue
            case "settle":
                return try await service.settle(userID: try object.string("user_id"), at: try object.time("at"))
                    .rpcValue
            case "create_rule":
                return try await service.createRule(
                    name: try object.string("name"),
                    spec: object.optionalObject("spec"),
                    metadata: object.optionalObject("metadata"),
                    id: try object.optionalString("key")
                ).rpcValue
            case "rule": return try await service.rule(try object.string("id")).rpcValue
            case "list_rules": return try await service.listRules(try query()).rpcValue
            case "update_rule":
                return try await service.updateRule(
                    try object.string("id"),
                    try RuleUpdate(rpcValue: args["update"] ?? .null)
                ).rpcValue
            case "delete_rule":
                try await service.deleteRule(try object.string("id"))
                return .null
            case "create_policy":
                return try await service.createPolicy(
                    name: try object.string("name"),
                    ruleIDs: try object.strings("rule_ids"),
                    metadata: object.optionalObject("metadata"),
                    id: try object.optionalString("key")
                ).rpcValue
            case "policy": return try await service.policy(try object.string("id")).rpcValue
            case "list_policies": return try await service.listPolicies(try query()).rpcValue
            case "update_policy":
                return try await service.updatePolicy(
                    try object.string("id"),
                    try PolicyUpdate(rpcValue: args["update"] ?? .null)
                ).rpcValue
            case "delete_policy":
                try await service.deletePolicy(try object.string("id"))
                return .null
            case "add_rules":
                return try await service.addRules(
                    policyID: try object.string("policy_id"),
                    ruleIDs: try object.strings("rule_ids")
                ).rpcValue
            case "remove_rules":
                return try await service.removeRules(
                    policyID: try object.string("policy_id"),
                    ruleIDs: try object.strings("rule_ids")
                ).rpcValue
            case "apply":
                return try await service.apply(try [ResourceEvent](rpcValues: try object.array("events"))).rpcValue
            case "list_rejected_notifications":
                return try await service.listRejectedNotifications(try query()).rpcValue
            case "rejected_notification":
                return try await service.rejectedNotification(try object.string("id")).rpcValue
            case "resource": return try await service.resource(try object.string("id")).rpcValue
            case "list_resources": return try await service.listResources(try query()).rpcValue
            case "validate_creation":
                return .bool(
                    try await service.validateCreation(
                        userID: try object.string("user_id"),
                        resources: try [ResourceSpec](rpcValues: try object.array("resources")),
                        count: try object.int("count")
                    )
                )
            case "list_events": return try await service.listEvents(try query()).rpcValue
            case "list_recharges": return try await service.listRecharges(try query()).rpcValue
            case "list_consumptions": return try await service.listConsumptions(try query()).rpcValue
            case "statistics":
                return try await service.statistics(try query(), summary: try object.bool("summary")).rpcValue
            case "daily_statistics":
                return try await service.dailyStatistics(try query(), summary: try object.bool("summary")).rpcValue
            case "preview_rerating":
                return try await service.previewRerating(try ReratingRequest(rpcValue: args["request"] ?? .null))
                    .rpcValue
            case "apply_rerating":
                return try await service.applyRerating(
                    previewID: try object.string("preview_id"),
                    reason: try object.string("reason")
                ).rpcValue
            case "list_reconciliations":
                return try await service.listReconciliations(limit: try object.int("limit")).rpcValue
            default:
                throw RPCRemoteError(kind: .noSuchMethod, message: "accounts has no method \(method)", field: nil)
            }
        }
    }
}
