import BileanCore

extension SQLStoreTransaction {
    static let rejectionColumns = """
        id, received_at, message_id, event_type, publisher_id, code, reason, exchange, routing_key, body_size,
            body_excerpt
        """

    static let rejectionTable = TableSpec(
        table: "rejected_notifications",
        columns: rejectionColumns,
        sortExpressions: [
            "received_at": "received_at", "code": "code", "event_type": "COALESCE(event_type, '')",
        ],
        filterColumns: [
            "code": .text("code"), "event_type": .text("event_type"), "message_id": .text("message_id"),
            "exchange": .text("exchange"),
        ],
        softDeleted: false,
        window: .instant("received_at"),
        defaultSort: ["received_at"]
    )

    static func decodeRejection(_ row: SQLRow) throws -> RejectedNotification {
        RejectedNotification(
            id: try row.text("id"),
            receivedAt: try row.time("received_at"),
            messageID: try row.optionalText("message_id"),
            eventType: try row.optionalText("event_type"),
            publisherID: try row.optionalText("publisher_id"),
            code: try row.text("code"),
            reason: try row.text("reason"),
            exchange: try row.text("exchange"),
            routingKey: try row.text("routing_key"),
            bodySize: Int(try row.integer("body_size")),
            bodyExcerpt: try row.text("body_excerpt")
        )
    }

    func insertRejectedNotifications(_ rejections: [RejectedNotification]) async throws {
        let rows: [SQLStatement] = rejections.map { rejection in
            """
            (\(rejection.id), \(.time(rejection.receivedAt)), \(.optionalText(rejection.messageID)),
                \(.optionalText(rejection.eventType)), \(.optionalText(rejection.publisherID)), \(rejection.code),
                \(rejection.reason), \(rejection.exchange), \(rejection.routingKey), \(rejection.bodySize),
                \(rejection.bodyExcerpt))
            """
        }
        try await self.insertRows(
            "INSERT INTO rejected_notifications (\(Self.rejectionColumns))",
            rows,
            suffix: " ON CONFLICT DO NOTHING"
        )
    }

    func rejectedMessageIDs(among messageIDs: [String]) async throws -> Set<String> {
        let rows = try await self.selectIn("message_id", messageIDs) { condition in
            "SELECT DISTINCT message_id FROM rejected_notifications WHERE \(condition)"
        }
        return Set(try rows.map { try $0.text("message_id") })
    }

    func rejectedNotifications(_ query: ListQuery) async throws -> [RejectedNotification] {
        try await self.list(Self.rejectionTable, query).map(Self.decodeRejection)
    }

    func rejectedNotification(_ id: String) async throws -> RejectedNotification? {
        let rows = try await self.query(
            "SELECT \(unsafeRaw: Self.rejectionColumns) FROM rejected_notifications WHERE id = \(id)"
        )
        return try rows.first.map(Self.decodeRejection)
    }
}
