import BileanCore

/// How a list query maps onto one table: the only place where sort keys and filters become SQL, through
/// fixed dictionaries (never input text).
struct TableSpec: Sendable {
    /// The table.
    let table: String
    /// The select list (money columns cast to exact text).
    let columns: String
    /// Sort key → a non-NULL SQL expression.
    let sortExpressions: [String: String]
    /// Filter → column and the kind of its values.
    let filterColumns: [String: Filter]
    /// Whether rows are soft-deleted through `deleted_at`.
    let softDeleted: Bool
    /// How a time window `[start, end)` selects rows.
    let window: Window
    /// The default sort keys.
    let defaultSort: [String]

    /// A filterable column.
    struct Filter: Sendable {
        /// The column.
        let column: String
        /// Whether its values are booleans stored as 0/1 (else text).
        let isFlag: Bool

        static func text(_ column: String) -> Filter { Filter(column: column, isFlag: false) }
        static func flag(_ column: String) -> Filter { Filter(column: column, isFlag: true) }

        func bind(_ value: String, name: String) throws -> SQLValue {
            guard self.isFlag else { return .text(value) }
            switch value.lowercased() {
            case "true", "1", "yes": return .integer(1)
            case "false", "0", "no": return .integer(0)
            default: throw BileanError.invalid(name, "\(name) must be true or false")
            }
        }
    }

    /// How a time window selects rows.
    enum Window: Sendable {
        /// The table has no time window.
        case none
        /// Rows whose instant column is in `[start, end)`.
        case instant(String)
        /// Rows whose `[start_time, end_time]` interval overlaps `[start, end)`.
        case overlap

        func condition(_ start: BillingTime?, _ end: BillingTime?) -> SQLStatement? {
            switch self {
            case .none:
                return nil
            case .instant(let column):
                var terms: [SQLStatement] = []
                if let start { terms.append("\(unsafeRaw: column) >= \(.time(start))") }
                if let end { terms.append("\(unsafeRaw: column) < \(.time(end))") }
                return terms.isEmpty ? nil : SQLStatement.join(terms, separator: " AND ")
            case .overlap:
                var terms: [SQLStatement] = []
                if let start { terms.append("end_time > \(.time(start))") }
                if let end { terms.append("start_time < \(.time(end))") }
                return terms.isEmpty ? nil : SQLStatement.join(terms, separator: " AND ")
            }
        }
    }

    /// Builds the SELECT of a page.
    /// - Parameters:
    ///   - query: The validated query.
    ///   - dialect: The dialect (money ordering differs).
    ///   - extra: Further conditions.
    /// - Returns: The statement.
    /// - Throws: ``BileanError`` for a sort key or filter this table does not know.
    func select(_ query: ListQuery, dialect: SQLDialect, extra: [SQLStatement] = []) throws -> SQLStatement {
        var conditions = extra
        if self.softDeleted && !query.showDeleted {
            conditions.append("deleted_at IS NULL")
        }
        if let userID = query.userID {
            conditions.append("user_id = \(userID)")
        }
        for (name, values) in query.filters.sorted(by: { $0.key < $1.key }) {
            guard let filter = self.filterColumns[name] else {
                throw BileanError.invalid(name, "Unsupported filter '\(name)'")
            }
            guard !values.isEmpty else { continue }
            var binds: [SQLStatement] = []
            for value in values { binds.append("\(try filter.bind(value, name: name))") }
            conditions.append("\(unsafeRaw: filter.column) IN (\(SQLStatement.join(binds, separator: ", ")))")
        }
        if let condition = self.window.condition(query.start, query.end) {
            conditions.append(condition)
        }
        let keys = query.sortKeys.isEmpty ? self.defaultSort : query.sortKeys
        var expressions: [String] = []
        for key in keys {
            guard var expression = self.sortExpressions[key] else {
                throw BileanError.invalid("sort_keys", "Unsupported sort key '\(key)'")
            }
            // Exact decimals kept as text in SQLite order as numbers.
            if ["balance", "credit", "rate"].contains(key) { expression = dialect.orderable(money: expression) }
            if !expressions.contains(expression) { expressions.append(expression) }
        }
        expressions.append("id")
        let comparison = query.direction == .asc ? ">" : "<"
        if let marker = query.marker {
            // Keyset paging: rows strictly after the marker row in (sort keys…, id) order. The marker's values
            // come from a subquery, so that each expression is compared with itself.
            var alternatives: [SQLStatement] = []
            for (index, expression) in expressions.enumerated() {
                var terms: [SQLStatement] = []
                for previous in expressions[..<index] {
                    terms.append(
                        "\(unsafeRaw: previous) = (SELECT \(unsafeRaw: previous) FROM \(unsafeRaw: self.table) WHERE id = \(marker))"
                    )
                }
                terms.append(
                    "\(unsafeRaw: expression) \(unsafeRaw: comparison) (SELECT \(unsafeRaw: expression) FROM \(unsafeRaw: self.table) WHERE id = \(marker))"
                )
                alternatives.append("(\(SQLStatement.join(terms, separator: " AND ")))")
            }
            conditions.append("(\(SQLStatement.join(alternatives, separator: " OR ")))")
        }
        var statement: SQLStatement = "SELECT \(unsafeRaw: self.columns) FROM \(unsafeRaw: self.table)"
        if !conditions.isEmpty {
            statement.append(" WHERE \(SQLStatement.join(conditions, separator: " AND "))")
        }
        let direction = query.direction == .asc ? "ASC" : "DESC"
        let order = expressions.map { "\($0) \(direction)" }.joined(separator: ", ")
        statement.append(" ORDER BY \(unsafeRaw: order) LIMIT \(query.limit)")
        return statement
    }
}
