package import BileanCore

extension ConsumptionStatistics {
    /// The v1 body of a statistics row; `resource_id` is `null` in a per-type summary. A row per day
    /// (`interval=day`) adds `day`, its UTC date (`2026-12-01`).
    package var apiBody: JSONValue {
        var fields: [String: JSONValue] = [
            "resource_id": .string(or: self.resourceID),
            "resource_type": .string(self.resourceType),
            "user_id": .string(or: self.userID),
            "cost": .money(self.cost),
        ]
        if let day = self.day {
            fields["day"] = .string(String(day.iso8601.prefix(10)))
        }
        return .object(fields)
    }
}
