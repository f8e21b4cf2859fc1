package import BileanCore

extension Resource {
    /// The v1 body of a resource: `rate` per second, `last_bill` the instant billed up to, `rule_id` `null` when
    /// no rule prices it.
    package var apiBody: JSONValue {
        .object([
            "id": .string(self.id),
            "user_id": .string(self.userID),
            "resource_type": .string(self.resourceType),
            "rule_id": .string(or: self.ruleID),
            "rate": .rate(self.rate),
            "properties": .object(self.properties),
            "last_bill": .time(self.billing.billedUntil),
            "created_at": .time(self.createdAt),
            "updated_at": .time(self.updatedAt),
            "deleted_at": .time(self.deletedAt),
        ])
    }
}
