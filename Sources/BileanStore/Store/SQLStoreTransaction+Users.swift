import BileanCore

extension SQLStoreTransaction {
    static let userColumns = """
        id, name, policy_id, CAST(balance AS TEXT) AS balance, CAST(rate AS TEXT) AS rate, \
        CAST(credit AS TEXT) AS credit, last_bill, status, status_reason, created_at, updated_at, deleted_at, \
        CAST(open_weighted_start AS TEXT) AS open_weighted_start, CAST(open_residue AS TEXT) AS open_residue, open_count, \
        frozen_at, overdrawn_at
        """

    static let userTable = TableSpec(
        table: "users",
        columns: userColumns,
        sortExpressions: [
            "id": "id", "name": "COALESCE(name, '')", "balance": "users.balance", "rate": "users.rate",
            "credit": "users.credit",
            "status": "status", "created_at": "created_at", "updated_at": "COALESCE(updated_at, 0)",
        ],
        filterColumns: [
            "name": .text("name"), "status": .text("status"),
            "policy_id": .text("policy_id"),
        ],
        softDeleted: true,
        window: .none,
        defaultSort: ["created_at"]
    )

    static func decodeUser(_ row: SQLRow) throws -> User {
        let statusText = try row.text("status")
        guard let status = UserStatus(rawValue: statusText) else { throw StoreError.corrupt("status", statusText) }
        return User(
            id: try row.text("id"),
            name: try row.optionalText("name"),
            policyID: try row.optionalText("policy_id"),
            balance: try row.money("balance"),
            rate: Rate(unitsPerHour: try row.bigInteger("rate")),
            accrual: OpenAccrual(
                weightedStart: try row.bigInteger("open_weighted_start"),
                residue: try row.bigInteger("open_residue"),
                count: Int(try row.integer("open_count"))
            ),
            credit: try row.money("credit"),
            lastBill: try row.optionalTime("last_bill"),
            status: status,
            statusReason: try row.optionalText("status_reason"),
            createdAt: try row.time("created_at"),
            updatedAt: try row.optionalTime("updated_at"),
            deletedAt: try row.optionalTime("deleted_at"),
            frozenAt: try row.optionalTime("frozen_at"),
            overdrawnAt: try row.optionalTime("overdrawn_at")
        )
    }

    func user(_ id: String, lock: Bool) async throws -> User? {
        let suffix = lock ? self.dialect.forUpdate : ""
        let rows = try await self.query(
            "SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE id = \(id)\(unsafeRaw: suffix)"
        )
        return try rows.first.map(Self.decodeUser)
    }

    @discardableResult
    func insertUser(_ user: User) async throws -> Bool {
        try await !self.insertUsers([user]).isEmpty
    }

    func insertUsers(_ users: [User]) async throws -> Set<String> {
        let rows = users.map { user -> SQLStatement in
            """
            (\(user.id), \(.optionalText(user.name)), \(.optionalText(user.policyID)), \(.money(user.balance)),
                \(.bigInteger(user.rate.unitsPerHour)), \(.money(user.credit)), \(.time(user.lastBill)),
                \(user.status.rawValue), \(.optionalText(user.statusReason)), \(.time(user.createdAt)),
                \(.time(user.updatedAt)), \(.time(user.deletedAt)), \(.bigInteger(user.accrual.weightedStart)),
                \(.bigInteger(user.accrual.residue)), \(user.accrual.count), \(.time(user.frozenAt)),
                \(.time(user.overdrawnAt)))
            """
        }
        let inserted = try await self.insertRows(
            """
            INSERT INTO users (id, name, policy_id, balance, rate, credit, last_bill, status, status_reason,
                created_at, updated_at, deleted_at, open_weighted_start, open_residue, open_count, frozen_at,
                overdrawn_at)
            """,
            rows,
            suffix: " ON CONFLICT (id) DO NOTHING RETURNING id"
        )
        return Set(try inserted.map { try $0.text("id") })
    }

    func updateUser(_ user: User) async throws {
        try await self.updateUsers([user])
    }

    func updateUsers(_ users: [User]) async throws {
        let rows = users.map { user -> SQLStatement in
            """
            (\(user.id), \(.optionalText(user.name)), \(.optionalText(user.policyID)), \(.money(user.balance)),
                \(.bigInteger(user.rate.unitsPerHour)), \(.money(user.credit)), \(.time(user.lastBill)),
                \(user.status.rawValue), \(.optionalText(user.statusReason)), \(.time(user.createdAt)),
                \(.time(user.updatedAt)), \(.time(user.deletedAt)), \(.bigInteger(user.accrual.weightedStart)),
                \(.bigInteger(user.accrual.residue)), \(user.accrual.count), \(.time(user.frozenAt)),
                \(.time(user.overdrawnAt)))
            """
        }
        try await self.insertRows(
            """
            INSERT INTO users (id, name, policy_id, balance, rate, credit, last_bill, status, status_reason,
                created_at, updated_at, deleted_at, open_weighted_start, open_residue, open_count, frozen_at,
                overdrawn_at)
            """,
            rows,
            suffix: """
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, policy_id = excluded.policy_id,
                    balance = excluded.balance, rate = excluded.rate, credit = excluded.credit,
                    last_bill = excluded.last_bill, status = excluded.status, status_reason = excluded.status_reason,
                    updated_at = excluded.updated_at, deleted_at = excluded.deleted_at,
                    open_weighted_start = excluded.open_weighted_start, open_residue = excluded.open_residue,
                    open_count = excluded.open_count, frozen_at = excluded.frozen_at,
                    overdrawn_at = excluded.overdrawn_at
                """
        )
    }

    func lockUsers(_ ids: [String]) async throws -> [User] {
        let suffix = self.dialect.forUpdate
        return try await self.selectIn("id", ids) { condition in
            "SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE \(condition) ORDER BY id\(unsafeRaw: suffix)"
        }.map(Self.decodeUser)
    }

    func users(ids: [String]) async throws -> [User] {
        try await self.selectIn("id", ids) { condition in
            "SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE \(condition) ORDER BY id"
        }.map(Self.decodeUser)
    }

    func users(_ query: ListQuery) async throws -> [User] {
        try await self.list(Self.userTable, query).map(Self.decodeUser)
    }

    func countUsers(policyID: String) async throws -> Int {
        let rows = try await self.query(
            "SELECT COUNT(*) AS n FROM users WHERE policy_id = \(policyID) AND deleted_at IS NULL"
        )
        return Int(try rows.first?.integer("n") ?? 0)
    }

    func countUsersWithoutPolicy() async throws -> Int {
        let rows = try await self.query(
            "SELECT COUNT(*) AS n FROM users WHERE policy_id IS NULL AND deleted_at IS NULL"
        )
        return Int(try rows.first?.integer("n") ?? 0)
    }
}
