import BileanCore
import CSQLite

/// One connection to an SQLite database file, over the system's libsqlite3.
///
/// Statements are prepared once per SQL text and kept (SQLite's parser otherwise runs on every call), and run on
/// the calling thread: a statement inside a transaction touches only SQLite's page cache, so it costs microseconds
/// and no thread hop. The calls that may block (taking the write lock, a commit's fsync) are the driver's to run
/// on a thread of its own. Not thread-safe: its owner (the driver's gate, the reader pool) lends it to one task at
/// a time.
final class SQLiteConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    /// The column names of each kept statement's rows, read from SQLite once.
    private var columnNames: [OpaquePointer: [String]] = [:]

    /// The most prepared statements kept; past it the cache starts again (multi-row inserts vary in length).
    static let statementCacheLimit = 128
    /// The most parameters of a statement kept prepared: a multi-row insert of hundreds of rows compiles to a large
    /// program that is rarely reused with exactly the same row count, so it is prepared, run and finalized.
    static let cachedStatementMaximumBinds = 64

    /// Opens (creating if needed) a database file, with Bilean's SQL functions registered (``SQLiteMoneySum``).
    /// - Parameter path: The file.
    /// - Throws: ``SQLiteError``.
    init(path: String) throws(SQLiteError) {
        var handle: OpaquePointer?
        // NOMUTEX (SQLite's multi-thread mode): the connection is lent to one task at a time, so SQLite's own mutex
        // around every call (each column of each row) would only cost a lock and an unlock, about 5 % of a page of
        // users (perf).
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot allocate a connection"
            sqlite3_close_v2(handle)
            throw SQLiteError(code: code, message: message, sql: nil)
        }
        // Bilean's own SQL functions, on every connection (the writer and the read-only readers alike).
        let registered = SQLiteMoneySum.register(on: handle)
        guard registered == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(handle))
            sqlite3_close_v2(handle)
            throw SQLiteError(code: registered, message: message, sql: nil)
        }
        self.handle = handle
    }

    deinit {
        self.close()
    }

    /// Finalizes the statements and closes the connection (idempotent).
    func close() {
        for statement in self.statements.values { sqlite3_finalize(statement) }
        self.statements = [:]
        self.columnNames = [:]
        if let handle = self.handle {
            sqlite3_close_v2(handle)
            self.handle = nil
        }
    }

    /// Whether no transaction is open (SQLite's autocommit mode).
    var isAutocommit: Bool {
        self.handle.map { sqlite3_get_autocommit($0) != 0 } ?? true
    }

    /// Runs a statement without parameters (`BEGIN`, `COMMIT`, `SAVEPOINT …`, `PRAGMA …`), prepared once and kept
    /// like any other.
    /// - Parameter sql: The SQL.
    /// - Throws: ``SQLiteError``.
    func execute(_ sql: String) throws(SQLiteError) {
        _ = try self.query(sql, [])
    }

    /// Runs a statement and returns its rows.
    /// - Parameters:
    ///   - sql: The SQL, with `?` placeholders.
    ///   - binds: The values, in order.
    /// - Returns: Every row.
    /// - Throws: ``SQLiteError``.
    func query(_ sql: String, _ binds: [SQLValue]) throws(SQLiteError) -> [SQLRow] {
        try self.query(sql, repeatingWith: CollectionOfOne(binds))
    }

    /// Runs a statement once for each list of values, one after the other, prepared (or looked up) once for all.
    /// - Parameters:
    ///   - sql: The SQL, with `?` placeholders.
    ///   - values: The values of each run, in order.
    /// - Returns: Every row of every run.
    /// - Throws: ``SQLiteError``.
    func query(
        _ sql: String,
        repeatingWith values: some Collection<[SQLValue]>
    ) throws(SQLiteError) -> [SQLRow] {
        let cached = (values.first?.count ?? 0) <= Self.cachedStatementMaximumBinds
        let statement = try self.prepared(sql, cached: cached)
        defer {
            if cached {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            } else {
                sqlite3_finalize(statement)
            }
        }
        var rows: [SQLRow] = []
        var names: [String] = []
        var first = true
        for binds in values {
            if !first {
                // The previous run's values stay bound until replaced; every placeholder is bound again below.
                sqlite3_reset(statement)
            }
            first = false
            for (offset, value) in binds.enumerated() {
                let code = Self.bind(value, at: Int32(offset + 1), in: statement)
                guard code == SQLITE_OK else { throw self.error(code, sql: sql) }
            }
            while true {
                let code = sqlite3_step(statement)
                if code == SQLITE_DONE { break }
                guard code == SQLITE_ROW else { throw self.error(code, sql: sql) }
                let count = sqlite3_column_count(statement)
                if names.isEmpty {
                    if cached, let known = self.columnNames[statement] {
                        names = known
                    } else {
                        names = (0..<count).map { String(cString: sqlite3_column_name(statement, $0)) }
                        if cached { self.columnNames[statement] = names }
                    }
                }
                var row: [SQLValue] = []
                row.reserveCapacity(Int(count))
                for column in 0..<count {
                    row.append(Self.value(at: column, in: statement))
                }
                rows.append(SQLRow(columns: names, values: row))
            }
        }
        return rows
    }

    private func prepared(_ sql: String, cached: Bool) throws(SQLiteError) -> OpaquePointer {
        if cached, let statement = self.statements[sql] { return statement }
        guard let handle = self.handle else { throw SQLiteError.closed(sql) }
        guard cached else {
            var statement: OpaquePointer?
            let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
            guard code == SQLITE_OK, let statement else { throw self.error(code, sql: sql) }
            return statement
        }
        if self.statements.count >= Self.statementCacheLimit {
            for statement in self.statements.values { sqlite3_finalize(statement) }
            self.statements = [:]
            self.columnNames = [:]
        }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw self.error(code, sql: sql) }
        self.statements[sql] = statement
        return statement
    }

    private static func bind(_ value: SQLValue, at index: Int32, in statement: OpaquePointer) -> Int32 {
        switch value {
        case .null: return sqlite3_bind_null(statement, index)
        case .integer(let number): return sqlite3_bind_int64(statement, index, number)
        case .text(let text): return Self.bind(text: text, at: index, in: statement)
        case .money(let money):
            // The amount's text straight from its digits, without a String in between.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(48)
            money.appendDescription(to: &bytes)
            return bytes.withUnsafeBufferPointer { Self.bind(utf8: $0, at: index, in: statement) }
        case .bigInteger(let number): return Self.bind(text: String(number), at: index, in: statement)
        }
    }

    private static func bind(text: String, at index: Int32, in statement: OpaquePointer) -> Int32 {
        var text = text
        return text.withUTF8 { Self.bind(utf8: $0, at: index, in: statement) }
    }

    private static func bind(
        utf8 bytes: UnsafeBufferPointer<UInt8>,
        at index: Int32,
        in statement: OpaquePointer
    ) -> Int32 {
        // SQLITE_TRANSIENT: SQLite copies the bytes before this returns.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        return bytes.withMemoryRebound(to: CChar.self) { characters in
            // An empty buffer has no address, and a NULL pointer would bind NULL instead of ''.
            guard let address = characters.baseAddress else {
                return sqlite3_bind_text(statement, index, "", 0, transient)
            }
            return sqlite3_bind_text(statement, index, address, Int32(characters.count), transient)
        }
    }

    private static func value(at column: Int32, in statement: OpaquePointer) -> SQLValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT:
            // Bilean stores no REAL; a REAL here comes from an expression and is reported as text.
            return .text("\(sqlite3_column_double(statement, column))")
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        default:
            // A BLOB, which Bilean does not store: its bytes as UTF-8.
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let bytes = sqlite3_column_blob(statement, column) else { return .text("") }
            return .text(String(decoding: UnsafeRawBufferPointer(start: bytes, count: count), as: UTF8.self))
        }
    }

    private func error(_ code: Int32, sql: String?) -> SQLiteError {
        let message = self.handle.map { String(cString: sqlite3_errmsg($0)) } ?? "the connection is closed"
        return SQLiteError(code: code, message: message, sql: sql)
    }
}

/// A failure reported by SQLite: its (extended) result code and message, and the statement.
struct SQLiteError: Error, CustomStringConvertible {
    /// SQLite's result code, e.g. 19 (SQLITE_CONSTRAINT) or 2067 (SQLITE_CONSTRAINT_UNIQUE).
    var code: Int32
    /// SQLite's message.
    var message: String
    /// The statement, for the log only.
    var sql: String?

    static func closed(_ sql: String) -> SQLiteError {
        SQLiteError(code: SQLITE_MISUSE, message: "the connection is closed", sql: sql)
    }

    var description: String {
        "SQLite error \(self.code): \(self.message)\(self.sql.map { " in: \($0)" } ?? "")"
    }
}
