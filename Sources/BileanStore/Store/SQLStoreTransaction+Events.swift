import BileanCore

extension SQLStoreTransaction {
    static let eventColumns = """
        id, timestamp, obj_id, obj_type, obj_name, action, user_id, level, status, status_reason, metadata
        """

    static let eventTable = TableSpec(
        table: "events",
        columns: eventColumns,
        sortExpressions: [
            "timestamp": "timestamp", "obj_type": "obj_type", "action": "action", "level": "level",
        ],
        filterColumns: [
            "resource_type": .text("obj_type"), "obj_type": .text("obj_type"),
            "obj_id": .text("obj_id"), "action": .text("action"),
            "level": .text("level"),
        ],
        softDeleted: false,
        window: .instant("timestamp"),
        defaultSort: ["timestamp"]
    )

    static func decodeEvent(_ row: SQLRow) throws -> Event {
        let levelText = try row.text("level")
        guard let level = Event.Level(rawValue: levelText) else { throw StoreError.corrupt("level", levelText) }
        return Event(
            id: try row.text("id"),
            timestamp: try row.time("timestamp"),
            objectID: try row.text("obj_id"),
            objectType: try row.text("obj_type"),
            objectName: try row.optionalText("obj_name"),
            action: try row.text("action"),
            userID: try row.optionalText("user_id"),
            level: level,
            status: try row.optionalText("status"),
            statusReason: try row.optionalText("status_reason"),
            metadata: try row.json("metadata")
        )
    }

    func insertEvent(_ event: Event) async throws {
        try await self.insertEvents([event])
    }

    func insertEvents(_ events: [Event]) async throws {
        var rows: [SQLStatement] = []
        for event in events {
            rows.append(
                """
                (\(event.id), \(.time(event.timestamp)), \(event.objectID), \(event.objectType),
                    \(.optionalText(event.objectName)), \(event.action), \(.optionalText(event.userID)),
                    \(event.level.rawValue), \(.optionalText(event.status)), \(.optionalText(event.statusReason)),
                    \(try Self.jsonText(event.metadata)))
                """
            )
        }
        try await self.insertRows(
            """
            INSERT INTO events (id, timestamp, obj_id, obj_type, obj_name, action, user_id, level, status,
                status_reason, metadata)
            """,
            rows
        )
    }

    func events(_ query: ListQuery) async throws -> [Event] {
        try await self.list(Self.eventTable, query).map(Self.decodeEvent)
    }
}
