import Testing

@testable import BileanClient

@Suite("QueryParameters")
struct QueryParametersTests {
    @Test func percentEncodesEverythingButUnreserved() {
        #expect(QueryParameters.percentEncode("AZaz09-._~") == "AZaz09-._~")
        #expect(QueryParameters.percentEncode("a b&c=d;e+f/g?h#i%j") == "a%20b%26c%3Dd%3Be%2Bf%2Fg%3Fh%23i%25j")
        #expect(QueryParameters.percentEncode("é€\n") == "%C3%A9%E2%82%AC%0A")
    }

    @Test func keepsOrderAndRepeatedKeys() {
        var query = QueryParameters()
        query.append("name", "a&b")
        query.append("skipped", nil)
        query.append("sort_keys", values: ["name", "created_at"])
        query.append("start_time", "2026-11-26T10:00:00+01:00")
        #expect(
            query.encoded
                == "name=a%26b&sort_keys=name&sort_keys=created_at&start_time=2026-11-26T10%3A00%3A00%2B01%3A00"
        )
        #expect(query.values(of: "sort_keys") == ["name", "created_at"])
        query.removeAll(named: "sort_keys")
        #expect(query.encoded == "name=a%26b&start_time=2026-11-26T10%3A00%3A00%2B01%3A00")
    }

    @Test func emptyIsEmpty() {
        #expect(QueryParameters().encoded == "")
    }

    @Test func listOptionsBecomeParameters() {
        let options = ListOptions(
            limit: 5,
            marker: "m",
            sortKeys: ["name", "created_at"],
            sortDirection: "desc",
            showDeleted: true,
            filters: [("status", "ACTIVE"), ("status", "FREEZE"), ("name", "x y")]
        )
        #expect(
            options.query.encoded
                == "status=ACTIVE&status=FREEZE&name=x%20y&sort_keys=name&sort_keys=created_at&sort_dir=desc&show_deleted=true"
        )
        #expect(ListOptions().query.encoded == "")
    }
}
