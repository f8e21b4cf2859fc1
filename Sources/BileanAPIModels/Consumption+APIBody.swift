package import BileanCore

extension Consumption {
    /// The v1 body of a consumption: `metadata.cause` says why the interval was closed.
    package var apiBody: JSONValue {
        .object([
            "id": .string(self.id),
            "user_id": .string(self.userID),
            "resource_id": .string(self.resourceID),
            "resource_type": .string(self.resourceType),
            "start_time": .time(self.startTime),
            "end_time": .time(self.endTime),
            "rate": .rate(self.rate),
            "cost": .money(self.cost),
            "metadata": .object(["cause": .string(self.cause.rawValue)]),
            "created_at": .time(self.createdAt),
        ])
    }
}
