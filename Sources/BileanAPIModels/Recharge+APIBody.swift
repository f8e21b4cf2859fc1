package import BileanCore

extension Recharge {
    /// The v1 body of a recharge: the value as an exact decimal string.
    package var apiBody: JSONValue {
        .object([
            "id": .string(self.id),
            "user_id": .string(self.userID),
            "type": .string(self.kind.rawValue),
            "value": .money(self.value),
            "timestamp": .time(self.timestamp),
            "metadata": self.metadata,
        ])
    }
}
