import BileanCore

extension SQLStoreTransaction {
    func reconciliationResources(type: String, after: String?, limit: Int) async throws -> [BilledResource] {
        var statement: SQLStatement = """
            SELECT r.id, r.user_id, r.resource_type, r.properties, r.started_at, r.seen_at,
                (SELECT MAX(e.time) FROM resource_events e WHERE e.resource_id = r.id) AS last_event_at,
                CASE WHEN EXISTS (
                    SELECT 1 FROM resource_events c WHERE c.resource_id = r.id AND c.action = 'create'
                        AND c.message_id NOT LIKE 'reconcile-%'
                ) THEN 1 ELSE 0 END AS has_creation
            FROM resources r WHERE r.resource_type = \(type) AND r.deleted_at IS NULL
            """
        if let after { statement.append(" AND r.id > \(after)") }
        statement.append(" ORDER BY r.id LIMIT \(.integer(Int64(limit)))")
        return try await self.query(statement).map { row in
            guard case .object(let properties) = try row.json("properties") else {
                throw StoreError.corrupt("properties", "not an object")
            }
            return BilledResource(
                resourceID: try row.text("id"),
                userID: try row.text("user_id"),
                resourceType: try row.text("resource_type"),
                properties: properties,
                startedAt: try row.optionalTime("started_at"),
                seenAt: try row.optionalTime("seen_at"),
                lastEventAt: try row.optionalTime("last_event_at"),
                hasCreation: try row.integer("has_creation") != 0
            )
        }
    }

    func markSeen(resourceIDs: [String], at time: BillingTime) async throws {
        _ = try await self.selectIn("id", resourceIDs) { condition in
            "UPDATE resources SET seen_at = \(.time(time)) WHERE \(condition)"
        }
    }

    func insertReconciliationRun(_ run: ReconciliationRun) async throws {
        let listed = JSONValue.object(run.listed.mapValues { .number("\($0)") })
        let failed = JSONValue.object(run.failed.mapValues(JSONValue.string))
        try await self.query(
            """
            INSERT INTO reconciliation_runs (id, started_at, finished_at, repair, listed, failed)
            VALUES (\(run.id), \(.time(run.startedAt)), \(.time(run.finishedAt)), \(run.repair ? 1 : 0),
                \(try Self.jsonText(listed)), \(try Self.jsonText(failed)))
            """
        )
        var rows: [SQLStatement] = []
        for (index, finding) in run.findings.enumerated() {
            rows.append(
                """
                (\(run.id), \(.integer(Int64(index))), \(finding.resourceID), \(finding.resourceType),
                    \(finding.userID), \(finding.kind.rawValue), \(finding.action.rawValue),
                    \(.time(finding.effectiveAt)), \(finding.estimated ? 1 : 0), \(try Self.jsonText(finding.evidence)))
                """
            )
        }
        try await self.insertRows(
            """
            INSERT INTO reconciliation_findings (run_id, seq, resource_id, resource_type, user_id, kind, action,
                effective_at, estimated, evidence)
            """,
            rows
        )
    }

    func reconciliationRun(_ id: String) async throws -> ReconciliationRun? {
        let rows = try await self.query(
            "SELECT id, started_at, finished_at, repair, listed, failed FROM reconciliation_runs WHERE id = \(id)"
        )
        guard let row = rows.first else { return nil }
        return try await self.decodeReconciliationRun(row)
    }

    func reconciliationRuns(limit: Int) async throws -> [ReconciliationRun] {
        let rows = try await self.query(
            """
            SELECT id, started_at, finished_at, repair, listed, failed FROM reconciliation_runs
            ORDER BY finished_at DESC, id DESC LIMIT \(.integer(Int64(limit)))
            """
        )
        var runs: [ReconciliationRun] = []
        for row in rows { runs.append(try await self.decodeReconciliationRun(row)) }
        return runs
    }

    private func decodeReconciliationRun(_ row: SQLRow) async throws -> ReconciliationRun {
        let id = try row.text("id")
        guard let listedObject = try row.json("listed").objectValue,
            let failedObject = try row.json("failed").objectValue
        else { throw StoreError.corrupt("listed", "not an object") }
        var listed: [String: Int] = [:]
        for (type, value) in listedObject {
            guard let count = value.scalarText.flatMap({ Int($0) }) else { throw StoreError.corrupt("listed", type) }
            listed[type] = count
        }
        var failed: [String: String] = [:]
        for (type, value) in failedObject {
            guard let reason = value.stringValue else { throw StoreError.corrupt("failed", type) }
            failed[type] = reason
        }
        let findingRows = try await self.query(
            """
            SELECT resource_id, resource_type, user_id, kind, action, effective_at, estimated, evidence
            FROM reconciliation_findings WHERE run_id = \(id) ORDER BY seq
            """
        )
        let findings = try findingRows.map { finding in
            let kindText = try finding.text("kind")
            let actionText = try finding.text("action")
            guard let kind = ReconciliationFinding.Kind(rawValue: kindText) else {
                throw StoreError.corrupt("kind", kindText)
            }
            guard let action = ReconciliationFinding.Action(rawValue: actionText) else {
                throw StoreError.corrupt("action", actionText)
            }
            return ReconciliationFinding(
                resourceID: try finding.text("resource_id"),
                resourceType: try finding.text("resource_type"),
                userID: try finding.text("user_id"),
                kind: kind,
                action: action,
                effectiveAt: try finding.optionalTime("effective_at"),
                estimated: try finding.integer("estimated") != 0,
                evidence: try finding.json("evidence")
            )
        }
        return ReconciliationRun(
            id: id,
            startedAt: try row.time("started_at"),
            finishedAt: try row.time("finished_at"),
            repair: try row.integer("repair") != 0,
            listed: listed,
            failed: failed,
            findings: findings
        )
    }

    func claimLease(
        _ name: String,
        owner: String,
        now: BillingTime,
        leaseUntil: BillingTime,
        nextAt: BillingTime
    ) async throws -> Bool {
        // Inserted due at once the first time; then one conditional update decides, atomically.
        try await self.query(
            """
            INSERT INTO leases (name, owner, lease_until, next_at) VALUES (\(name), '', 0, 0)
            ON CONFLICT (name) DO NOTHING
            """
        )
        let rows = try await self.query(
            """
            UPDATE leases SET owner = \(owner), lease_until = \(.time(leaseUntil)), next_at = \(.time(nextAt))
            WHERE name = \(name) AND next_at <= \(.time(now)) AND (lease_until < \(.time(now)) OR owner = \(owner))
            RETURNING name
            """
        )
        return !rows.isEmpty
    }
}
