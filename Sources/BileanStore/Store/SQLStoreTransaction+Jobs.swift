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
            leaseUntil: try row.optionalTime("lease_until")
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
            "SELECT user_id, kind, run_at, owner, lease_until FROM jobs WHERE user_id = \(userID) ORDER BY run_at, kind"
        )
        return try rows.map(Self.decodeJob)
    }

    func dueJobs(at time: BillingTime, limit: Int) async throws -> [Job] {
        let rows = try await self.query(
            """
            SELECT user_id, kind, run_at, owner, lease_until FROM jobs WHERE run_at <= \(.time(time))
            ORDER BY run_at, user_id, kind LIMIT \(limit)
            """
        )
        return try rows.map(Self.decodeJob)
    }
}
