import Testing

@testable import BileanCore

/// ``StatisticsDays``: a window cut at each UTC midnight, the first and last days clipped to it.
@Suite("Statistics days")
struct StatisticsDaysTests {
    static func time(_ text: String) throws -> BillingTime {
        try BillingTime(parsing: text)
    }

    static func days(_ start: String, _ end: String) throws -> [[String]] {
        try StatisticsDays(start: try time(start), end: try time(end)).days.map {
            [$0.day.iso8601, $0.start.iso8601, $0.end.iso8601]
        }
    }

    @Test func aWindowIsCutAtEachMidnight() throws {
        #expect(
            try Self.days("2026-12-30T22:00:00Z", "2027-01-01T01:30:00.5Z") == [
                ["2026-12-30T00:00:00.000000Z", "2026-12-30T22:00:00.000000Z", "2026-12-31T00:00:00.000000Z"],
                ["2026-12-31T00:00:00.000000Z", "2026-12-31T00:00:00.000000Z", "2027-01-01T00:00:00.000000Z"],
                ["2027-01-01T00:00:00.000000Z", "2027-01-01T00:00:00.000000Z", "2027-01-01T01:30:00.500000Z"],
            ]
        )
    }

    @Test func wholeDaysAreNotFollowedByAnEmptyOne() throws {
        #expect(
            try Self.days("2024-02-28T00:00:00Z", "2024-03-01T00:00:00Z") == [
                ["2024-02-28T00:00:00.000000Z", "2024-02-28T00:00:00.000000Z", "2024-02-29T00:00:00.000000Z"],
                ["2024-02-29T00:00:00.000000Z", "2024-02-29T00:00:00.000000Z", "2024-03-01T00:00:00.000000Z"],
            ]
        )
        #expect(try Self.days("2024-02-28T00:00:00Z", "2024-02-28T00:00:00Z").isEmpty)
        #expect(try Self.days("2024-02-28T23:59:59.999999Z", "2024-02-29T00:00:00Z").count == 1)
    }

    @Test func midnightsBefore1970AreFloored() throws {
        #expect(
            StatisticsDays.midnight(atOrBefore: try Self.time("1969-12-31T23:59:59.999999Z")).iso8601
                == "1969-12-31T00:00:00.000000Z"
        )
        #expect(
            StatisticsDays.midnight(atOrBefore: try Self.time("1969-12-31T00:00:00Z")).iso8601
                == "1969-12-31T00:00:00.000000Z"
        )
        #expect(
            StatisticsDays.midnight(atOrBefore: try Self.time("2026-12-06T12:34:56Z")).iso8601
                == "2026-12-06T00:00:00.000000Z"
        )
    }

    @Test func atMost366Days() throws {
        #expect(try Self.days("2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z").count == 366)
        #expect(throws: BileanError.self) {
            try Self.days("2024-01-01T00:00:00Z", "2025-01-01T00:00:00.000001Z")
        }
        #expect(throws: BileanError.self) {
            try Self.days("2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z")
        }
    }

    @Test func aQueryNeedsBothEnds() throws {
        var query = ListQuery()
        #expect(throws: BileanError.self) { try StatisticsDays(query) }
        query.start = try Self.time("2024-01-01T00:00:00Z")
        #expect(throws: BileanError.self) { try StatisticsDays(query) }
        query.end = try Self.time("2024-01-03T00:00:00Z")
        #expect(try StatisticsDays(query).days.count == 2)
    }
}
