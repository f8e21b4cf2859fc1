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

    /// The names of ``userColumns``' columns, in order.
    static let userColumnNames = [
        "id", "name", "policy_id", "balance", "rate", "credit", "last_bill", "status", "status_reason", "created_at",
        "updated_at", "deleted_at", "open_weighted_start", "open_residue", "open_count", "frozen_at", "overdrawn_at",
    ]

    /// Decodes the rows of a query for ``userColumns``. Their column names (one array shared by the rows of a
    /// result) are checked once; then each row is read by position, without a scan of the names per value (a
    /// tenth of a page of users' time, perf). Rows with other columns are read by name.
    static func decodeUsers(_ rows: [SQLRow]) throws -> [User] {
        guard let first = rows.first else { return [] }
        let byPosition = first.columns == Self.userColumnNames
        return try rows.map { row throws in
            try Self.decodeUser(row, byPosition: byPosition && row.columns.count == Self.userColumnNames.count)
        }
    }

    /// Decodes a row of ``userColumns``, by name, or by position when its columns are known to be in their order.
    static func decodeUser(_ row: SQLRow, byPosition: Bool = false) throws -> User {
        func field(_ position: Int) -> SQLField {
            let name = Self.userColumnNames[position]
            return byPosition ? row.field(at: position, name) : row.field(name)
        }
        let statusText = try field(7).text()
        guard let status = UserStatus(rawValue: statusText) else { throw StoreError.corrupt("status", statusText) }
        return User(
            id: try field(0).text(),
            name: try field(1).optionalText(),
            policyID: try field(2).optionalText(),
            balance: try field(3).money(),
            rate: Rate(unitsPerHour: try field(4).bigInteger()),
            accrual: OpenAccrual(
                weightedStart: try field(12).bigInteger(),
                residue: try field(13).bigInteger(),
                count: Int(try field(14).integer())
            ),
            credit: try field(5).money(),
            lastBill: try field(6).optionalTime(),
            status: status,
            statusReason: try field(8).optionalText(),
            createdAt: try field(9).time(),
            updatedAt: try field(10).optionalTime(),
            deletedAt: try field(11).optionalTime(),
            frozenAt: try field(15).optionalTime(),
            overdrawnAt: try field(16).optionalTime()
        )
    }

    func user(_ id: String, lock: Bool) async throws -> User? {
        let suffix = lock ? self.dialect.forUpdate : ""
        let rows = try await self.query(
            "SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE id = \(id)\(unsafeRaw: suffix)"
        )
        return try Self.decodeUsers(rows).first
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
        let rows = try await self.selectIn("id", ids) { condition in
            "SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE \(condition) ORDER BY id\(unsafeRaw: suffix)"
        }
        return try Self.decodeUsers(rows)
    }

    func users(ids: [String]) async throws -> [User] {
        let rows = try await self.selectIn("id", ids) { condition in
            "SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE \(condition) ORDER BY id"
        }
        return try Self.decodeUsers(rows)
    }

    func users(_ query: ListQuery) async throws -> [User] {
        try Self.decodeUsers(try await self.list(Self.userTable, query))
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
