import BileanCore
import Testing

@testable import BileanStore

@Suite("User decoding")
struct UserDecodingTests {
    /// The values of a user row, by column name.
    static let values: [String: SQLValue] = [
        "id": .text("project-1"), "name": .text("Project One"), "policy_id": .null, "balance": .text("12.5"),
        "rate": .text("3600000000000"), "credit": .text("0"), "last_bill": .integer(1_700_000_000_000_000),
        "status": .text("ACTIVE"), "status_reason": .null, "created_at": .integer(1_600_000_000_000_000),
        "updated_at": .integer(1_650_000_000_000_000), "deleted_at": .null,
        "open_weighted_start": .text("-42"), "open_residue": .text("7"), "open_count": .integer(2),
        "frozen_at": .null, "overdrawn_at": .integer(1_690_000_000_000_000),
    ]

    static func row(_ columns: [String]) -> SQLRow {
        SQLRow(columns: columns, values: columns.map { Self.values[$0] ?? .null })
    }

    /// Rows in the query's column order are read by position, rows in any other order by name: the same user.
    @Test func byPositionAndByNameAgree() throws {
        let ordered = SQLStoreTransaction.userColumnNames
        let expected = try SQLStoreTransaction.decodeUser(Self.row(ordered))
        #expect(expected.id == "project-1")
        #expect(expected.balance == (try Money(parsing: "12.5", field: "balance")))
        #expect(expected.accrual.weightedStart == -42)
        #expect(expected.accrual.count == 2)
        #expect(expected.overdrawnAt == BillingTime(microseconds: 1_690_000_000_000_000))
        #expect(try SQLStoreTransaction.decodeUsers([Self.row(ordered), Self.row(ordered)]) == [expected, expected])
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let shuffled = ordered.shuffled(using: &generator)
            #expect(try SQLStoreTransaction.decodeUsers([Self.row(shuffled)]) == [expected])
        }
        // An extra column in front moves every position: read by name, still the same user.
        #expect(try SQLStoreTransaction.decodeUsers([Self.row(["extra"] + ordered)]) == [expected])
    }

    /// A value of the wrong type is reported under its column's name, by position as by name.
    @Test func aCorruptValueNamesItsColumn() {
        let ordered = SQLStoreTransaction.userColumnNames
        var values = ordered.map { Self.values[$0] ?? .null }
        values[3] = .text("twelve")
        let row = SQLRow(columns: ordered, values: values)
        for decode in [{ try SQLStoreTransaction.decodeUsers([row]) }, { [try SQLStoreTransaction.decodeUser(row)] }] {
            let error = #expect(throws: StoreError.self) { try decode() }
            #expect(error?.code == .corruptRow)
            #expect(error?.message == "column balance holds an unexpected value (twelve)")
        }
    }
}
