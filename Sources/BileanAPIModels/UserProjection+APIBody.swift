package import BileanCore

extension UserProjection {
    /// The v1 body: `{"user_id", "at", "balance", "status"}`, the balance as an exact decimal string.
    package var apiBody: JSONValue {
        .object([
            "user_id": .string(self.userID),
            "at": .time(self.at),
            "balance": .money(self.balance),
            "status": .string(self.status.rawValue),
        ])
    }
}
