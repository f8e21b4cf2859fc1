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

    func claimCloudActions(at time: BillingTime, leaseUntil: BillingTime, limit: Int) async throws -> [CloudAction] {
        // Due actions of users still frozen, pushed past the lease so that no other runner takes them meanwhile;
        // the returned rows keep their due time (the lease is not an attempt).
        let rows = try await self.query(
            """
            UPDATE cloud_actions SET next_attempt_at = \(.time(leaseUntil))
            WHERE id IN (
                SELECT id FROM cloud_actions
                WHERE next_attempt_at <= \(.time(time))
                    AND user_id IN (SELECT id FROM users WHERE status = \(UserStatus.freeze.rawValue))
                ORDER BY next_attempt_at, id LIMIT \(limit)\(unsafeRaw: self.dialect.forUpdateSkipLocked))
            RETURNING \(unsafeRaw: Self.cloudActionColumns)
            """
        )
        return try rows.map(Self.decodeCloudAction).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
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
