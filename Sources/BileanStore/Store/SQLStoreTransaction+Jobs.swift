import BileanCore

extension SQLStoreTransaction {
    static func decodeJob(_ row: SQLRow) throws -> Job {
        let kindText = try row.text("kind")
        guard let kind = Job.Kind(rawValue: kindText) else { throw StoreError.corrupt("kind", kindText) }
        return Job(
            userID: try row.text("user_id"),
            kind: kind,
            runAt: try row.time("run_at"),
            owner: try row.optionalText("owner"),
            leaseUntil: try row.optionalTime("lease_until"),
            heldSince: try row.optionalTime("held_since")
        )
    }

    func replaceJobs(userID: String, kinds: [Job.Kind], with jobs: [Job]) async throws {
        try await self.replaceJobs(userIDs: [userID], kinds: kinds, with: jobs)
    }

    func replaceJobs(userIDs: [String], kinds: [Job.Kind], with jobs: [Job]) async throws {
        if !kinds.isEmpty {
            let names = SQLStatement.join(kinds.map { "\($0.rawValue)" }, separator: ", ")
            _ = try await self.selectIn("user_id", userIDs) { condition in
                "DELETE FROM jobs WHERE \(condition) AND kind IN (\(names))"
            }
        }
        let rows = jobs.map { job -> SQLStatement in
            """
            (\(job.userID), \(job.kind.rawValue), \(.time(job.runAt)), \(.optionalText(job.owner)), \(.time(job.leaseUntil)))
            """
        }
        try await self.insertRows("INSERT INTO jobs (user_id, kind, run_at, owner, lease_until)", rows)
    }

    func jobs(userID: String) async throws -> [Job] {
        let rows = try await self.query(
            "SELECT \(unsafeRaw: Self.jobColumns) FROM jobs WHERE user_id = \(userID) ORDER BY run_at, kind"
        )
        return try rows.map(Self.decodeJob)
    }

    func dueJobs(at time: BillingTime, limit: Int) async throws -> [Job] {
        let rows = try await self.query(
            """
            SELECT \(unsafeRaw: Self.jobColumns) FROM jobs WHERE run_at <= \(.time(time))
            ORDER BY run_at, user_id, kind LIMIT \(limit)
            """
        )
        return try rows.map(Self.decodeJob)
    }
}

extension SQLStoreTransaction {
    static let jobColumns = "user_id, kind, run_at, owner, lease_until, held_since"

    func jobs(userIDs: [String]) async throws -> [Job] {
        try await self.selectIn("user_id", userIDs) { condition in
            "SELECT \(unsafeRaw: Self.jobColumns) FROM jobs WHERE \(condition) ORDER BY user_id, kind"
        }.map(Self.decodeJob)
    }

    func insertJobsIfAbsent(_ jobs: [Job]) async throws {
        let rows = jobs.map { job -> SQLStatement in
            "(\(job.userID), \(job.kind.rawValue), \(.time(job.runAt)), \(.optionalText(job.owner)), \(.time(job.leaseUntil)))"
        }
        _ = try await self.insertRows(
            "INSERT INTO jobs (user_id, kind, run_at, owner, lease_until)",
            rows,
            suffix: " ON CONFLICT (user_id, kind) DO NOTHING"
        )
    }

    func upsertJobs(_ jobs: [Job]) async throws {
        let rows = jobs.map { job -> SQLStatement in
            "(\(job.userID), \(job.kind.rawValue), \(.time(job.runAt)), \(.optionalText(job.owner)), \(.time(job.leaseUntil)))"
        }
        // A job whose run time did not change keeps its lease (its scheduler holds the same instant); a moved one
        // is free to be leased again. SET expressions all read the row as it was.
        _ = try await self.insertRows(
            "INSERT INTO jobs (user_id, kind, run_at, owner, lease_until)",
            rows,
            suffix: """
                 ON CONFLICT (user_id, kind) DO UPDATE SET run_at = excluded.run_at,
                    owner = CASE WHEN jobs.run_at = excluded.run_at THEN jobs.owner ELSE excluded.owner END,
                    lease_until = CASE WHEN jobs.run_at = excluded.run_at THEN jobs.lease_until
                        ELSE excluded.lease_until END,
                    held_since = CASE WHEN jobs.run_at = excluded.run_at THEN jobs.held_since ELSE NULL END
                """
        )
    }

    func deleteJobs(userIDs: [String], kinds: [Job.Kind]) async throws {
        guard !kinds.isEmpty else { return }
        let names = SQLStatement.join(kinds.map { "\($0.rawValue)" }, separator: ", ")
        _ = try await self.selectIn("user_id", userIDs) { condition in
            "DELETE FROM jobs WHERE \(condition) AND kind IN (\(names))"
        }
    }

    func claimJobs(
        owner: String,
        dueBy horizon: BillingTime,
        leaseUntil: BillingTime,
        now: BillingTime,
        limit: Int
    ) async throws -> [Job] {
        // One statement: the earliest jobs due by the horizon that nobody holds (no owner, or an expired lease) or
        // that this owner holds already (renewing its lease); PostgreSQL skips rows another claimer is taking.
        let rows = try await self.query(
            """
            UPDATE jobs SET owner = \(owner), lease_until = \(.time(leaseUntil))
            WHERE (user_id, kind) IN (
                SELECT user_id, kind FROM jobs
                WHERE run_at <= \(.time(horizon))
                    AND (owner IS NULL OR owner = \(owner) OR lease_until IS NULL OR lease_until < \(.time(now)))
                ORDER BY run_at, user_id, kind LIMIT \(limit)\(unsafeRaw: self.dialect.forUpdateSkipLocked))
            RETURNING \(unsafeRaw: Self.jobColumns)
            """
        )
        return try rows.map(Self.decodeJob).sorted {
            ($0.runAt, $0.userID, $0.kind.rawValue) < ($1.runAt, $1.userID, $1.kind.rawValue)
        }
    }

    func holdJob(_ job: Job, at now: BillingTime) async throws -> BillingTime {
        let rows = try await self.query(
            """
            UPDATE jobs SET held_since = COALESCE(held_since, \(.time(now)))
            WHERE user_id = \(job.userID) AND kind = \(job.kind.rawValue) RETURNING held_since
            """
        )
        return try rows.first.map { try $0.time("held_since") } ?? now
    }

    func releaseJobs(owner: String) async throws {
        try await self.query("UPDATE jobs SET owner = NULL, lease_until = NULL WHERE owner = \(owner)")
    }

}
