package import BileanCore

extension Event {
    /// The v1 body of an event.
    package var apiBody: JSONValue {
        .object([
            "id": .string(self.id),
            "timestamp": .time(self.timestamp),
            "obj_id": .string(self.objectID),
            "obj_type": .string(self.objectType),
            "obj_name": .string(or: self.objectName),
            "action": .string(self.action),
            "user_id": .string(or: self.userID),
            "level": .string(self.level.rawValue),
            "status": .string(or: self.status),
            "status_reason": .string(or: self.statusReason),
            "metadata": self.metadata,
        ])
    }
}
