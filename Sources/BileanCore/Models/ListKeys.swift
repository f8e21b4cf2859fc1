/// The sort keys and filters each list accepts. Anything else is a 400, never SQL.
package struct ListKeys: Sendable, Hashable {
    /// Accepted `sort_keys`.
    package var sortable: Set<String>
    /// Accepted filters.
    package var filterable: Set<String>

    /// Users: the original client sorts by name, balance, status, created_at, updated_at.
    package static let users = ListKeys(
        sortable: ["id", "name", "balance", "rate", "credit", "status", "created_at", "updated_at"],
        filterable: ["name", "status", "policy_id"]
    )
    /// Rules.
    package static let rules = ListKeys(
        sortable: ["id", "name", "type", "created_at", "updated_at"],
        filterable: ["name", "type"]
    )
    /// Policies.
    package static let policies = ListKeys(
        sortable: ["id", "name", "is_default", "created_at", "updated_at"],
        filterable: ["name", "is_default"]
    )
    /// Resources.
    package static let resources = ListKeys(
        sortable: ["id", "user_id", "resource_type", "rule_id", "created_at", "updated_at"],
        filterable: ["resource_type", "rule_id"]
    )
    /// Events.
    package static let events = ListKeys(
        sortable: ["timestamp", "obj_type", "action", "level"],
        filterable: ["resource_type", "obj_type", "obj_id", "action", "level"]
    )
    /// Consumptions.
    package static let consumptions = ListKeys(
        sortable: ["start_time", "end_time", "resource_type", "resource_id", "created_at"],
        filterable: ["resource_type", "resource_id"]
    )
    /// Recharges (money columns are not sortable: their text would sort as text).
    package static let recharges = ListKeys(sortable: ["timestamp", "type"], filterable: ["type"])
    /// Rejected notifications.
    package static let rejectedNotifications = ListKeys(
        sortable: ["received_at", "code", "event_type"],
        filterable: ["code", "event_type", "message_id", "exchange"]
    )
    /// Consumption statistics: a window and a user, no sorting or filters.
    package static let statistics = ListKeys(sortable: [], filterable: [])
}
