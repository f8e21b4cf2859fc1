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

extension User {
    /// Writes ``apiBody`` without building it: the same bytes, its keys in their sorted order (tested).
    /// - Parameter writer: Where to write.
    package func writeAPIBody(to writer: inout JSONStreamWriter) {
        writer.beginObject()
        writer.key("balance")
        writer.money(self.balance)
        writer.key("created_at")
        writer.time(self.createdAt)
        writer.key("credit")
        writer.money(self.credit)
        writer.key("deleted_at")
        writer.time(self.deletedAt)
        writer.key("freeze_at")
        writer.time(self.freezeAt)
        writer.key("id")
        writer.string(self.id)
        writer.key("last_bill")
        writer.time(self.lastBill)
        writer.key("name")
        writer.string(self.name)
        writer.key("policy_id")
        writer.string(self.policyID)
        writer.key("rate")
        writer.money(self.rate.perSecondForDisplay)
        writer.key("run_out_at")
        writer.time(self.runOutAt)
        writer.key("status")
        writer.string(self.status.rawValue)
        writer.key("status_reason")
        writer.string(self.statusReason)
        writer.key("updated_at")
        writer.time(self.updatedAt)
        writer.endObject()
    }
}
