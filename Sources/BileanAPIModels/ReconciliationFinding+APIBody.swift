package import BileanCore

extension ReconciliationFinding {
    /// The v1 body of a reconciliation finding: the resource (`resource_id`, `resource_type`, `user_id`), `kind`
    /// (`missing`, `vanished`, `property_drift`), `action` (`reported`, `repaired`, `deferred`), `effective_at`
    /// (what a repair bills from or closes at, or `null`), `estimated` and `evidence` (the JSON the run kept).
    package var apiBody: JSONValue {
        .object([
            "resource_id": .string(self.resourceID),
            "resource_type": .string(self.resourceType),
            "user_id": .string(self.userID),
            "kind": .string(self.kind.rawValue),
            "action": .string(self.action.rawValue),
            "effective_at": .time(self.effectiveAt),
            "estimated": .bool(self.estimated),
            "evidence": self.evidence,
        ])
    }
}
