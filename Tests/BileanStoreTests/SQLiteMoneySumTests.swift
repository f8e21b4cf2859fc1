import BileanCore
import BileanStore
import BileanTestSupport
import Testing

/// `bilean_money_sum(x)`, SQLite's exact sum of money kept as text, on its own.
@Suite("SQLite money sum")
struct SQLiteMoneySumTests {
    /// Runs one statement whose single row has a `total` column, and returns that column (`nil` for NULL).
    static func total(_ store: SQLBillingStore, _ statement: SQLStatement, read: Bool = false) async throws -> String? {
        let rows: [SQLRow]
        if read {
            rows = try await store.driver.withReadTransaction { try await $0.query(statement) }
        } else {
            rows = try await store.driver.withTransaction { try await $0.query(statement) }
        }
        #expect(rows.count == 1)
        return try rows.first?.optionalText("total")
    }

    @Test func sumsExactlyAndSkipsNulls() async throws {
        try await TestDatabase.sqlite.withStore { store in
            let statement: SQLStatement = """
                SELECT bilean_money_sum(column1) AS total \
                FROM (VALUES ('1.5'), (NULL), ('-0.000000000001'), ('2'), ('0'), ('-0.25'))
                """
            let total = try await Self.total(store, statement)
            #expect(total == "3.249999999999")
            // On the read-only connections too.
            let read = try await Self.total(store, statement, read: true)
            #expect(read == "3.249999999999")
        }
    }

    @Test func largeAmountsSumPastWhatADoubleHolds() async throws {
        try await TestDatabase.sqlite.withStore { store in
            let large = try Money(parsing: "123456789012345.123456789012")
            let statement: SQLStatement = """
                SELECT bilean_money_sum(column1) AS total FROM (VALUES (\(.money(large))), (\(.money(large))), \
                (\(.money(large))), (\(.money(-large))), (\(.money(large))), (\(.money(large))), \
                (\(.money(Money(units: 1)))))
                """
            let expected = Money(units: large.units * 4 + 1)
            let total = try await Self.total(store, statement)
            #expect(total == expected.description)
            #expect(expected.description == "493827156049380.493827156049")
        }
    }

    @Test func noRowsOrOnlyNullsGiveNull() async throws {
        try await TestDatabase.sqlite.withStore { store in
            let empty = try await Self.total(store, "SELECT bilean_money_sum(cost) AS total FROM consumptions")
            #expect(empty == nil)
            let null = try await Self.total(store, "SELECT bilean_money_sum(NULL) AS total")
            #expect(null == nil)
            let nulls: SQLStatement = "SELECT bilean_money_sum(column1) AS total FROM (VALUES (NULL), (NULL))"
            let onlyNulls = try await Self.total(store, nulls, read: true)
            #expect(onlyNulls == nil)
        }
    }

    @Test func otherSpellingsOfAnAmountAreParsedExactly() async throws {
        try await TestDatabase.sqlite.withStore { store in
            // An integer, a `+` sign, an exponent, leading and trailing zeros: the full parser's exact values.
            let statement: SQLStatement = """
                SELECT bilean_money_sum(column1) AS total \
                FROM (VALUES (7), ('+1'), ('1e2'), ('0012.500'), ('-1.5E-12'))
                """
            let total = try await Self.total(store, statement)
            #expect(total == "120.499999999998")
        }
    }

    @Test(arguments: ["abc", "1.2.3", "", " 1", "NaN", "1e999"])
    func aValueThatIsNotAnAmountFailsTheStatement(_ text: String) async throws {
        try await TestDatabase.sqlite.withStore { store in
            let statement: SQLStatement =
                "SELECT bilean_money_sum(column1) AS total FROM (VALUES ('1'), (\(text)), ('2'))"
            let error = await #expect(throws: StoreError.self) {
                try await Self.total(store, statement)
            }
            let message = String(describing: error?.underlying)
            #expect(message.contains("bilean_money_sum"), "\(message)")
        }
    }

    @Test func aRealFailsTheStatement() async throws {
        try await TestDatabase.sqlite.withStore { store in
            let error = await #expect(throws: StoreError.self) {
                try await Self.total(store, "SELECT bilean_money_sum(0.5) AS total")
            }
            let message = String(describing: error?.underlying)
            #expect(message.contains("bilean_money_sum"), "\(message)")
        }
    }

    /// A stored amount is read by a fast path for the plain form the store writes; it must agree exactly with the
    /// full parser on every text, plain or not, and refuse what that parser refuses.
    @Test func storedAmountsReadAsTheFullParserReadsThem() throws {
        var random = BileanTestSupport.SeededRandomNumberGenerator(seed: 1616)
        var texts = [
            "0", "-0", "0.000000000001", "-0.000000000001", "1000000000000000", "1000000000000000.000000000001",
            "999999999999999.999999999999", "12345678901234567", "1.0000000000000", "+1", "1e2", "007.50", "1.",
            ".5", "", "-", "1.2.3", "١", "1000.000000000000",
        ]
        for _ in 0..<20_000 {
            let units =
                Int128(Int64.random(in: Int64.min...Int64.max, using: &random))
                * Int128(Int64.random(in: 0...1_000, using: &random))
            texts.append(Money(units: units).description)
        }
        for text in texts {
            let row = SQLRow(columns: ["amount"], values: [.text(text)])
            let expected = try? Money(parsing: text, field: "amount")
            #expect((try? row.money("amount")) == expected, "\(text)")
        }
    }
}
