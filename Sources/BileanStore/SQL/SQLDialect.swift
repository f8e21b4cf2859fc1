/// The SQL dialects Bilean speaks.
package enum SQLDialect: String, Sendable, Hashable {
    /// SQLite 3 (the embedded default).
    case sqlite
    /// PostgreSQL (the distributed deployment).
    case postgres

    /// The placeholder of the n-th parameter (1-based).
    /// - Parameters:
    ///   - index: The parameter's position.
    ///   - value: The value bound there (PostgreSQL casts exact numbers sent as text).
    /// - Returns: The placeholder text.
    func placeholder(_ index: Int, for value: SQLValue) -> String {
        switch self {
        case .sqlite:
            return "?\(index)"
        case .postgres:
            switch value {
            case .money, .bigInteger: return "$\(index)::numeric"
            case .null, .text, .integer: return "$\(index)"
            }
        }
    }

    /// `FOR UPDATE` where row locks exist (PostgreSQL); SQLite's write transactions are already exclusive.
    package var forUpdate: String {
        switch self {
        case .sqlite: return ""
        case .postgres: return " FOR UPDATE"
        }
    }

    /// `FOR UPDATE SKIP LOCKED` where row locks exist (PostgreSQL): concurrent claimers take different rows.
    package var forUpdateSkipLocked: String {
        switch self {
        case .sqlite: return ""
        case .postgres: return " FOR UPDATE SKIP LOCKED"
        }
    }

    /// An expression that orders a money column numerically.
    ///
    /// SQLite keeps money as exact text; only for ordering a list is it compared as a number.
    /// - Parameter column: The column name.
    /// - Returns: The expression.
    package func orderable(money column: String) -> String {
        switch self {
        case .sqlite: return "CAST(\(column) AS REAL)"
        case .postgres: return column
        }
    }
}
