package import BileanCore

extension Policy {
    /// The v1 body of a policy: its rules as `{id, type}`.
    package var apiBody: JSONValue {
        .object([
            "id": .string(self.id),
            "name": .string(self.name),
            "rules": .array(self.rules.map { .object(["id": .string($0.id), "type": .string($0.type)]) }),
            "is_default": .bool(self.isDefault),
            "metadata": self.metadata,
            "created_at": .time(self.createdAt),
            "updated_at": .time(self.updatedAt),
            "deleted_at": .time(self.deletedAt),
        ])
    }
}
