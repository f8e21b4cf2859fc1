/// A SQL statement whose values are always bind parameters.
///
/// Interpolated values become parameters; only ``StringInterpolation/appendInterpolation(unsafeRaw:)`` inserts
/// text, and it is used only with identifiers chosen by Bilean (column names from whitelists), never with input.
package struct SQLStatement: Sendable, Hashable, ExpressibleByStringInterpolation {
    enum Part: Sendable, Hashable {
        case sql(String)
        case bind(SQLValue)
    }

    var parts: [Part]

    /// Creates a statement from literal SQL.
    package init(stringLiteral value: String) {
        self.parts = [.sql(value)]
    }

    /// Creates a statement from an interpolation.
    package init(stringInterpolation: StringInterpolation) {
        self.parts = stringInterpolation.parts
    }

    init(parts: [Part]) {
        self.parts = parts
    }

    /// Appends another statement.
    /// - Parameter other: The statement to append.
    package mutating func append(_ other: SQLStatement) {
        self.parts += other.parts
    }

    /// Joins statements with a separator.
    /// - Parameters:
    ///   - statements: The statements.
    ///   - separator: Literal SQL between them.
    /// - Returns: The joined statement.
    package static func join(_ statements: [SQLStatement], separator: String) -> SQLStatement {
        var parts: [Part] = []
        for (index, statement) in statements.enumerated() {
            if index > 0 { parts.append(.sql(separator)) }
            parts += statement.parts
        }
        return SQLStatement(parts: parts)
    }

    /// The values this statement binds, in order, if its SQL text is that of `template`: the same literal text in
    /// the same places, and a value wherever `template` has one (two rows made by one interpolation). Else `nil`.
    /// - Parameter template: The statement whose shape is expected.
    /// - Returns: The values, or `nil`.
    func binds(ifShapedLike template: SQLStatement) -> [SQLValue]? {
        guard self.parts.count == template.parts.count else { return nil }
        var binds: [SQLValue] = []
        binds.reserveCapacity(self.parts.count / 2)
        for index in self.parts.indices {
            switch (self.parts[index], template.parts[index]) {
            case (.sql(let text), .sql(let expected)):
                guard text == expected else { return nil }
            case (.bind(let value), .bind):
                binds.append(value)
            default:
                return nil
            }
        }
        return binds
    }

    /// This statement with its values replaced, in order, by `binds`.
    /// - Parameter binds: As many values as the statement binds.
    /// - Returns: The statement.
    func replacingBinds(with binds: [SQLValue]) -> SQLStatement {
        var values = binds.makeIterator()
        return SQLStatement(
            parts: self.parts.map { part in
                guard case .bind = part, let value = values.next() else { return part }
                return .bind(value)
            }
        )
    }

    /// Renders the SQL text with the dialect's placeholders, and the values to bind in order.
    /// - Parameter dialect: The database dialect.
    /// - Returns: The SQL and its binds.
    package func render(for dialect: SQLDialect) -> (sql: String, binds: [SQLValue]) {
        var sql = ""
        var binds: [SQLValue] = []
        for part in self.parts {
            switch part {
            case .sql(let text):
                sql += text
            case .bind(let value):
                binds.append(value)
                sql += dialect.placeholder(binds.count, for: value)
            }
        }
        return (sql, binds)
    }

    /// The interpolation that turns every value into a bind parameter.
    package struct StringInterpolation: StringInterpolationProtocol {
        var parts: [Part] = []

        /// Creates an empty interpolation.
        package init(literalCapacity: Int, interpolationCount: Int) {}

        /// Appends literal SQL.
        package mutating func appendLiteral(_ literal: String) {
            self.parts.append(.sql(literal))
        }

        /// Binds a value.
        package mutating func appendInterpolation(_ value: SQLValue) {
            self.parts.append(.bind(value))
        }

        /// Binds text.
        package mutating func appendInterpolation(_ value: String) {
            self.parts.append(.bind(.text(value)))
        }

        /// Binds an integer.
        package mutating func appendInterpolation(_ value: Int64) {
            self.parts.append(.bind(.integer(value)))
        }

        /// Binds an integer.
        package mutating func appendInterpolation(_ value: Int) {
            self.parts.append(.bind(.integer(Int64(value))))
        }

        /// Appends a nested statement.
        package mutating func appendInterpolation(_ statement: SQLStatement) {
            self.parts += statement.parts
        }

        /// Appends trusted SQL text (identifiers from Bilean's own whitelists only; never input).
        package mutating func appendInterpolation(unsafeRaw text: String) {
            self.parts.append(.sql(text))
        }
    }
}
