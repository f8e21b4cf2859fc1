package import BileanCore

/// A value bound to, or read from, a SQL statement.
///
/// Money and big integers travel as exact decimal text: `NUMERIC` in PostgreSQL, `TEXT` in SQLite; never REAL.
package enum SQLValue: Sendable, Hashable {
    /// SQL NULL.
    case null
    /// Text.
    case text(String)
    /// A 64-bit integer (times in microseconds, flags, counts).
    case integer(Int64)
    /// An exact amount of money (`NUMERIC(40,12)` / `TEXT`).
    case money(Money)
    /// An exact big integer (`NUMERIC(60,0)` / `TEXT`): accruals and rates.
    case bigInteger(Int128)

    /// A time as microseconds since the epoch, or NULL.
    package static func time(_ time: BillingTime?) -> SQLValue {
        time.map { .integer($0.microseconds) } ?? .null
    }

    /// Optional text.
    package static func optionalText(_ text: String?) -> SQLValue {
        text.map { .text($0) } ?? .null
    }
}
