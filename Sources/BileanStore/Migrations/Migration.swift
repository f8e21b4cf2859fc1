/// One versioned schema change.
///
/// DDL is written once with three dialect tokens: `{MONEY}` (exact amounts), `{BIGNUM}` (exact big integers:
/// rates and accruals) and `{SERIAL}` (an auto-incremented primary key).
struct Migration: Sendable {
    /// The version; migrations run in increasing order, each once.
    let version: Int
    /// What it does.
    let name: String
    /// The statements.
    let statements: [String]
    /// Data to compute in Swift after the statements, in the same transaction (e.g. exact sums SQLite cannot do).
    let backfill: (@Sendable (any SQLConnection) async throws -> Void)?

    init(
        version: Int,
        name: String,
        statements: [String],
        backfill: (@Sendable (any SQLConnection) async throws -> Void)? = nil
    ) {
        self.version = version
        self.name = name
        self.statements = statements
        self.backfill = backfill
    }

    /// The statements for a dialect.
    func statements(for dialect: SQLDialect) -> [String] {
        self.statements.map { statement in
            switch dialect {
            case .sqlite:
                return
                    statement
                    .replacingOccurrences(of: "{MONEY}", with: "TEXT")
                    .replacingOccurrences(of: "{BIGNUM}", with: "TEXT")
                    .replacingOccurrences(of: "{SERIAL}", with: "INTEGER PRIMARY KEY AUTOINCREMENT")
            case .postgres:
                return
                    statement
                    .replacingOccurrences(of: "{MONEY}", with: "NUMERIC(40,12)")
                    .replacingOccurrences(of: "{BIGNUM}", with: "NUMERIC(60,0)")
                    .replacingOccurrences(of: "{SERIAL}", with: "BIGSERIAL PRIMARY KEY")
            }
        }
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        self.split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
