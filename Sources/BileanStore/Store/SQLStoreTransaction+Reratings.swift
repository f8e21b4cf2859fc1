import BileanCore

extension SQLStoreTransaction {
    func liveUserIDs(policyID: String?, orUnattached: Bool) async throws -> [String] {
        var statement: SQLStatement = "SELECT id FROM users WHERE deleted_at IS NULL"
        if let policyID {
            statement.append(
                orUnattached
                    ? " AND (policy_id = \(policyID) OR policy_id IS NULL)" : " AND policy_id = \(policyID)"
            )
        }
        statement.append(" ORDER BY id")
        return try await self.query(statement).map { try $0.text("id") }
    }

    func resources(
        userIDs: [String],
        types: [String],
        billedWithin start: BillingTime,
        _ end: BillingTime
    ) async throws -> [Resource] {
        guard !types.isEmpty else { return [] }
        let typeList = SQLStatement.join(types.map { "\($0)" }, separator: ", ")
        return try await self.selectIn("user_id", userIDs) { condition in
            """
            SELECT \(unsafeRaw: Self.resourceColumns) FROM resources WHERE \(condition)
                AND resource_type IN (\(typeList)) AND started_at < \(.time(end))
                AND (deleted_at IS NULL OR deleted_at > \(.time(start)))
            ORDER BY user_id, id
            """
        }.map(Self.decodeResource)
    }

    func timelines(resourceIDs: [String]) async throws -> [String: [TimelineRecord]] {
        let rows = try await self.selectIn("resource_id", resourceIDs) { condition in
            """
            SELECT resource_id, message_id, action, time, CAST(rate AS TEXT) AS rate, properties, policy_id, reprice,
                previous_policy_id
            FROM resource_events WHERE \(condition) ORDER BY seq
            """
        }
        var result: [String: [TimelineRecord]] = [:]
        for row in rows {
            let record = try Self.decodeTimelineRecord(row, resourceID: try row.text("resource_id"))
            result[record.resourceID, default: []].append(record)
        }
        return result
    }

    func insertReratingPreview(id: String, request: ReratingRequest, createdAt: BillingTime) async throws {
        try await self.query(
            """
            INSERT INTO reratings (id, request, start_time, end_time, created_at)
            VALUES (\(id), \(try Self.jsonText(request.jsonValue)), \(.time(request.startTime)),
                \(.time(request.endTime)), \(.time(createdAt)))
            """
        )
    }

    func rerating(_ id: String, lock: Bool) async throws -> StoredRerating? {
        let suffix = lock ? self.dialect.forUpdate : ""
        let rows = try await self.query(
            """
            SELECT id, request, created_at, applied_at, reason, progress, result FROM reratings WHERE id = \(id)\
            \(unsafeRaw: suffix)
            """
        )
        guard let row = rows.first else { return nil }
        return try Self.decodeRerating(row)
    }

    func reratedUntil() async throws -> BillingTime? {
        let rows = try await self.query("SELECT MAX(end_time) AS until FROM reratings WHERE applied_at IS NOT NULL")
        return try rows.first?.optionalTime("until")
    }

    func appliedReratings(endingAfter time: BillingTime) async throws -> [Rerating] {
        let rows = try await self.query(
            """
            SELECT id, request, created_at, applied_at, reason, progress, result FROM reratings
            WHERE applied_at IS NOT NULL AND end_time > \(.time(time)) ORDER BY applied_at, id
            """
        )
        return try rows.compactMap { try Self.decodeRerating($0).applied }
    }

    static func decodeRerating(_ row: SQLRow) throws -> StoredRerating {
        let id = try row.text("id")
        let request: ReratingRequest
        do {
            request = try ReratingRequest(jsonValue: try row.json("request"))
        } catch let error as BileanError {
            throw StoreError.corrupt("request", error.message)
        }
        var applied: Rerating?
        var progress: ReratingProgress?
        if let reason = try row.optionalText("reason") {
            guard let result = try row.json("result").objectValue,
                let count = result["consumptions"]?.scalarText.flatMap({ Int($0) })
            else { throw StoreError.corrupt("result", "not a re-rating result") }
            if let appliedAt = try row.optionalTime("applied_at") {
                guard let lineValues = result["lines"]?.arrayValue else {
                    throw StoreError.corrupt("result", "no lines")
                }
                var lines: [ReratingLine] = []
                for value in lineValues {
                    do throws(BileanError) {
                        lines.append(try ReratingLine(jsonValue: value))
                    } catch {
                        throw StoreError.corrupt("result", error.message)
                    }
                }
                applied = Rerating(
                    id: id,
                    request: request,
                    reason: reason,
                    previewedAt: try row.time("created_at"),
                    appliedAt: appliedAt,
                    lines: lines,
                    consumptions: count
                )
            } else {
                progress = ReratingProgress(
                    reason: reason,
                    after: try row.optionalText("progress"),
                    consumptions: count
                )
            }
        }
        return StoredRerating(
            id: id,
            request: request,
            createdAt: try row.time("created_at"),
            applied: applied,
            progress: progress
        )
    }

    func saveReratingProgress(_ id: String, _ progress: ReratingProgress, lines: [ReratingLine]) async throws {
        let result: JSONValue = .object(["consumptions": .number("\(progress.consumptions)")])
        try await self.query(
            """
            UPDATE reratings SET reason = \(progress.reason), progress = \(.optionalText(progress.after)),
                result = \(try Self.jsonText(result))
            WHERE id = \(id)
            """
        )
        let rows = lines.map { line -> SQLStatement in
            """
            (\(id), \(line.userID), \(line.resourceType), \(line.resources), \(line.current.description),
                \(line.draft.description))
            """
        }
        try await self.insertRows(
            "INSERT INTO rerating_lines (rerating_id, user_id, resource_type, resources, current_cost, draft_cost)",
            rows
        )
    }

    func reratingLines(_ id: String) async throws -> [ReratingLine] {
        let rows = try await self.query(
            """
            SELECT user_id, resource_type, resources, current_cost, draft_cost FROM rerating_lines
            WHERE rerating_id = \(id) ORDER BY user_id, resource_type
            """
        )
        return try rows.map { row in
            ReratingLine(
                userID: try row.text("user_id"),
                resourceType: try row.text("resource_type"),
                resources: Int(try row.integer("resources")),
                current: try row.money("current_cost"),
                draft: try row.money("draft_cost")
            )
        }
    }

    func markReratingApplied(_ rerating: Rerating) async throws {
        let result: JSONValue = .object([
            "lines": .array(rerating.lines.map(\.jsonValue)),
            "consumptions": .number("\(rerating.consumptions)"),
        ])
        try await self.query(
            """
            UPDATE reratings SET applied_at = \(.time(rerating.appliedAt)), reason = \(rerating.reason),
                result = \(try Self.jsonText(result))
            WHERE id = \(rerating.id)
            """
        )
    }
}
