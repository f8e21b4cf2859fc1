import Testing

@testable import BileanCore

private let sortable: Set<String> = ["id", "name", "created_at"]
private let filterable: Set<String> = ["name", "status"]

@Suite("ListQuery")
struct ListQueryTests {
    private func invalid(_ query: ListQuery) -> BileanError? {
        #expect(throws: BileanError.self) { try query.validate(sortable: sortable, filterable: filterable) }
    }

    @Test func defaults() {
        let query = ListQuery()
        #expect(query.limit == 100)
        #expect(query.marker == nil)
        #expect(query.sortKeys.isEmpty)
        #expect(query.direction == .asc)
        #expect(!query.showDeleted)
        #expect(query.filters.isEmpty)
    }

    @Test func validQueryPasses() throws {
        let query = ListQuery(
            limit: 50,
            marker: "4f1c5f44-6f0e-4bd1-9b46-6a1f4bd6d3d2",
            sortKeys: ["name", "created_at"],
            direction: .desc,
            showDeleted: true,
            filters: ["status": ["ACTIVE", "WARNING"], "name": ["x"]],
            userID: "project",
            start: BillingTime(seconds: 100),
            end: BillingTime(seconds: 200)
        )
        try query.validate(sortable: sortable, filterable: filterable)
        // Equal start and end are a valid (empty) window.
        try ListQuery(start: BillingTime(seconds: 100), end: BillingTime(seconds: 100))
            .validate(sortable: sortable, filterable: filterable)
        try ListQuery().validate(sortable: sortable, filterable: filterable)
    }

    @Test(arguments: [1, 1000])
    func limitBoundsAreAccepted(limit: Int) throws {
        try ListQuery(limit: limit).validate(sortable: sortable, filterable: filterable)
    }

    @Test(arguments: [0, 1001, -1, Int.max, Int.min])
    func limitOutOfRangeIsRejected(limit: Int) {
        let error = self.invalid(ListQuery(limit: limit))
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "limit")
    }

    @Test func unknownSortKeyIsRejected() throws {
        let error = try #require(self.invalid(ListQuery(sortKeys: ["name", "balance; DROP TABLE users"])))
        #expect(error.code == .invalidInput)
        #expect(error.field == "sort_keys")
        #expect(error.message.contains("balance; DROP TABLE users"))
        #expect(error.message.contains("created_at, id, name"))
    }

    @Test func unknownFilterIsNamedByItsName() throws {
        let error = try #require(self.invalid(ListQuery(filters: ["status": ["ACTIVE"], "balance": ["1"]])))
        #expect(error.code == .invalidInput)
        #expect(error.field == "balance")
        #expect(error.message.contains("name, status"))
    }

    @Test func firstUnknownFilterInSortedOrderIsNamed() {
        let error = self.invalid(ListQuery(filters: ["zzz": ["1"], "aaa": ["1"], "name": ["x"]]))
        #expect(error?.field == "aaa")
    }

    @Test(arguments: ["", String(repeating: "m", count: 256)])
    func badMarkerIsRejected(marker: String) {
        let error = self.invalid(ListQuery(marker: marker))
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "marker")
    }

    @Test func markerOf255CharactersIsAccepted() throws {
        try ListQuery(marker: String(repeating: "m", count: 255)).validate(sortable: sortable, filterable: filterable)
    }

    @Test func endBeforeStartIsRejected() {
        let error = self.invalid(
            ListQuery(start: BillingTime(microseconds: 1_000_001), end: BillingTime(microseconds: 1_000_000))
        )
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "end_time")
    }

    @Test func onlyOneBoundIsFine() throws {
        try ListQuery(start: BillingTime(seconds: 100)).validate(sortable: sortable, filterable: filterable)
        try ListQuery(end: BillingTime(seconds: 100)).validate(sortable: sortable, filterable: filterable)
    }

    @Test func limitIsCheckedFirst() {
        let error = self.invalid(ListQuery(limit: 0, marker: "", sortKeys: ["bad"], filters: ["bad": []]))
        #expect(error?.field == "limit")
    }

    @Test func everyListAcceptsItsOwnKeys() throws {
        for keys in [ListKeys.users, .rules, .policies, .resources, .events, .consumptions] {
            let query = ListQuery(
                sortKeys: keys.sortable.sorted(),
                filters: Dictionary(uniqueKeysWithValues: keys.filterable.map { ($0, ["x"]) })
            )
            try query.validate(sortable: keys.sortable, filterable: keys.filterable)
        }
        #expect(throws: BileanError.self) {
            try ListQuery(sortKeys: ["balance"]).validate(
                sortable: ListKeys.rules.sortable,
                filterable: ListKeys.rules.filterable
            )
        }
    }
}
