import BileanCore
package import Logging

/// The schema, as an ordered list of migrations, and the runner that applies the missing ones at start.
package enum Migrations {
    /// Every migration, in order. Never edit a released one: add a new one.
    static let all: [Migration] = [
        Migration(
            version: 1,
            name: "initial schema",
            statements: [
                """
                CREATE TABLE users (
                    id TEXT PRIMARY KEY,
                    name TEXT,
                    policy_id TEXT,
                    balance {MONEY} NOT NULL,
                    rate {BIGNUM} NOT NULL,
                    credit {MONEY} NOT NULL,
                    last_bill BIGINT,
                    status TEXT NOT NULL,
                    status_reason TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT,
                    deleted_at BIGINT
                )
                """,
                "CREATE INDEX users_created ON users (created_at, id)",
                "CREATE INDEX users_policy ON users (policy_id)",
                """
                CREATE TABLE rules (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    type TEXT NOT NULL,
                    resource_type TEXT NOT NULL,
                    spec TEXT NOT NULL,
                    metadata TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT,
                    deleted_at BIGINT
                )
                """,
                "CREATE INDEX rules_created ON rules (created_at, id)",
                """
                CREATE TABLE policies (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    is_default SMALLINT NOT NULL,
                    metadata TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT,
                    deleted_at BIGINT
                )
                """,
                "CREATE INDEX policies_created ON policies (created_at, id)",
                """
                CREATE TABLE policy_rules (
                    policy_id TEXT NOT NULL,
                    resource_type TEXT NOT NULL,
                    rule_id TEXT NOT NULL,
                    PRIMARY KEY (policy_id, resource_type)
                )
                """,
                "CREATE INDEX policy_rules_rule ON policy_rules (rule_id)",
                """
                CREATE TABLE resources (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    resource_type TEXT NOT NULL,
                    rule_id TEXT,
                    properties TEXT NOT NULL,
                    rate {BIGNUM} NOT NULL,
                    started_at BIGINT,
                    deleted_at BIGINT,
                    billed_until BIGINT,
                    accrued {BIGNUM} NOT NULL,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT
                )
                """,
                "CREATE INDEX resources_user ON resources (user_id, deleted_at)",
                "CREATE INDEX resources_created ON resources (created_at, id)",
                """
                CREATE TABLE resource_events (
                    seq {SERIAL},
                    message_id TEXT NOT NULL,
                    resource_id TEXT NOT NULL,
                    action TEXT NOT NULL,
                    time BIGINT NOT NULL,
                    rate {BIGNUM} NOT NULL,
                    properties TEXT NOT NULL,
                    policy_id TEXT,
                    reprice SMALLINT NOT NULL,
                    previous_policy_id TEXT
                )
                """,
                "CREATE INDEX resource_events_resource ON resource_events (resource_id)",
                """
                CREATE TABLE consumptions (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    resource_id TEXT NOT NULL,
                    resource_type TEXT NOT NULL,
                    start_time BIGINT NOT NULL,
                    end_time BIGINT NOT NULL,
                    rate {BIGNUM} NOT NULL,
                    cost {MONEY} NOT NULL,
                    cause TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX consumptions_user_time ON consumptions (user_id, end_time)",
                "CREATE INDEX consumptions_time ON consumptions (end_time)",
                """
                CREATE TABLE recharges (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    value {MONEY} NOT NULL,
                    timestamp BIGINT NOT NULL,
                    metadata TEXT NOT NULL
                )
                """,
                "CREATE INDEX recharges_user_time ON recharges (user_id, timestamp)",
                """
                CREATE TABLE events (
                    id TEXT PRIMARY KEY,
                    timestamp BIGINT NOT NULL,
                    obj_id TEXT NOT NULL,
                    obj_type TEXT NOT NULL,
                    obj_name TEXT,
                    action TEXT NOT NULL,
                    user_id TEXT,
                    level TEXT NOT NULL,
                    status TEXT,
                    status_reason TEXT,
                    metadata TEXT NOT NULL
                )
                """,
                "CREATE INDEX events_user_time ON events (user_id, timestamp)",
                "CREATE INDEX events_time ON events (timestamp)",
                """
                CREATE TABLE jobs (
                    user_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    run_at BIGINT NOT NULL,
                    owner TEXT,
                    lease_until BIGINT,
                    PRIMARY KEY (user_id, kind)
                )
                """,
                "CREATE INDEX jobs_run_at ON jobs (run_at)",
                """
                CREATE TABLE processed_messages (
                    message_id TEXT PRIMARY KEY,
                    processed_at BIGINT NOT NULL
                )
                """,
            ]
        ),
        Migration(
            version: 2,
            name: "rejected notifications",
            statements: [
                """
                CREATE TABLE rejected_notifications (
                    id TEXT PRIMARY KEY,
                    received_at BIGINT NOT NULL,
                    message_id TEXT,
                    event_type TEXT,
                    publisher_id TEXT,
                    code TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    exchange TEXT NOT NULL,
                    routing_key TEXT NOT NULL,
                    body_size BIGINT NOT NULL,
                    body_excerpt TEXT NOT NULL
                )
                """,
                "CREATE INDEX rejected_notifications_time ON rejected_notifications (received_at)",
                // Unique: a message id is set aside once, even by concurrent listeners (NULLs stay distinct).
                "CREATE UNIQUE INDEX rejected_notifications_message ON rejected_notifications (message_id)",
            ]
        ),
        Migration(
            version: 3,
            name: "scheduler: open-interval sums per user, billing.notify outbox, freeze actions",
            statements: [
                // Σ rate·billed_until and Σ rounding residue of each user's open intervals (see OpenAccrual), and
                // how many resources contribute; filled from the resources by the backfill below.
                "ALTER TABLE users ADD COLUMN open_weighted_start {BIGNUM} NOT NULL DEFAULT 0",
                "ALTER TABLE users ADD COLUMN open_residue {BIGNUM} NOT NULL DEFAULT 0",
                "ALTER TABLE users ADD COLUMN open_count BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE users ADD COLUMN frozen_at BIGINT",
                """
                CREATE TABLE notices (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    timestamp BIGINT NOT NULL,
                    payload TEXT NOT NULL,
                    created_at BIGINT NOT NULL,
                    lease_until BIGINT
                )
                """,
                "CREATE INDEX notices_created ON notices (created_at, id)",
                """
                CREATE TABLE cloud_actions (
                    id TEXT PRIMARY KEY,
                    user_id TEXT NOT NULL,
                    resource_id TEXT NOT NULL,
                    resource_type TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    attempts INTEGER NOT NULL,
                    next_attempt_at BIGINT NOT NULL,
                    last_error TEXT,
                    created_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX cloud_actions_due ON cloud_actions (next_attempt_at)",
            ],
            backfill: Migrations.backfillOpenAccruals
        ),
        Migration(
            version: 4,
            name: "billing safety: listener lag, held freezes, grace period, servers stopped by a freeze",
            statements: [
                // Each listener's latest report: a freeze waits while one is behind (or silent).
                """
                CREATE TABLE listener_status (
                    listener TEXT PRIMARY KEY,
                    reported_at BIGINT NOT NULL,
                    queue_depth BIGINT NOT NULL,
                    oldest_held BIGINT NOT NULL,
                    caught_up_since BIGINT
                )
                """,
                // When a due job was first held for want of current data (bounds the hold by max_hold).
                "ALTER TABLE jobs ADD COLUMN held_since BIGINT",
                // The instant the balance reached −credit (the start of the grace period).
                "ALTER TABLE users ADD COLUMN overdrawn_at BIGINT",
                // The resources a freeze stopped, started again by a thaw with restart_on_thaw.
                """
                CREATE TABLE stopped_resources (
                    user_id TEXT NOT NULL,
                    resource_id TEXT NOT NULL,
                    resource_type TEXT NOT NULL,
                    stopped_at BIGINT NOT NULL,
                    PRIMARY KEY (user_id, resource_id)
                )
                """,
            ]
        ),
        Migration(
            version: 5,
            name: "the results of state-changing RPC calls, by idempotency key",
            statements: [
                """
                CREATE TABLE rpc_results (
                    idempotency_key TEXT PRIMARY KEY,
                    method TEXT NOT NULL,
                    result TEXT NOT NULL,
                    stored_at BIGINT NOT NULL
                )
                """,
                "CREATE INDEX rpc_results_stored_at ON rpc_results (stored_at)",
            ]
        ),
        Migration(
            version: 6,
            name: "retention: processed messages by time",
            statements: [
                // Pruning past `[database] processed_message_retention` reads the oldest ids first. (Rejected
                // notifications are pruned by `received_at`, indexed since version 2: rejected_notifications_time.)
                "CREATE INDEX processed_messages_processed_at ON processed_messages (processed_at)"
            ]
        ),
        Migration(
            version: 7,
            name: "shadow re-rating: previews and applies, consumption reasons",
            statements: [
                // A preview's request (kept so that it can be applied by id) and, once applied, the apply's result.
                """
                CREATE TABLE reratings (
                    id TEXT PRIMARY KEY,
                    request TEXT NOT NULL,
                    start_time BIGINT NOT NULL,
                    end_time BIGINT NOT NULL,
                    created_at BIGINT NOT NULL,
                    applied_at BIGINT,
                    reason TEXT,
                    progress TEXT,
                    result TEXT
                )
                """,
                // The lines of an apply under way, a batch of users at a time (kept whole in `result` once applied).
                """
                CREATE TABLE rerating_lines (
                    rerating_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    resource_type TEXT NOT NULL,
                    resources BIGINT NOT NULL,
                    current_cost TEXT NOT NULL,
                    draft_cost TEXT NOT NULL,
                    PRIMARY KEY (rerating_id, user_id, resource_type)
                )
                """,
                "ALTER TABLE consumptions ADD COLUMN reason TEXT",
                "ALTER TABLE consumptions ADD COLUMN rerating_id TEXT",
            ]
        ),
        Migration(
            version: 8,
            name: "inventory reconciliation: runs, findings, when a run last listed a resource, estimated lines",
            statements: [
                """
                CREATE TABLE reconciliation_runs (
                    id TEXT PRIMARY KEY,
                    started_at BIGINT NOT NULL,
                    finished_at BIGINT NOT NULL,
                    repair INTEGER NOT NULL,
                    listed TEXT NOT NULL,
                    failed TEXT NOT NULL
                )
                """,
                "CREATE INDEX reconciliation_runs_finished ON reconciliation_runs (finished_at)",
                """
                CREATE TABLE reconciliation_findings (
                    run_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    resource_id TEXT NOT NULL,
                    resource_type TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    action TEXT NOT NULL,
                    effective_at BIGINT,
                    estimated INTEGER NOT NULL,
                    evidence TEXT NOT NULL,
                    PRIMARY KEY (run_id, seq)
                )
                """,
                "ALTER TABLE resources ADD COLUMN seen_at BIGINT",
                "CREATE INDEX resources_type ON resources (resource_type, id)",
                "ALTER TABLE consumptions ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0",
                // Periodic tasks that one scheduler of several runs at a time (the reconciliation).
                """
                CREATE TABLE leases (
                    name TEXT PRIMARY KEY,
                    owner TEXT NOT NULL,
                    lease_until BIGINT NOT NULL,
                    next_at BIGINT NOT NULL
                )
                """,
            ]
        ),
        Migration(
            version: 9,
            name: "applied re-ratings by end time",
            statements: [
                // Every batch of notifications asks how far the applied re-ratings reach (MAX(end_time) of the
                // applied ones): a seek in this index, not a scan of every preview ever kept.
                "CREATE INDEX reratings_applied_end ON reratings (end_time) WHERE applied_at IS NOT NULL"
            ]
        ),
    ]

    /// The newest schema version.
    package static var latestVersion: Int { Self.all.last?.version ?? 0 }

    /// Applies every migration the database lacks, each in its own transaction. Safe to run from several
    /// processes at once: PostgreSQL takes an advisory lock, SQLite's write lock serialises.
    /// - Parameters:
    ///   - driver: The database.
    ///   - logger: The logger.
    /// - Returns: The versions applied now.
    /// - Throws: ``StoreError`` (`migration`) when a migration fails (it is rolled back), or when the database's
    ///   schema is newer than this program knows (a newer release migrated it: this process must be upgraded too).
    @discardableResult
    package static func run(on driver: any SQLDriver, logger: Logger) async throws -> [Int] {
        var applied: [Int] = []
        let found = try await driver.withTransaction { connection in
            try await Self.newestApplied(on: connection)
        }
        if let found, found > Self.latestVersion {
            throw StoreError(
                .migration,
                """
                the database schema is at version \(found), newer than this bilean-server knows \
                (\(Self.latestVersion)): a newer release migrated it; upgrade this process too
                """
            )
        }
        for migration in Self.all {
            let ran = try await driver.withTransaction { connection in
                try await Self.apply(migration, on: connection)
            }
            if ran {
                logger.info(
                    "applied schema migration",
                    metadata: ["version": "\(migration.version)", "name": "\(migration.name)"]
                )
                applied.append(migration.version)
            }
        }
        return applied
    }

    /// The newest version recorded in `schema_migrations`, or `nil` before the first migration.
    private static func newestApplied(on connection: any SQLConnection) async throws -> Int? {
        let exists: [SQLRow]
        if connection.dialect == .postgres {
            // Under the migrations' lock: not while a newer process is half-way through migrating.
            try await connection.query("SELECT pg_advisory_xact_lock(7261900)")
            exists = try await connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS found")
        } else {
            exists = try await connection.query(
                "SELECT count(*) AS found FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
            )
        }
        guard try exists.first?.integer("found") == 1 else { return nil }
        let rows = try await connection.query("SELECT max(version) AS newest FROM schema_migrations")
        return try rows.first?.optionalInteger("newest").map { Int($0) }
    }

    private static func apply(_ migration: Migration, on connection: any SQLConnection) async throws -> Bool {
        if connection.dialect == .postgres {
            try await connection.query("SELECT pg_advisory_xact_lock(7261900)")
        }
        try await connection.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"
        )
        let done = try await connection.query(
            "SELECT version FROM schema_migrations WHERE version = \(migration.version)"
        )
        guard done.isEmpty else { return false }
        do {
            for statement in migration.statements(for: connection.dialect) {
                try await connection.query(SQLStatement(stringLiteral: statement))
            }
            try await migration.backfill?(connection)
            try await connection.query(
                "INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))"
            )
        } catch {
            throw StoreError(.migration, "schema migration \(migration.version) failed", underlying: error)
        }
        return true
    }

    /// Fills the users' open-interval sums from their live resources (migration 3), in the migration's transaction.
    package static func backfillOpenAccruals(_ connection: any SQLConnection) async throws {
        let rows = try await connection.query(
            """
            SELECT user_id, CAST(rate AS TEXT) AS rate, started_at, deleted_at, billed_until,
                CAST(accrued AS TEXT) AS accrued
            FROM resources WHERE deleted_at IS NULL AND started_at IS NOT NULL ORDER BY user_id
            """
        )
        var sums: [String: OpenAccrual] = [:]
        for row in rows {
            let billing = ResourceBilling(
                startedAt: try row.optionalTime("started_at"),
                deletedAt: try row.optionalTime("deleted_at"),
                rate: Rate(unitsPerHour: try row.bigInteger("rate")),
                billedUntil: try row.optionalTime("billed_until"),
                accrued: try row.bigInteger("accrued")
            )
            sums[try row.text("user_id"), default: .zero] =
                sums[try row.text("user_id"), default: .zero]
                + OpenAccrual.contribution(of: billing)
        }
        for (userID, sum) in sums.sorted(by: { $0.key < $1.key }) where sum != .zero {
            try await connection.query(
                """
                UPDATE users SET open_weighted_start = \(.bigInteger(sum.weightedStart)),
                    open_residue = \(.bigInteger(sum.residue)), open_count = \(sum.count) WHERE id = \(userID)
                """
            )
        }
    }
}
