import BileanCore
import CSQLite

/// The SQL aggregate `bilean_money_sum(x)`: the exact sum of money kept as canonical decimal text.
///
/// SQLite's own `SUM()` converts text to REAL, which cannot hold 12 decimals of large amounts; this one parses each
/// value exactly into 10^-12 units and adds them in an Int128. NULL inputs are skipped; no non-NULL input gives
/// NULL; the sum comes back as ``Money/description`` text. A value that is not an exact amount (REAL, BLOB or
/// text that does not parse) or a sum that overflows Int128 fails the statement rather than giving a wrong total.
enum SQLiteMoneySum {
    /// The function's SQL name.
    static let name = "bilean_money_sum"

    /// The running state of one aggregate, kept in SQLite's aggregate context.
    ///
    /// SQLite zeroes that memory when it first allocates it, which is a valid state here (no row, sum 0, no error).
    /// The memory is only 8-byte aligned, so the state is read and written unaligned (an Int128 wants 16).
    struct State: BitwiseCopyable {
        /// The exact sum, in 10^-12 units.
        var sum: Int128
        /// Whether a non-NULL value was added.
        var sawRow: Bool
        /// Why the sum failed, if it did (a ``Failure`` raw value; 0 for none).
        var failure: UInt8
    }

    /// Why a sum failed.
    enum Failure: UInt8 {
        /// A value was not an exact amount.
        case notAnAmount = 1
        /// The sum overflowed Int128.
        case overflow = 2

        /// The error message SQLite reports.
        var message: String {
            switch self {
            case .notAnAmount: return "bilean_money_sum: a value is not an exact decimal amount"
            case .overflow: return "bilean_money_sum: the sum overflows"
            }
        }
    }

    /// Registers the aggregate on a connection.
    /// - Parameter handle: The open connection.
    /// - Returns: SQLite's result code (`SQLITE_OK` on success).
    static func register(on handle: OpaquePointer) -> Int32 {
        sqlite3_create_function_v2(
            handle,
            Self.name,
            1,
            SQLITE_UTF8 | SQLITE_DETERMINISTIC,
            nil,
            nil,
            { context, count, values in SQLiteMoneySum.step(context, count, values) },
            { context in SQLiteMoneySum.final(context) },
            nil
        )
    }

    /// Adds one value to the running sum.
    static func step(_ context: OpaquePointer?, _ count: Int32, _ values: UnsafeMutablePointer<OpaquePointer?>?) {
        guard let context, count == 1, let values else { return }
        let value = values[0]
        let type = sqlite3_value_type(value)
        if type == SQLITE_NULL { return }
        guard let memory = sqlite3_aggregate_context(context, Int32(MemoryLayout<State>.stride)) else {
            sqlite3_result_error_nomem(context)
            return
        }
        var state = memory.loadUnaligned(as: State.self)
        guard state.failure == 0 else { return }
        state.sawRow = true
        if let units = Self.units(of: value, type: type) {
            let (sum, overflow) = state.sum.addingReportingOverflow(units)
            if overflow {
                state.failure = Failure.overflow.rawValue
            } else {
                state.sum = sum
            }
        } else {
            state.failure = Failure.notAnAmount.rawValue
        }
        memory.storeBytes(of: state, as: State.self)
    }

    /// Sets the aggregate's result: the canonical text of the sum, NULL without rows, or the error.
    static func final(_ context: OpaquePointer?) {
        guard let context else { return }
        // N = 0: no memory is allocated when no step ran (no rows at all).
        guard let memory = sqlite3_aggregate_context(context, 0) else {
            sqlite3_result_null(context)
            return
        }
        let state = memory.loadUnaligned(as: State.self)
        if state.failure != 0 {
            let failure = Failure(rawValue: state.failure) ?? .notAnAmount
            sqlite3_result_error(context, failure.message, -1)
            return
        }
        guard state.sawRow else {
            sqlite3_result_null(context)
            return
        }
        // SQLITE_TRANSIENT: SQLite copies the bytes before this returns.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        var text = Money(units: state.sum).description
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                // The canonical text is never empty, so the buffer has an address.
                sqlite3_result_text(context, characters.baseAddress, Int32(characters.count), transient)
            }
        }
    }

    /// The exact units of a non-NULL value, or `nil` when it is not an exact amount (REAL, BLOB, or text that does
    /// not parse).
    private static func units(of value: OpaquePointer?, type: Int32) -> Int128? {
        guard type == SQLITE_TEXT || type == SQLITE_INTEGER else { return nil }
        // The text first, then its length (SQLite's documented order).
        guard let text = sqlite3_value_text(value) else { return nil }
        let count = Int(sqlite3_value_bytes(value))
        let bytes = UnsafeBufferPointer(start: text, count: count)
        if let units = StoredMoneyText.units(bytes) { return units }
        // Anything else (a `+` sign, an exponent, more than 12 decimals): the full parser, exact as well.
        return try? Money(parsing: String(decoding: bytes, as: UTF8.self), field: "cost").units
    }
}
