package import BileanCore

extension Consumption {
    /// The v1 body of a consumption: `metadata.cause` says why the interval was closed; a consumption recorded by
    /// a re-rating adds `metadata.reason` and `metadata.rerating_id` (the preview's id), and one that rests on an
    /// estimate (a reconciliation closed a vanished resource at the last time it was seen) `metadata.estimated`.
    package var apiBody: JSONValue {
        var metadata: [String: JSONValue] = ["cause": .string(self.cause.rawValue)]
        if let reason = self.reason { metadata["reason"] = .string(reason) }
        if let reratingID = self.reratingID { metadata["rerating_id"] = .string(reratingID) }
        if self.estimated { metadata["estimated"] = .bool(true) }
        return .object([
            "id": .string(self.id),
            "user_id": .string(self.userID),
            "resource_id": .string(self.resourceID),
            "resource_type": .string(self.resourceType),
            "start_time": .time(self.startTime),
            "end_time": .time(self.endTime),
            "rate": .rate(self.rate),
            "cost": .money(self.cost),
            "metadata": .object(metadata),
            "created_at": .time(self.createdAt),
        ])
    }
}
