import BileanCore

extension SQLStoreTransaction {
    static let consumptionColumns = """
        id, user_id, resource_id, resource_type, start_time, end_time, CAST(rate AS TEXT) AS rate, \
        CAST(cost AS TEXT) AS cost, cause, created_at, reason, rerating_id, estimated
        """

    static let consumptionTable = TableSpec(
        table: "consumptions",
        columns: consumptionColumns,
        sortExpressions: [
            "start_time": "start_time", "end_time": "end_time", "resource_type": "resource_type",
            "resource_id": "resource_id", "created_at": "created_at",
        ],
        filterColumns: [
            "resource_type": .text("resource_type"), "resource_id": .text("resource_id"),
        ],
        softDeleted: false,
        window: .overlap,
        defaultSort: ["start_time"]
    )

    /// Intervals that overlap `[start, end)`.
    static func overlap(_ start: BillingTime?, _ end: BillingTime?) -> SQLStatement? {
        switch (start, end) {
        case (nil, nil): return nil
        case (let start?, nil): return "end_time > \(.time(start))"
        case (nil, let end?): return "start_time < \(.time(end))"
        case (let start?, let end?): return "end_time > \(.time(start)) AND start_time < \(.time(end))"
        }
    }

    static func decodeConsumption(_ row: SQLRow) throws -> Consumption {
        let causeText = try row.text("cause")
        guard let cause = Consumption.Cause(rawValue: causeText) else { throw StoreError.corrupt("cause", causeText) }
        return Consumption(
            id: try row.text("id"),
            userID: try row.text("user_id"),
            resourceID: try row.text("resource_id"),
            resourceType: try row.text("resource_type"),
            startTime: try row.time("start_time"),
            endTime: try row.time("end_time"),
            rate: Rate(unitsPerHour: try row.bigInteger("rate")),
            cost: try row.money("cost"),
            cause: cause,
            createdAt: try row.time("created_at"),
            reason: try row.optionalText("reason"),
            reratingID: try row.optionalText("rerating_id"),
            estimated: try row.integer("estimated") != 0
        )
    }

    func insertConsumption(_ consumption: Consumption) async throws {
        try await self.insertConsumptions([consumption])
    }

    func insertConsumptions(_ consumptions: [Consumption]) async throws {
        let rows = consumptions.map { consumption -> SQLStatement in
            """
            (\(consumption.id), \(consumption.userID), \(consumption.resourceID), \(consumption.resourceType),
                \(.time(consumption.startTime)), \(.time(consumption.endTime)),
                \(.bigInteger(consumption.rate.unitsPerHour)), \(.money(consumption.cost)),
                \(consumption.cause.rawValue), \(.time(consumption.createdAt)),
                \(.optionalText(consumption.reason)), \(.optionalText(consumption.reratingID)),
                \(consumption.estimated ? 1 : 0))
            """
        }
        try await self.insertRows(
            """
            INSERT INTO consumptions (id, user_id, resource_id, resource_type, start_time, end_time, rate, cost,
                cause, created_at, reason, rerating_id, estimated)
            """,
            rows
        )
    }

    func consumptions(_ query: ListQuery) async throws -> [Consumption] {
        try await self.list(Self.consumptionTable, query).map(Self.decodeConsumption)
    }

    func consumptions(
        userID: String?,
        overlapping start: BillingTime?,
        _ end: BillingTime?
    ) async throws
        -> [Consumption]
    {
        var conditions: [SQLStatement] = []
        if let userID { conditions.append("user_id = \(userID)") }
        if let window = TableSpec.Window.overlap.condition(start, end) { conditions.append(window) }
        var statement: SQLStatement = "SELECT \(unsafeRaw: Self.consumptionColumns) FROM consumptions"
        if !conditions.isEmpty { statement.append(" WHERE \(SQLStatement.join(conditions, separator: " AND "))") }
        statement.append(" ORDER BY start_time, id")
        return try await self.query(statement).map(Self.decodeConsumption)
    }

    /// Intervals that overlap `[start, end)` and lie wholly inside it: `start_time >= start` and `end_time <= end`.
    ///
    /// The overlap's own terms are kept, so that an empty interval on an edge is left out exactly as the overlap
    /// leaves it out; they also give the `end_time` indexes a range.
    static func inside(_ start: BillingTime?, _ end: BillingTime?) -> SQLStatement? {
        var terms: [SQLStatement] = []
        if let start { terms.append("end_time > \(.time(start)) AND start_time >= \(.time(start))") }
        if let end { terms.append("end_time <= \(.time(end)) AND start_time < \(.time(end))") }
        return terms.isEmpty ? nil : SQLStatement.join(terms, separator: " AND ")
    }

    /// Intervals that overlap `[start, end)` but are not wholly inside it (see ``inside(_:_:)``); `nil` without a
    /// window, where nothing crosses it.
    static func crossing(_ start: BillingTime?, _ end: BillingTime?) -> SQLStatement? {
        guard let overlap = TableSpec.Window.overlap.condition(start, end) else { return nil }
        var outside: [SQLStatement] = []
        if let start { outside.append("start_time < \(.time(start))") }
        if let end { outside.append("end_time > \(.time(end))") }
        return "\(overlap) AND (\(SQLStatement.join(outside, separator: " OR ")))"
    }

    /// The exact sum of a money column, as canonical decimal text: SQLite's `SUM()` goes through REAL, so SQLite
    /// uses Bilean's aggregate (``SQLiteMoneySum``); PostgreSQL sums `NUMERIC` exactly.
    /// - Parameters:
    ///   - column: The column (a name chosen by Bilean, never input).
    ///   - dialect: The dialect.
    /// - Returns: The SQL expression.
    static func exactSum(money column: String, _ dialect: SQLDialect) -> String {
        switch dialect {
        case .sqlite: return "\(SQLiteMoneySum.name)(\(column))"
        case .postgres: return "CAST(SUM(\(column)) AS TEXT)"
        }
    }

    func consumptionTotals(
        userID: String?,
        inside start: BillingTime?,
        _ end: BillingTime?,
        byResource: Bool,
        byUser: Bool
    ) async throws -> [ConsumptionStatistics] {
        var conditions: [SQLStatement] = []
        if let userID { conditions.append("user_id = \(userID)") }
        if let window = Self.inside(start, end) { conditions.append(window) }
        var groups = ["resource_type"]
        if byResource { groups.append("resource_id") }
        if byUser { groups.append("user_id") }
        let columns = groups.joined(separator: ", ")
        let sum = Self.exactSum(money: "cost", self.dialect)
        var statement: SQLStatement = "SELECT \(unsafeRaw: columns), \(unsafeRaw: sum) AS cost FROM consumptions"
        if !conditions.isEmpty { statement.append(" WHERE \(SQLStatement.join(conditions, separator: " AND "))") }
        statement.append(" GROUP BY \(unsafeRaw: columns)")
        let rows = try await self.query(statement)
        var totals: [ConsumptionStatistics] = []
        totals.reserveCapacity(rows.count)
        for row in rows {
            // Grouped-away columns are not selected: nil.
            var resourceID: String?
            if byResource { resourceID = try row.text("resource_id") }
            var rowUserID: String?
            if byUser { rowUserID = try row.text("user_id") }
            totals.append(
                ConsumptionStatistics(
                    resourceID: resourceID,
                    resourceType: try row.text("resource_type"),
                    userID: rowUserID,
                    cost: try row.money("cost")
                )
            )
        }
        return totals
    }

    func consumptions(
        userID: String?,
        crossing start: BillingTime?,
        _ end: BillingTime?
    ) async throws -> [Consumption] {
        guard let window = Self.crossing(start, end) else { return [] }
        var conditions: [SQLStatement] = []
        if let userID { conditions.append("user_id = \(userID)") }
        conditions.append(window)
        let statement: SQLStatement = """
            SELECT \(unsafeRaw: Self.consumptionColumns) FROM consumptions \
            WHERE \(SQLStatement.join(conditions, separator: " AND ")) ORDER BY start_time, id
            """
        return try await self.query(statement).map(Self.decodeConsumption)
    }

    func insertRecharge(_ recharge: Recharge) async throws {
        try await self.query(
            """
            INSERT INTO recharges (id, user_id, type, value, timestamp, metadata)
            VALUES (\(recharge.id), \(recharge.userID), \(recharge.kind.rawValue), \(.money(recharge.value)),
                \(.time(recharge.timestamp)), \(try Self.jsonText(recharge.metadata)))
            """
        )
    }

    func recharge(_ id: String) async throws -> Recharge? {
        let rows = try await self.query(
            """
            SELECT id, user_id, type, CAST(value AS TEXT) AS value, timestamp, metadata FROM recharges
            WHERE id = \(id)
            """
        )
        return try rows.first.map(Self.decodeRecharge)
    }

    func recharges(userID: String) async throws -> [Recharge] {
        let rows = try await self.query(
            """
            SELECT id, user_id, type, CAST(value AS TEXT) AS value, timestamp, metadata FROM recharges
            WHERE user_id = \(userID) ORDER BY timestamp, id
            """
        )
        return try rows.map(Self.decodeRecharge)
    }

    /// `GET /v1/recharges`: by user, window, type; marker paging.
    static let rechargeTable = TableSpec(
        table: "recharges",
        columns: "id, user_id, type, CAST(value AS TEXT) AS value, timestamp, metadata",
        sortExpressions: ["timestamp": "timestamp", "type": "type"],
        filterColumns: ["type": .text("type")],
        softDeleted: false,
        window: .instant("timestamp"),
        defaultSort: ["timestamp"]
    )

    func recharges(_ query: ListQuery) async throws -> [Recharge] {
        try await self.list(Self.rechargeTable, query).map(Self.decodeRecharge)
    }

    static func decodeRecharge(_ row: SQLRow) throws -> Recharge {
        let kindText = try row.text("type")
        guard let kind = Recharge.Kind(rawValue: kindText) else { throw StoreError.corrupt("type", kindText) }
        return Recharge(
            id: try row.text("id"),
            userID: try row.text("user_id"),
            kind: kind,
            value: try row.money("value"),
            timestamp: try row.time("timestamp"),
            metadata: try row.json("metadata")
        )
    }
}
