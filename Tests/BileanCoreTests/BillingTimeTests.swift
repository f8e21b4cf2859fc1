import Foundation
import Testing

@testable import BileanCore

/// 2016-05-04T10:00:00Z in seconds since the epoch.
private let base: Int64 = 1_462_356_000

@Suite("BillingTime")
struct BillingTimeTests {
    // MARK: Parsing

    @Test(
        arguments: [
            ("2016-05-04 10:00:00.123456", base * 1_000_000 + 123_456),
            ("2016-05-04T10:00:00Z", base * 1_000_000),
            ("2016-05-04T10:00:00", base * 1_000_000),
            ("2016-05-04t10:00:00z", base * 1_000_000),
            ("2016-05-04 10:00:00", base * 1_000_000),
            ("2016-05-04T10:00:00.123456+00:00", base * 1_000_000 + 123_456),
            ("2016-05-04T10:00:00.123456-00:00", base * 1_000_000 + 123_456),
            ("2016-05-04T10:00:00+0000", base * 1_000_000),
            ("2016-05-04T10:00:00+00", base * 1_000_000),
            ("2016-05-04T12:00:00+02:00", base * 1_000_000),
            ("2016-05-04T10:00:00-0530", (base + 19_800) * 1_000_000),
            ("2016-05-04T10:00:00-05:30", (base + 19_800) * 1_000_000),
            ("2016-05-04T10:00:00+05", (base - 18_000) * 1_000_000),
            ("2016-05-04T10:00:00+23:59", 1_462_269_660 * 1_000_000),
            ("2016-05-04T10:00:00-00:01", 1_462_356_060 * 1_000_000),
            ("2016-05-04T00:30:00+01:00", 1_462_318_200 * 1_000_000),
            ("2016-05-04T23:59:59.999999-23:59", 1_462_492_739 * 1_000_000 + 999_999),
            ("2016-05-04T10:00:00.5Z", base * 1_000_000 + 500_000),
            ("2016-05-04T10:00:00.05Z", base * 1_000_000 + 50_000),
            ("2016-05-04T10:00:00.000001Z", base * 1_000_000 + 1),
            ("2016-05-04T10:00:00.1234567Z", base * 1_000_000 + 123_456),
            ("2016-05-04T10:00:00.12345678Z", base * 1_000_000 + 123_456),
            ("2016-05-04T10:00:00.123456789Z", base * 1_000_000 + 123_456),
            ("2016-05-04T10:00:00.999999999Z", base * 1_000_000 + 999_999),
            ("2016-05-04T10:00:00.0000009Z", base * 1_000_000),
            ("1970-01-01T00:00:00Z", 0),
            ("1969-12-31T23:59:59.999999Z", -1),
            ("1969-12-31T23:59:59.9999999Z", -1),  // floored, not rounded to 0
            ("1969-07-20T20:17:40Z", -14_182_940 * 1_000_000),
            ("1900-01-01T00:00:00Z", -2_208_988_800 * 1_000_000),
            ("1600-03-01T00:00:00Z", -11_670_912_000 * 1_000_000),
            ("2038-01-19T03:14:08Z", 2_147_483_648 * 1_000_000),
            ("0001-01-01T00:00:00Z", -62_135_596_800 * 1_000_000),
            ("0001-01-01T00:00:00+23:59", -62_135_683_140 * 1_000_000),
            ("9999-12-31T23:59:59.999999Z", 253_402_300_799 * 1_000_000 + 999_999),
            ("9999-12-31T23:59:59-23:59", 253_402_387_139 * 1_000_000),
        ] as [(String, Int64)]
    )
    func parses(text: String, microseconds: Int64) throws {
        #expect(try BillingTime(parsing: text).microseconds == microseconds)
    }

    @Test func offsetsShiftToTheSameInstant() throws {
        let utc = try BillingTime(parsing: "2016-05-04T10:00:00Z")
        #expect(try BillingTime(parsing: "2016-05-04T12:00:00+02:00") == utc)
        #expect(try BillingTime(parsing: "2016-05-04T04:30:00-0530") == utc)
        #expect(try BillingTime(parsing: "2016-05-04T15:00:00+05") == utc)
        #expect(try BillingTime(parsing: "2016-05-05T09:59:00+23:59") == utc)
    }

    @Test func leapDays() throws {
        #expect(try BillingTime(parsing: "2016-02-29T00:00:00Z").microseconds == 1_456_704_000 * 1_000_000)
        #expect(try BillingTime(parsing: "2016-02-29T23:59:59Z").microseconds == 1_456_790_399 * 1_000_000)
        #expect(try BillingTime(parsing: "2000-02-29T12:00:00Z").microseconds == 951_825_600 * 1_000_000)
        #expect(throws: BileanError.self) { try BillingTime(parsing: "2015-02-29T00:00:00Z") }
        #expect(throws: BileanError.self) { try BillingTime(parsing: "1900-02-29T00:00:00Z") }
        #expect(throws: BileanError.self) { try BillingTime(parsing: "2016-02-30T00:00:00Z") }
    }

    @Test(arguments: [
        "",
        " ",
        "now",
        "2016-05-04",
        "2016-05-04T",
        "2016-05-04 ",
        "2016-05-04T10",
        "2016-05-04T10:00",
        "2016-05-04T10:00Z",
        " 2016-05-04T10:00:00Z",
        "2016-05-04T10:00:00Z ",
        "2016-05-04T10:00:00\n",
        "2016-05-04  10:00:00",
        "2016-05-04X10:00:00Z",
        "2016/05/04T10:00:00Z",
        "2016-5-4T10:00:00Z",
        "16-05-04T10:00:00Z",
        "20160504T100000Z",
        "+2016-05-04T10:00:00Z",
        "-2016-05-04T10:00:00Z",
        "12016-05-04T10:00:00Z",
        "0000-01-01T00:00:00Z",
        "2016-13-01T00:00:00Z",
        "2016-00-01T00:00:00Z",
        "2016-05-00T00:00:00Z",
        "2016-05-32T00:00:00Z",
        "2016-04-31T00:00:00Z",
        "2015-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2016-05-04T24:00:00Z",
        "2016-05-04T10:60:00Z",
        "2016-05-04T10:00:60Z",
        "2016-05-04T23:59:60Z",
        "2016-05-04T1:00:00Z",
        "2016-05-04T10:0:00Z",
        "2016-05-04T10:00:0Z",
        "2016-05-04T10:00:00.Z",
        "2016-05-04T10:00:00.",
        "2016-05-04T10:00:00,5Z",
        "2016-05-04T10:00:00.1234567890Z",
        "2016-05-04T10:00:00+24:00",
        "2016-05-04T10:00:00+05:60",
        "2016-05-04T10:00:00+5",
        "2016-05-04T10:00:00+05:",
        "2016-05-04T10:00:00+05:3",
        "2016-05-04T10:00:00+053",
        "2016-05-04T10:00:00+05:30:00",
        "2016-05-04T10:00:00+",
        "2016-05-04T10:00:00ZZ",
        "2016-05-04T10:00:00Z+01:00",
        "2016-05-04T10:00:00 UTC",
        "2016-05-04T10:00:00UTC",
        "2016-05-04T10:00:00 +00:00",
        "2016-05-04T10:00:00.123456 Z",
        "２０１６-05-04T10:00:00Z",  // full-width digits
        "2016-05-04T10:00:00Z\u{0}",
    ])
    func rejects(text: String) {
        let error = #expect(throws: BileanError.self) { try BillingTime(parsing: text, field: "start_time") }
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "start_time")
        #expect(error?.message.contains("'\(text)'") == true)
    }

    @Test func defaultFieldIsTimestamp() {
        let error = #expect(throws: BileanError.self) { try BillingTime(parsing: "yesterday") }
        #expect(error?.field == "timestamp")
        #expect(error?.message.contains("'yesterday'") == true)
    }

    // MARK: Formatting

    @Test(
        arguments: [
            (base * 1_000_000 + 123_456, "2016-05-04T10:00:00.123456Z"),
            (base * 1_000_000, "2016-05-04T10:00:00.000000Z"),
            (0, "1970-01-01T00:00:00.000000Z"),
            (-1, "1969-12-31T23:59:59.999999Z"),
            (-14_182_940 * 1_000_000, "1969-07-20T20:17:40.000000Z"),
            (-14_182_940 * 1_000_000 - 500_000, "1969-07-20T20:17:39.500000Z"),
            (1_456_704_000 * 1_000_000, "2016-02-29T00:00:00.000000Z"),
            (1_456_790_399 * 1_000_000 + 1, "2016-02-29T23:59:59.000001Z"),
            (951_825_600 * 1_000_000, "2000-02-29T12:00:00.000000Z"),
            (-2_208_988_800 * 1_000_000, "1900-01-01T00:00:00.000000Z"),
            (-11_670_912_000 * 1_000_000, "1600-03-01T00:00:00.000000Z"),
            (-62_135_596_800 * 1_000_000, "0001-01-01T00:00:00.000000Z"),
            (253_402_300_799 * 1_000_000 + 999_999, "9999-12-31T23:59:59.999999Z"),
        ] as [(Int64, String)]
    )
    func formatsISO8601(microseconds: Int64, text: String) throws {
        let time = BillingTime(microseconds: microseconds)
        #expect(time.iso8601 == text)
        #expect(time.description == text)
        #expect(try BillingTime(parsing: text) == time)
    }

    @Test(
        arguments: [
            Int64(0), 1, -1, 999_999, -999_999, 1_000_000, -1_000_000, 86_399_999_999, -86_400_000_001,
            1_462_356_000_123_456, -14_182_940_000_001, -62_135_596_800_000_000, 253_402_300_799_999_999,
            -62_135_596_800_000_000 + 86_400_000_000 * 59, 4_107_542_400_000_000,
        ] as [Int64]
    )
    func iso8601RoundTrips(microseconds: Int64) throws {
        let time = BillingTime(microseconds: microseconds)
        #expect(try BillingTime(parsing: time.iso8601) == time)
    }

    @Test func formatsYearsOutsideTheParsableRange() {
        #expect(BillingTime(microseconds: -62_135_596_800_000_000 - 1).iso8601 == "0000-12-31T23:59:59.999999Z")
        #expect(BillingTime(microseconds: 253_402_300_800_000_000).iso8601 == "+10000-01-01T00:00:00.000000Z")
        // Formatting never traps, whatever the value.
        #expect(!BillingTime(microseconds: .min).iso8601.isEmpty)
        #expect(!BillingTime(microseconds: .max).iso8601.isEmpty)
    }

    // MARK: Arithmetic

    @Test func arithmetic() throws {
        let start = try BillingTime(parsing: "2016-05-04T10:00:00Z")
        let end = try BillingTime(parsing: "2016-05-04T11:00:00.5Z")
        #expect(end - start == 3_600_500_000)
        #expect(start - end == -3_600_500_000)
        #expect(start.adding(seconds: 3_600).adding(microseconds: 500_000) == end)
        #expect(end.adding(microseconds: -3_600_500_000) == start)
        #expect(start.adding(seconds: -86_400).iso8601 == "2016-05-03T10:00:00.000000Z")
        #expect(BillingTime(seconds: base) == start)
        #expect(BillingTime(seconds: -1).microseconds == -1_000_000)
        #expect(BillingTime.microsecondsPerSecond == 1_000_000)
        #expect(start < end)
        #expect([end, start].sorted() == [start, end])
    }

    // MARK: Date

    @Test func convertsToAndFromDate() {
        let time = BillingTime(microseconds: base * 1_000_000 + 123_456)
        #expect(BillingTime(date: time.date) == time)
        #expect(abs(time.date.timeIntervalSince1970 - 1_462_356_000.123456) < 0.000_001)
        #expect(BillingTime(date: Date(timeIntervalSince1970: 1_462_356_000.123456)) == time)
        #expect(BillingTime(date: Date(timeIntervalSince1970: 0)).microseconds == 0)
        #expect(BillingTime(date: Date(timeIntervalSince1970: -1.5)).microseconds == -1_500_000)
    }

    @Test func dateIsFlooredToTheMicrosecond() {
        #expect(BillingTime(date: Date(timeIntervalSince1970: 1.0000005)).microseconds == 1_000_000)
        #expect(BillingTime(date: Date(timeIntervalSince1970: -0.0000005)).microseconds == -1)
        let fraction = BillingTime(date: Date(timeIntervalSince1970: 1_462_356_000.4))
        #expect(fraction.microseconds == base * 1_000_000 + 400_000)
        #expect(BillingTime(date: Date(timeIntervalSinceReferenceDate: 0.0000005)).microseconds == 978_307_200_000_000)
    }

    @Test(
        arguments: [
            Int64(0), 1, -1, 123_456, 1_462_356_000_123_456, 1_462_356_000_999_999, -14_182_940_000_001,
            978_307_200_000_001, 978_307_199_999_999, -3_000_000_000_000_000, 5_000_000_000_000_000,
        ] as [Int64]
    )
    func dateRoundTripsWithin136YearsOf2001(microseconds: Int64) {
        let time = BillingTime(microseconds: microseconds)
        #expect(BillingTime(date: time.date) == time)
    }

    // MARK: Codable

    private struct Event: Codable, Equatable {
        var at: BillingTime
    }

    @Test func codable() throws {
        let decoded = try JSONDecoder().decode(Event.self, from: Data(#"{"at": "2016-05-04T12:00:00+02:00"}"#.utf8))
        #expect(decoded.at.microseconds == base * 1_000_000)
        let encoded = try JSONEncoder().encode(decoded)
        #expect(String(decoding: encoded, as: UTF8.self) == #"{"at":"2016-05-04T10:00:00.000000Z"}"#)
        #expect(try JSONDecoder().decode(Event.self, from: encoded) == decoded)
    }

    @Test func decodingRejectsBadTimestampsNamingTheField() {
        let error = #expect(throws: BileanError.self) {
            try JSONDecoder().decode(Event.self, from: Data(#"{"at": "2016-02-30T00:00:00Z"}"#.utf8))
        }
        #expect(error?.field == "at")
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(Event.self, from: Data(#"{"at": 1462356000}"#.utf8))
        }
    }
}
