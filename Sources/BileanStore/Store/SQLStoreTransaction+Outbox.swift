import BileanCore

extension SQLStoreTransaction {
    func insertNotices(_ notices: [BillingNotice]) async throws {
        var rows: [SQLStatement] = []
        for notice in notices {
            rows.append(
                """
                (\(notice.id), \(notice.userID), \(notice.reason.rawValue), \(.time(notice.timestamp)),
                    \(try Self.jsonText(notice.payload)), \(.time(notice.createdAt)))
                """
            )
        }
        _ = try await self.insertRows("INSERT INTO notices (id, user_id, reason, timestamp, payload, created_at)", rows)
    }

    func claimNotices(now: BillingTime, leaseUntil: BillingTime, limit: Int) async throws -> [BillingNotice] {
        // The oldest notices no publisher holds, leased so that concurrent schedulers publish different ones.
        let rows = try await self.query(
            """
            UPDATE notices SET lease_until = \(.time(leaseUntil))
            WHERE id IN (
                SELECT id FROM notices WHERE lease_until IS NULL OR lease_until < \(.time(now))
                ORDER BY created_at, timestamp, reason, id LIMIT \(limit)\(unsafeRaw: self.dialect.forUpdateSkipLocked))
            RETURNING id, user_id, reason, timestamp, payload, created_at
            """
        )
        return try rows.map(Self.decodeNotice).sorted {
            ($0.createdAt, $0.timestamp, $0.reason.rawValue, $0.id) < (
                $1.createdAt, $1.timestamp, $1.reason.rawValue, $1.id
            )
        }
    }

    func releaseNotices(ids: [String]) async throws {
        _ = try await self.selectIn("id", ids) { condition in
            "UPDATE notices SET lease_until = NULL WHERE \(condition)"
        }
    }

    static func decodeNotice(_ row: SQLRow) throws -> BillingNotice {
        let reasonText = try row.text("reason")
        guard let reason = BillingNotice.Reason(rawValue: reasonText) else {
            throw StoreError.corrupt("reason", reasonText)
        }
        return BillingNotice(
            id: try row.text("id"),
            userID: try row.text("user_id"),
            reason: reason,
            timestamp: try row.time("timestamp"),
            payload: try row.json("payload"),
            createdAt: try row.time("created_at")
        )
    }

    func deleteNotices(ids: [String]) async throws {
        _ = try await self.selectIn("id", ids) { condition in "DELETE FROM notices WHERE \(condition)" }
    }

    static let cloudActionColumns = """
        id, user_id, resource_id, resource_type, kind, attempts, next_attempt_at, last_error, created_at
        """

    func insertCloudActions(_ actions: [CloudAction]) async throws {
        let rows = actions.map { action -> SQLStatement in
            """
            (\(action.id), \(action.userID), \(action.resourceID), \(action.resourceType), \(action.kind.rawValue),
                \(action.attempts), \(.time(action.nextAttemptAt)), \(.optionalText(action.lastError)),
                \(.time(action.createdAt)))
            """
        }
        _ = try await self.insertRows("INSERT INTO cloud_actions (\(Self.cloudActionColumns))", rows)
    }

    func claimCloudActions(
        at time: BillingTime,
        leaseUntil: BillingTime,
        limit: Int,
        dataCurrent: Bool,
        stopsCreatedBy: BillingTime
    ) async throws -> [CloudAction] {
        // Due freeze actions of users still frozen, and restarts of users no longer frozen, pushed past the lease
        // so that no other runner takes them meanwhile; the returned rows keep their due time (the lease is not an
        // attempt). While the billing data is not current, only restarts and the stops whose freeze waited
        // max_hold may go.
        let frozen: SQLStatement = "SELECT id FROM users WHERE status = \(UserStatus.freeze.rawValue)"
        var held: SQLStatement = ""
        if !dataCurrent {
            held = """
                 AND (kind = \(CloudAction.Kind.start.rawValue)
                    OR (kind = \(CloudAction.Kind.stop.rawValue) AND created_at <= \(.time(stopsCreatedBy))))
                """
        }
        let rows = try await self.query(
            """
            UPDATE cloud_actions SET next_attempt_at = \(.time(leaseUntil))
            WHERE id IN (
                SELECT id FROM cloud_actions
                WHERE next_attempt_at <= \(.time(time))\(held)
                    AND ((kind = \(CloudAction.Kind.start.rawValue) AND user_id NOT IN (\(frozen)))
                        OR (kind <> \(CloudAction.Kind.start.rawValue) AND user_id IN (\(frozen))))
                ORDER BY next_attempt_at, id LIMIT \(limit)\(unsafeRaw: self.dialect.forUpdateSkipLocked))
            RETURNING \(unsafeRaw: Self.cloudActionColumns)
            """
        )
        return try rows.map(Self.decodeCloudAction).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    func deleteCloudActions(userID: String, kind: CloudAction.Kind) async throws {
        try await self.query("DELETE FROM cloud_actions WHERE user_id = \(userID) AND kind = \(kind.rawValue)")
    }

    func deleteCloudActions(userID: String) async throws {
        try await self.query("DELETE FROM cloud_actions WHERE user_id = \(userID)")
    }

    func cloudActions(userID: String) async throws -> [CloudAction] {
        let rows = try await self.query(
            """
            SELECT \(unsafeRaw: Self.cloudActionColumns) FROM cloud_actions WHERE user_id = \(userID)
            ORDER BY created_at, id
            """
        )
        return try rows.map(Self.decodeCloudAction)
    }

    func cloudAction(_ id: String) async throws -> CloudAction? {
        let rows = try await self.query(
            "SELECT \(unsafeRaw: Self.cloudActionColumns) FROM cloud_actions WHERE id = \(id)\(unsafeRaw: self.dialect.forUpdate)"
        )
        return try rows.first.map(Self.decodeCloudAction)
    }

    func updateCloudAction(_ action: CloudAction) async throws {
        try await self.query(
            """
            UPDATE cloud_actions SET attempts = \(action.attempts), next_attempt_at = \(.time(action.nextAttemptAt)),
                last_error = \(.optionalText(action.lastError)) WHERE id = \(action.id)
            """
        )
    }

    func deleteCloudAction(_ id: String) async throws {
        try await self.query("DELETE FROM cloud_actions WHERE id = \(id)")
    }

    static func decodeCloudAction(_ row: SQLRow) throws -> CloudAction {
        let kindText = try row.text("kind")
        guard let kind = CloudAction.Kind(rawValue: kindText) else { throw StoreError.corrupt("kind", kindText) }
        return CloudAction(
            id: try row.text("id"),
            userID: try row.text("user_id"),
            resourceID: try row.text("resource_id"),
            resourceType: try row.text("resource_type"),
            kind: kind,
            attempts: Int(try row.integer("attempts")),
            nextAttemptAt: try row.time("next_attempt_at"),
            lastError: try row.optionalText("last_error"),
            createdAt: try row.time("created_at")
        )
    }
}

extension SQLStoreTransaction {
    func insertStoppedResource(
        userID: String,
        resourceID: String,
        resourceType: String,
        at time: BillingTime
    )
        async throws
    {
        try await self.query(
            """
            INSERT INTO stopped_resources (user_id, resource_id, resource_type, stopped_at)
            VALUES (\(userID), \(resourceID), \(resourceType), \(.time(time)))
            ON CONFLICT (user_id, resource_id) DO NOTHING
            """
        )
    }

    func stoppedResources(userID: String) async throws -> [(resourceID: String, resourceType: String)] {
        let rows = try await self.query(
            "SELECT resource_id, resource_type FROM stopped_resources WHERE user_id = \(userID) ORDER BY resource_id"
        )
        return try rows.map { (try $0.text("resource_id"), try $0.text("resource_type")) }
    }

    func deleteStoppedResources(userID: String) async throws {
        try await self.query("DELETE FROM stopped_resources WHERE user_id = \(userID)")
    }

    func recordListenerReport(_ report: ListenerReport, at time: BillingTime, withinLimits: Bool) async throws {
        let since: BillingTime? = withinLimits ? time : nil
        // A report older than the one recorded (an idle heartbeat that waited for a batch's lock) changes nothing.
        try await self.query(
            """
            INSERT INTO listener_status (listener, reported_at, queue_depth, oldest_held, caught_up_since)
            VALUES (\(report.listener), \(.time(time)), \(report.queueDepth), \(report.oldestHeldSeconds),
                \(.time(since)))
            ON CONFLICT (listener) DO UPDATE SET reported_at = excluded.reported_at,
                queue_depth = excluded.queue_depth, oldest_held = excluded.oldest_held,
                caught_up_since = CASE WHEN excluded.caught_up_since IS NULL THEN NULL
                    ELSE COALESCE(listener_status.caught_up_since, excluded.caught_up_since) END
            WHERE excluded.reported_at >= listener_status.reported_at
            """
        )
    }

    func listenerStatuses() async throws -> [ListenerStatus] {
        let rows = try await self.query(
            """
            SELECT listener, reported_at, queue_depth, oldest_held, caught_up_since FROM listener_status
            ORDER BY listener
            """
        )
        return try rows.map { row in
            ListenerStatus(
                listener: try row.text("listener"),
                reportedAt: try row.time("reported_at"),
                queueDepth: try row.integer("queue_depth"),
                oldestHeldSeconds: try row.integer("oldest_held"),
                caughtUpSince: try row.optionalTime("caught_up_since")
            )
        }
    }

    func operationalCounts() async throws -> OperationalCounts {
        var users: [UserStatus: Int64] = [:]
        let rows = try await self.query(
            "SELECT status, COUNT(*) AS n FROM users WHERE deleted_at IS NULL GROUP BY status"
        )
        for row in rows {
            // A status this release does not know (written by a later one) is not shown.
            if let status = UserStatus(rawValue: try row.text("status")) { users[status] = try row.integer("n") }
        }
        let notices = try await self.query("SELECT COUNT(*) AS n FROM notices")
        let actions = try await self.query("SELECT COUNT(*) AS n FROM cloud_actions")
        return OperationalCounts(
            usersByStatus: users,
            pendingNotices: try notices.first?.integer("n") ?? 0,
            pendingCloudActions: try actions.first?.integer("n") ?? 0
        )
    }

    func schemaVersion() async throws -> Int? {
        let rows = try await self.query("SELECT max(version) AS newest FROM schema_migrations")
        return try rows.first?.optionalInteger("newest").map { Int($0) }
    }

    func deleteListenerStatus(_ listener: String) async throws -> Bool {
        let rows = try await self.query(
            "DELETE FROM listener_status WHERE listener = \(listener) RETURNING listener"
        )
        return !rows.isEmpty
    }
}
