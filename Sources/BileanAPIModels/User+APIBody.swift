package import BileanCore

extension User {
    /// The v1 body of a user: amounts as exact decimal strings, `rate` per second, the real-time balance.
    package var apiBody: JSONValue {
        .object([
            "id": .string(self.id),
            "name": .string(or: self.name),
            "policy_id": .string(or: self.policyID),
            "balance": .money(self.balance),
            "rate": .rate(self.rate),
            "credit": .money(self.credit),
            "run_out_at": .time(self.runOutAt),
            "freeze_at": .time(self.freezeAt),
            "last_bill": .time(self.lastBill),
            "status": .string(self.status.rawValue),
            "status_reason": .string(or: self.statusReason),
            "created_at": .time(self.createdAt),
            "updated_at": .time(self.updatedAt),
            "deleted_at": .time(self.deletedAt),
        ])
    }
}
