import BileanCore
import Testing

@testable import BileanStore

/// How rows of one insert are recognised as made by one interpolation (and so written through one prepared
/// statement on SQLite, or one JSON document on PostgreSQL); anything else goes the row-by-row way.
@Suite("SQL statement shapes")
struct SQLStatementShapeTests {
    static func row(_ id: String, _ count: Int64, _ note: String?) -> SQLStatement {
        "(\(id), \(count), \(.optionalText(note)))"
    }

    /// Rows of one interpolation share their text whatever their values (NULL included): each gives its values in
    /// order, and putting them back into the first row gives the row again.
    @Test func rowsOfOneInterpolationShareTheirShape() throws {
        let rows = [Self.row("a", 1, "x"), Self.row("b", 2, nil), Self.row("c'; --", -3, "")]
        let values = try #require(SQLStoreTransaction.values(of: rows))
        #expect(values.count == 3)
        #expect(values[1] == [.text("b"), .integer(2), .null])
        #expect(values[2] == [.text("c'; --"), .integer(-3), .text("")])
        for (row, binds) in zip(rows, values) {
            #expect(rows[0].replacingBinds(with: binds) == row)
        }
        #expect(rows[1].render(for: .sqlite).sql == rows[0].render(for: .sqlite).sql)
    }

    /// A row whose text differs (a literal in place of a value, another column count, other SQL) is not of the
    /// shape: the rows are then written one statement each.
    @Test func otherTextIsAnotherShape() {
        let first = Self.row("a", 1, nil)
        let literal: SQLStatement = "(\("b"), 2, NULL)"
        let longer: SQLStatement = "(\("b"), \(2), \(.null), \(.null))"
        let otherSQL: SQLStatement = "(\("b"); \(2), \(.null))"
        #expect(SQLStoreTransaction.values(of: [first, literal]) == nil)
        #expect(SQLStoreTransaction.values(of: [first, longer]) == nil)
        #expect(SQLStoreTransaction.values(of: [first, otherSQL]) == nil)
        #expect(SQLStoreTransaction.values(of: []) == [])
    }

    /// PostgreSQL's one-document insert needs `INSERT INTO table (columns)` and rows of one value per column with
    /// no SQL of their own; other prefixes and rows are written as before.
    @Test func onlyPlainInsertsGoAsOneDocument() throws {
        let target = try #require(
            SQLStoreTransaction.insertTarget(
                """
                INSERT INTO events (id, timestamp,
                    obj_id)
                """
            )
        )
        #expect(target.table == "events")
        #expect(target.columns == ["id", "timestamp", "obj_id"])
        #expect(SQLStoreTransaction.insertTarget("INSERT INTO events SELECT 1") == nil)
        #expect(SQLStoreTransaction.insertTarget("INSERT INTO events (id, lower(x))") == nil)
        #expect(SQLStoreTransaction.insertTarget("UPDATE events (id)") == nil)

        #expect(SQLStoreTransaction.isPlainRow(Self.row("a", 1, nil), columns: 3))
        #expect(!SQLStoreTransaction.isPlainRow(Self.row("a", 1, nil), columns: 4))
        #expect(!SQLStoreTransaction.isPlainRow("(\("a"), now(), \(.null))", columns: 2))
    }
}
