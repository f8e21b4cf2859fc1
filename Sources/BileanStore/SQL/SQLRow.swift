package import BileanCore

/// One result row: its values, in the order of its columns.
package struct SQLRow: Sendable {
    /// The column names, in order (one array shared by every row of a result).
    package let columns: [String]
    /// The values, in the order of ``columns``.
    package let values: [SQLValue]

    /// Creates a row.
    /// - Parameters:
    ///   - columns: The column names, in order.
    ///   - values: The values, one per column.
    package init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The raw value of a column (NULL when absent).
    ///
    /// A row has a couple of dozen columns at most: a scan of their names (short strings, compared without hashing)
    /// costs less than building a dictionary for every row.
    package subscript(column: String) -> SQLValue {
        // Names of another length are passed over without comparing their text: most are, and a full string
        // comparison of two different names is the slow path of `==`.
        let length = column.utf8.count
        for index in self.columns.indices
        where self.columns[index].utf8.count == length && self.columns[index] == column {
            return self.values[index]
        }
        return .null
    }

    /// A column by name, to read as a type.
    package func field(_ column: String) -> SQLField {
        SQLField(value: self[column], column: column)
    }

    /// The column at `position`, whose name is known to be `column` (a decoder that has checked the result's
    /// column names once reads each row by position, without a scan of the names per value).
    package func field(at position: Int, _ column: String) -> SQLField {
        SQLField(value: self.values.indices.contains(position) ? self.values[position] : .null, column: column)
    }

    /// A text column that may be NULL.
    /// - Throws: ``StoreError`` if the column holds something else.
    package func optionalText(_ column: String) throws(StoreError) -> String? {
        try self.field(column).optionalText()
    }

    /// A text column.
    /// - Throws: ``StoreError`` if the column is NULL or not text.
    package func text(_ column: String) throws(StoreError) -> String {
        try self.field(column).text()
    }

    /// An integer column that may be NULL.
    /// - Throws: ``StoreError`` if the column holds something else.
    package func optionalInteger(_ column: String) throws(StoreError) -> Int64? {
        try self.field(column).optionalInteger()
    }

    /// An integer column.
    /// - Throws: ``StoreError`` if the column is NULL or not an integer.
    package func integer(_ column: String) throws(StoreError) -> Int64 {
        try self.field(column).integer()
    }

    /// A time column (microseconds) that may be NULL.
    /// - Throws: ``StoreError`` if the column holds something else.
    package func optionalTime(_ column: String) throws(StoreError) -> BillingTime? {
        try self.field(column).optionalTime()
    }

    /// A time column.
    /// - Throws: ``StoreError`` if the column is NULL or not a time.
    package func time(_ column: String) throws(StoreError) -> BillingTime {
        try self.field(column).time()
    }

    /// A money column (exact decimal text).
    /// - Throws: ``StoreError`` if the column is NULL or not a decimal.
    package func money(_ column: String) throws(StoreError) -> Money {
        try self.field(column).money()
    }

    /// A big-integer column (exact decimal text).
    /// - Throws: ``StoreError`` if the column is NULL or not an integer.
    package func bigInteger(_ column: String) throws(StoreError) -> Int128 {
        try self.field(column).bigInteger()
    }

    /// A JSON column.
    /// - Throws: ``StoreError`` if the column is NULL or not JSON.
    package func json(_ column: String) throws(StoreError) -> JSONValue {
        try self.field(column).json()
    }
}

/// One value of a row with its column's name, read as a type; a value of another type is reported as corrupt
/// under that name.
package struct SQLField: Sendable {
    /// The raw value.
    package let value: SQLValue
    /// The column's name, for errors.
    package let column: String

    /// A text value that may be NULL.
    /// - Throws: ``StoreError`` if the value holds something else.
    package func optionalText() throws(StoreError) -> String? {
        switch self.value {
        case .null: return nil
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .money(let value): return value.description
        case .bigInteger(let value): return String(value)
        }
    }

    /// A text value.
    /// - Throws: ``StoreError`` if the value is NULL or not text.
    package func text() throws(StoreError) -> String {
        guard let text = try self.optionalText() else { throw StoreError.corrupt(self.column, "NULL") }
        return text
    }

    /// An integer value that may be NULL.
    /// - Throws: ``StoreError`` if the value holds something else.
    package func optionalInteger() throws(StoreError) -> Int64? {
        switch self.value {
        case .null: return nil
        case .integer(let value): return value
        case .text(let text):
            guard let value = Int64(text) else { throw StoreError.corrupt(self.column, text) }
            return value
        case .money, .bigInteger: throw StoreError.corrupt(self.column, "a decimal")
        }
    }

    /// An integer value.
    /// - Throws: ``StoreError`` if the value is NULL or not an integer.
    package func integer() throws(StoreError) -> Int64 {
        guard let value = try self.optionalInteger() else { throw StoreError.corrupt(self.column, "NULL") }
        return value
    }

    /// A time value (microseconds) that may be NULL.
    /// - Throws: ``StoreError`` if the value holds something else.
    package func optionalTime() throws(StoreError) -> BillingTime? {
        try self.optionalInteger().map { BillingTime(microseconds: $0) }
    }

    /// A time value.
    /// - Throws: ``StoreError`` if the value is NULL or not a time.
    package func time() throws(StoreError) -> BillingTime {
        BillingTime(microseconds: try self.integer())
    }

    /// A money value (exact decimal text).
    /// - Throws: ``StoreError`` if the value is NULL or not a decimal.
    package func money() throws(StoreError) -> Money {
        let text = try self.text()
        var plain = text
        if let units = plain.withUTF8({ StoredMoneyText.units($0) }) { return Money(units: units) }
        do {
            return try Money(parsing: text, field: self.column)
        } catch {
            throw StoreError.corrupt(self.column, text)
        }
    }

    /// A big-integer value (exact decimal text).
    /// - Throws: ``StoreError`` if the value is NULL or not an integer.
    package func bigInteger() throws(StoreError) -> Int128 {
        let text = try self.text()
        if let value = Int128(text) { return value }
        // PostgreSQL may render NUMERIC(60,0) values without a fraction; accept a ".0…" tail defensively.
        let digits = text.split(separator: ".", maxSplits: 1)
        guard let whole = digits.first, let value = Int128(String(whole)),
            digits.count == 1 || digits[1].allSatisfy({ $0 == "0" })
        else {
            throw StoreError.corrupt(self.column, text)
        }
        return value
    }

    /// A JSON value.
    /// - Throws: ``StoreError`` if the value is NULL or not JSON.
    package func json() throws(StoreError) -> JSONValue {
        let text = try self.text()
        // Core's own reader: several times faster than Foundation's decoder on the billing hot path, and it keeps
        // each number's text exactly as it was stored (the store writes canonical decimal text).
        do throws(ExactJSONReader.Failure) {
            return try ExactJSONReader.parse(utf8: text, maximumDepth: 512)
        } catch {
            throw StoreError.corrupt(self.column, "invalid JSON")
        }
    }
}
