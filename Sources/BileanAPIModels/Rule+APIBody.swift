package import BileanCore

extension Rule {
    /// The v1 body of a rule; `spec` is the object it was created with.
    package var apiBody: JSONValue {
        .object([
            "id": .string(self.id),
            "name": .string(self.name),
            "type": .string(self.type),
            "spec": self.spec,
            "metadata": self.metadata,
            "created_at": .time(self.createdAt),
            "updated_at": .time(self.updatedAt),
            "deleted_at": .time(self.deletedAt),
        ])
    }
}
