package import BileanCore

extension ConsumptionStatistics {
    /// The v1 body of a statistics row; `resource_id` is `null` in a per-type summary.
    package var apiBody: JSONValue {
        .object([
            "resource_id": .string(or: self.resourceID),
            "resource_type": .string(self.resourceType),
            "user_id": .string(or: self.userID),
            "cost": .money(self.cost),
        ])
    }
}
