import BileanCore

extension SQLStoreTransaction {
    static let resourceColumns = """
        id, user_id, resource_type, rule_id, properties, CAST(rate AS TEXT) AS rate, started_at, deleted_at, \
        billed_until, CAST(accrued AS TEXT) AS accrued, created_at, updated_at
        """

    static let resourceTable = TableSpec(
        table: "resources",
        columns: resourceColumns,
        sortExpressions: [
            "id": "id", "user_id": "user_id", "resource_type": "resource_type", "rule_id": "COALESCE(rule_id, '')",
            "created_at": "created_at", "updated_at": "COALESCE(updated_at, 0)",
        ],
        filterColumns: [
            "resource_type": .text("resource_type"), "rule_id": .text("rule_id"),
        ],
        softDeleted: true,
        window: .none,
        defaultSort: ["created_at"]
    )

    static func decodeResource(_ row: SQLRow) throws -> Resource {
        guard case .object(let properties) = try row.json("properties") else {
            throw StoreError.corrupt("properties", "not an object")
        }
        let billing = ResourceBilling(
            startedAt: try row.optionalTime("started_at"),
            deletedAt: try row.optionalTime("deleted_at"),
            rate: Rate(unitsPerHour: try row.bigInteger("rate")),
            billedUntil: try row.optionalTime("billed_until"),
            accrued: try row.bigInteger("accrued")
        )
        return Resource(
            id: try row.text("id"),
            userID: try row.text("user_id"),
            resourceType: try row.text("resource_type"),
            ruleID: try row.optionalText("rule_id"),
            properties: properties,
            billing: billing,
            createdAt: try row.time("created_at"),
            updatedAt: try row.optionalTime("updated_at")
        )
    }

    func resource(_ id: String) async throws -> Resource? {
        let rows = try await self.query("SELECT \(unsafeRaw: Self.resourceColumns) FROM resources WHERE id = \(id)")
        return try rows.first.map(Self.decodeResource)
    }

    func saveResource(_ resource: Resource) async throws {
        try await self.saveResources([resource])
    }

    func saveResources(_ resources: [Resource]) async throws {
        var rows: [SQLStatement] = []
        for resource in resources {
            let billing = resource.billing
            let properties = try Self.jsonText(.object(resource.properties))
            rows.append(
                """
                (\(resource.id), \(resource.userID), \(resource.resourceType), \(.optionalText(resource.ruleID)),
                    \(properties), \(.bigInteger(billing.rate.unitsPerHour)), \(.time(billing.startedAt)),
                    \(.time(billing.deletedAt)), \(.time(billing.billedUntil)), \(.bigInteger(billing.accrued)),
                    \(.time(resource.createdAt)), \(.time(resource.updatedAt)))
                """
            )
        }
        try await self.insertRows(
            """
            INSERT INTO resources (id, user_id, resource_type, rule_id, properties, rate, started_at, deleted_at,
                billed_until, accrued, created_at, updated_at)
            """,
            rows,
            suffix: """
                 ON CONFLICT (id) DO UPDATE SET user_id = excluded.user_id, resource_type = excluded.resource_type,
                    rule_id = excluded.rule_id, properties = excluded.properties, rate = excluded.rate,
                    started_at = excluded.started_at, deleted_at = excluded.deleted_at,
                    billed_until = excluded.billed_until, accrued = excluded.accrued, updated_at = excluded.updated_at
                """
        )
    }

    func resources(ids: [String]) async throws -> [Resource] {
        try await self.selectIn("id", ids) { condition in
            "SELECT \(unsafeRaw: Self.resourceColumns) FROM resources WHERE \(condition)"
        }.map(Self.decodeResource)
    }

    func liveResources(userIDs: [String]) async throws -> [Resource] {
        try await self.selectIn("user_id", userIDs) { condition in
            "SELECT \(unsafeRaw: Self.resourceColumns) FROM resources WHERE \(condition) AND deleted_at IS NULL ORDER BY id"
        }.map(Self.decodeResource)
    }

    func resources(_ query: ListQuery) async throws -> [Resource] {
        try await self.list(Self.resourceTable, query).map(Self.decodeResource)
    }

    func liveResources(userID: String?) async throws -> [Resource] {
        var statement: SQLStatement =
            "SELECT \(unsafeRaw: Self.resourceColumns) FROM resources WHERE deleted_at IS NULL"
        if let userID { statement.append(" AND user_id = \(userID)") }
        statement.append(" ORDER BY id")
        return try await self.query(statement).map(Self.decodeResource)
    }

    func timeline(resourceID: String) async throws -> [TimelineRecord] {
        let rows = try await self.query(
            """
            SELECT message_id, action, time, CAST(rate AS TEXT) AS rate, properties, policy_id, reprice,
                previous_policy_id
            FROM resource_events WHERE resource_id = \(resourceID) ORDER BY seq
            """
        )
        return try rows.map { try Self.decodeTimelineRecord($0, resourceID: resourceID) }
    }

    static func decodeTimelineRecord(_ row: SQLRow, resourceID: String) throws -> TimelineRecord {
        let actionText = try row.text("action")
        guard let action = ResourceEvent.Action(rawValue: actionText) else {
            throw StoreError.corrupt("action", actionText)
        }
        guard case .object(let properties) = try row.json("properties") else {
            throw StoreError.corrupt("properties", "not an object")
        }
        return TimelineRecord(
            entry: TimelineEntry(
                time: try row.time("time"),
                action: action,
                rate: Rate(unitsPerHour: try row.bigInteger("rate")),
                messageID: try row.text("message_id")
            ),
            resourceID: resourceID,
            properties: properties,
            policyID: try row.optionalText("policy_id"),
            isReprice: try row.integer("reprice") != 0,
            previousPolicyID: try row.optionalText("previous_policy_id")
        )
    }

    func updateTimelineRate(resourceID: String, messageID: String, rate: Rate) async throws {
        try await self.query(
            """
            UPDATE resource_events SET rate = \(.bigInteger(rate.unitsPerHour))
            WHERE resource_id = \(resourceID) AND message_id = \(messageID)
            """
        )
    }

    func appendTimeline(_ records: [TimelineRecord]) async throws {
        var rows: [SQLStatement] = []
        for record in records {
            let entry = record.entry
            rows.append(
                """
                (\(entry.messageID), \(record.resourceID), \(entry.action.rawValue), \(.time(entry.time)),
                    \(.bigInteger(entry.rate.unitsPerHour)), \(try Self.jsonText(.object(record.properties))),
                    \(.optionalText(record.policyID)), \(record.isReprice ? 1 : 0), \(.optionalText(record.previousPolicyID)))
                """
            )
        }
        try await self.insertRows(
            """
            INSERT INTO resource_events (message_id, resource_id, action, time, rate, properties, policy_id, reprice,
                previous_policy_id)
            """,
            rows
        )
    }
}
