import Foundation
import Testing

@testable import BileanCore

@Suite("Money")
struct MoneyTests {
    // MARK: Parsing

    @Test func parsesDecimalTextExactly() throws {
        #expect(try Money(parsing: "1.1").units == 1_100_000_000_000)
        #expect(try Money(parsing: "0.1").units == 100_000_000_000)
        #expect(try Money(parsing: "-0.5").units == -500_000_000_000)
        #expect(try Money(parsing: "+2").units == 2_000_000_000_000)
        #expect(try Money(parsing: "0").units == 0)
        #expect(try Money(parsing: "-0").units == 0)
        #expect(try Money(parsing: "007.50").units == 7_500_000_000_000)
        #expect(try Money(parsing: "99.99972222").units == 99_999_722_220_000)
        #expect(try Money(parsing: "0.000000000001").units == 1)
        #expect(try Money(parsing: "123456789.123456789012").units == 123_456_789_123_456_789_012)
    }

    @Test func tenthPlusTwoTenthsIsThreeTenths() throws {
        let sum = try Money(parsing: "0.1") + Money(parsing: "0.2")
        #expect(try sum == Money(parsing: "0.3"))
        #expect(sum.units == 300_000_000_000)
        #expect(sum.description == "0.3")
    }

    @Test(
        arguments: [
            ("1e2", Int128(100_000_000_000_000)),
            ("1E2", 100_000_000_000_000),
            ("1e+2", 100_000_000_000_000),
            ("1.5E-3", 1_500_000_000),
            ("100.0", 100_000_000_000_000),
            ("-2.5e+1", -25_000_000_000_000),
            ("1e-12", 1),
            ("1e-13", 0),
            ("5e-13", 0),
            ("15e-13", 2),
            ("25e-13", 2),
            ("1e15", 1_000_000_000_000_000_000_000_000_000),
            ("0.001e3", 1_000_000_000_000),
            ("12345e-4", 1_234_500_000_000),
            ("1e0", 1_000_000_000_000),
            ("1e-0", 1_000_000_000_000),
            ("0e40", 0),
            ("1e-40", 0),
            ("1e007", 10_000_000_000_000_000_000),
        ] as [(String, Int128)]
    )
    func parsesExponents(text: String, units: Int128) throws {
        #expect(try Money(parsing: text).units == units)
    }

    @Test(
        arguments: [
            ("0.0000000000005", Int128(0)),  // tie, 0 is even
            ("0.0000000000015", 2),  // tie, up to even
            ("0.0000000000025", 2),  // tie, down to even
            ("0.0000000000035", 4),
            ("0.00000000000050000001", 1),  // just above the tie
            ("0.0000000000004999999", 0),  // just below the tie
            ("0.0000000000006", 1),
            ("0.00000000000001", 0),
            ("1.0000000000005", 1_000_000_000_000),
            ("1.0000000000015", 1_000_000_000_002),
            ("0.9999999999995", 1_000_000_000_000),
            ("0.9999999999985", 999_999_999_998),
            ("-0.0000000000005", 0),
            ("-0.0000000000015", -2),
            ("-0.0000000000025", -2),
            ("-0.0000000000035", -4),
            ("-0.0000000000025000001", -3),
            ("-0.0000000000014", -1),
            ("-1.0000000000005", -1_000_000_000_000),
            ("-1.0000000000015", -1_000_000_000_002),
        ] as [(String, Int128)]
    )
    func roundsExcessFractionDigitsHalfEven(text: String, units: Int128) throws {
        #expect(try Money(parsing: text).units == units)
    }

    @Test(arguments: [
        "",
        " ",
        " 1",
        "1 ",
        "\t1",
        "1\n",
        "NaN",
        "nan",
        "-NaN",
        "Infinity",
        "-Infinity",
        "inf",
        "-inf",
        "0x10",
        "0x1p3",
        "1.",
        ".5",
        "-.5",
        "+.5",
        "1.2.3",
        "1..2",
        "1,000",
        "1,5",
        "1_000",
        "1 000",
        "1'000",
        "+",
        "-",
        "--1",
        "+-1",
        "-+1",
        "1-",
        "1e",
        "1e+",
        "1e-",
        "e5",
        "1.5e",
        "1e2.5",
        "1e41",
        "1e-41",
        "0e41",
        "1E+100",
        "1e99999999999999999999999",
        "abc",
        "1a",
        "$1",
        "1 USD",
        "١",  // Arabic-Indic digit one
        "１",  // full-width digit one
        "1d",
        "0.1f",
        String(repeating: "1234567890", count: 6) + "1",  // 61 significant digits
        "0." + String(repeating: "1", count: 61),
        "1e16",
        "10000000000000000",
        "1000000000000000.000000000001",
        "1000000000000000.0000000000006",
        "-1000000000000000.000000000001",
        "-1000000000000001",
        "1" + String(repeating: "0", count: 59),
    ])
    func rejects(text: String) {
        let error = #expect(throws: BileanError.self) { try Money(parsing: text, field: "rate") }
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "rate")
    }

    @Test func defaultFieldIsValue() {
        let error = #expect(throws: BileanError.self) { try Money(parsing: "x") }
        #expect(error?.field == "value")
        #expect(error?.message.contains("'x'") == true)
    }

    @Test func acceptsSixtySignificantDigits() throws {
        let text = "0." + String(repeating: "1", count: 60)
        #expect(try Money(parsing: text).units == 111_111_111_111)
        // Leading and trailing zeros are not significant.
        let padded = String(repeating: "0", count: 100) + "1." + String(repeating: "0", count: 100)
        #expect(try Money(parsing: padded).units == 1_000_000_000_000)
    }

    @Test func rangeLimits() throws {
        let max: Int128 = 1_000_000_000_000_000_000_000_000_000
        #expect(Money.maxMagnitude.units == max)
        #expect(try Money(parsing: "1000000000000000").units == max)
        #expect(try Money(parsing: "-1000000000000000").units == -max)
        #expect(try Money(parsing: "1000000000000000.000000000000").units == max)
        #expect(try Money(parsing: "999999999999999.999999999999").units == max - 1)
        // Out of range is judged after rounding: these round to exactly the maximum.
        #expect(try Money(parsing: "1000000000000000.0000000000004").units == max)
        #expect(try Money(parsing: "1000000000000000.0000000000005").units == max)
        #expect(try Money(parsing: "999999999999999.9999999999995").units == max)
        #expect(throws: BileanError.self) { try Money(parsing: "1000000000000000.000000000001") }
        #expect(throws: BileanError.self) { try Money(parsing: "-1000000000000000.000000000001") }
    }

    // MARK: Description

    @Test(
        arguments: [
            (Int128(100_000_000_000_000), "100"),
            (-500_000_000_000, "-0.5"),
            (99_999_722_220_000, "99.99972222"),
            (1, "0.000000000001"),
            (-1, "-0.000000000001"),
            (0, "0"),
            (1_100_000_000_000, "1.1"),
            (10_000_000_000_000, "10"),
            (1_000_000_000_000_000_000_000_000_000, "1000000000000000"),
            (-999_999_999_999_999_999_999_999_999, "-999999999999999.999999999999"),
            (123_000_000_000, "0.123"),
        ] as [(Int128, String)]
    )
    func describes(units: Int128, text: String) {
        #expect(Money(units: units).description == text)
    }

    /// The text written from the digits (``Money/appendDescription(to:)``, under ``Money/description``) is the one
    /// the standard library's printing of the whole and fraction parts gives, over random amounts of every size,
    /// beyond 64 bits of whole units too; appended after other bytes, it leaves them alone.
    @Test func descriptionMatchesTheStandardLibrarysDigits() {
        func reference(_ units: Int128) -> String {
            let (whole, fraction) = units.magnitude.quotientAndRemainder(dividingBy: 1_000_000_000_000)
            var text = (units < 0 ? "-" : "") + String(whole)
            if fraction != 0 {
                var digits = String(repeating: "0", count: 12 - String(fraction).count) + String(fraction)
                while digits.last == "0" { digits.removeLast() }
                text += "." + digits
            }
            return text
        }
        var generator = SystemRandomNumberGenerator()
        let limit = Money.maxMagnitude.units
        for _ in 0..<20_000 {
            // A random number of significant bits, so that small and large amounts are both common.
            let bits = Int.random(in: 0...126, using: &generator)
            var units = Int128.random(in: 0...(Int128(1) << bits), using: &generator)
            units = min(units, limit)
            if Bool.random(using: &generator) { units = -units }
            if Int.random(in: 0..<4, using: &generator) == 0 { units -= units % 1_000_000 }
            let money = Money(units: units)
            #expect(money.description == reference(units))
            var bytes: [UInt8] = Array("x:".utf8)
            money.appendDescription(to: &bytes)
            #expect(bytes == Array(("x:" + reference(units)).utf8))
        }
    }

    @Test func negativeZeroPrintsAsZero() throws {
        #expect(try Money(parsing: "-0").description == "0")
        #expect(try Money(parsing: "-0.0000000000001").description == "0")
    }

    @Test(
        arguments: [
            Int128(0), 1, -1, 5, 10, 999_999_999_999, 1_000_000_000_000, -1_000_000_000_000, 1_100_000_000_000,
            99_999_722_220_000, 123_456_789_123_456_789_012, -123_456_789_123_456_789_012, 100_000_000_000_000_000,
            1_000_000_000_000_000_000_000_000_000, -1_000_000_000_000_000_000_000_000_000,
            999_999_999_999_999_999_999_999_999, 7_000_000_000_001, -10_000_000_000,
        ] as [Int128]
    )
    func descriptionRoundTrips(units: Int128) throws {
        let money = Money(units: units)
        #expect(try Money(parsing: money.description) == money)
    }

    @Test func descriptionIsCanonical() throws {
        #expect(try Money(parsing: "1e2").description == "100")
        #expect(try Money(parsing: "100.000").description == "100")
        #expect(try Money(parsing: "+0.50").description == "0.5")
        #expect(try Money(parsing: "-00.010").description == "-0.01")
    }

    // MARK: Formatting and rounding

    @Test(
        arguments: [
            ("1.5", 2, "1.50"),
            ("2.5", 0, "2"),
            ("3.5", 0, "4"),
            ("-2.5", 0, "-2"),
            ("-3.5", 0, "-4"),
            ("1.005", 2, "1.00"),
            ("1.015", 2, "1.02"),
            ("1.0051", 2, "1.01"),
            ("-0.001", 2, "0.00"),
            ("-0.005", 2, "0.00"),
            ("-0.015", 2, "-0.02"),
            ("0", 3, "0.000"),
            ("0.000000000001", 12, "0.000000000001"),
            ("1234.5678", 2, "1234.57"),
            ("99.99972222", 4, "99.9997"),
            ("99.99972222", 3, "100.000"),
            ("1", 12, "1.000000000000"),
            ("1.5", 13, "1.500000000000"),  // clamped to 12
            ("1.5", -1, "2"),  // clamped to 0
            ("-1000000000000000", 2, "-1000000000000000.00"),
        ] as [(String, Int, String)]
    )
    func formatsForDisplay(text: String, digits: Int, expected: String) throws {
        #expect(try Money(parsing: text).formatted(fractionDigits: digits) == expected)
    }

    @Test(
        arguments: [
            (Int128(5), Int128(2), Int128(2)),
            (7, 2, 4),
            (-5, 2, -2),
            (-7, 2, -4),
            (1, 3, 0),
            (2, 3, 1),
            (-1, 3, 0),
            (-2, 3, -1),
            (0, 5, 0),
            (6, 4, 2),
            (10, 4, 2),
            (-6, 4, -2),
            (-10, 4, -2),
            (14, 4, 4),
            (-14, 4, -4),
            (9, 1, 9),
            (-9, 1, -9),
            (Int128.max, 1, Int128.max),
            (Int128.min, 1, Int128.min),
            (Int128.max, Int128.max, 1),
            (Int128.min, Int128.max, -1),
            (1, Int128.max, 0),
            (Int128.max / 2 + 1, Int128.max, 1),  // just above a half
            (Int128.max / 2, Int128.max, 0),  // just below a half
        ] as [(Int128, Int128, Int128)]
    )
    func roundedQuotientTiesToEven(numerator: Int128, denominator: Int128, expected: Int128) {
        #expect(Money.roundedQuotient(numerator, denominator) == expected)
    }

    @Test func roundedToFractionDigits() throws {
        #expect(try Money(parsing: "2.345").rounded(toFractionDigits: 2) == Money(parsing: "2.34"))
        #expect(try Money(parsing: "2.355").rounded(toFractionDigits: 2) == Money(parsing: "2.36"))
        #expect(try Money(parsing: "-2.345").rounded(toFractionDigits: 2) == Money(parsing: "-2.34"))
        #expect(try Money(parsing: "-2.3451").rounded(toFractionDigits: 2) == Money(parsing: "-2.35"))
        #expect(try Money(parsing: "2.5").rounded(toFractionDigits: 0) == Money(integer: 2))
        #expect(try Money(parsing: "0.000000000001").rounded(toFractionDigits: 12).units == 1)
    }

    // MARK: Arithmetic

    @Test func arithmetic() throws {
        let a = try Money(parsing: "10.25")
        let b = try Money(parsing: "0.75")
        #expect((a + b) == Money(integer: 11))
        #expect((a - b).description == "9.5")
        #expect((-a).description == "-10.25")
        var c = a
        c += b
        #expect(c == Money(integer: 11))
        c -= Money(integer: 12)
        #expect(c == Money(integer: -1))
        #expect(try a.adding(b) == Money(integer: 11))
        #expect(try b.subtracting(a).description == "-9.5")
        #expect(Money(integer: 3).units == 3_000_000_000_000)
        #expect(Money(integer: -3).units == -3_000_000_000_000)
        #expect(Money.zero.units == 0)
    }

    @Test func checkedArithmeticRejectsOutOfRange() throws {
        let max = Money.maxMagnitude
        let one = Money(units: 1)
        #expect(try max.adding(Money.zero) == max)
        #expect(try (-max).subtracting(Money.zero) == -max)
        let addError = #expect(throws: BileanError.self) { try max.adding(one) }
        #expect(addError?.field == "value")
        #expect(addError?.message == "amount out of range")
        #expect(throws: BileanError.self) { try (-max).subtracting(one) }
        #expect(throws: BileanError.self) { try Money(units: .max).adding(one) }
        #expect(throws: BileanError.self) { try Money(units: .min).subtracting(one) }
    }

    @Test func signAndOrder() throws {
        #expect(Money(units: -1).isNegative)
        #expect(!Money(units: -1).isPositive)
        #expect(Money.zero.isZero)
        #expect(!Money.zero.isNegative && !Money.zero.isPositive)
        #expect(Money(units: 1).isPositive)
        let sorted = try ["1", "-2", "0.5", "0", "-0.000000000001"].map { try Money(parsing: $0) }.sorted()
        #expect(sorted.map(\.description) == ["-2", "-0.000000000001", "0", "0.5", "1"])
        #expect(Money(units: 1) > Money.zero)
    }

    // MARK: Codable

    private struct Priced: Codable, Equatable {
        var price: Money
    }

    @Test func decodesJSONNumber() throws {
        let priced = try JSONDecoder().decode(Priced.self, from: Data(#"{"price": 1.1}"#.utf8))
        #expect(priced.price.units == 1_100_000_000_000)
        let exponent = try JSONDecoder().decode(Priced.self, from: Data(#"{"price": 1.5E-3}"#.utf8))
        #expect(exponent.price.units == 1_500_000_000)
        let negative = try JSONDecoder().decode(Priced.self, from: Data(#"{"price": -100.25}"#.utf8))
        #expect(negative.price.description == "-100.25")
        let integer = try JSONDecoder().decode(Priced.self, from: Data(#"{"price": 42}"#.utf8))
        #expect(integer.price == Money(integer: 42))
    }

    @Test func decodesJSONString() throws {
        let priced = try JSONDecoder().decode(Priced.self, from: Data(#"{"price": "1.1"}"#.utf8))
        #expect(priced.price.units == 1_100_000_000_000)
        let tiny = try JSONDecoder().decode(Priced.self, from: Data(#"{"price": "0.0000000000015"}"#.utf8))
        #expect(tiny.price.units == 2)
    }

    @Test func decodingRejectsBadAmountsNamingTheField() {
        let bad = #expect(throws: BileanError.self) {
            try JSONDecoder().decode(Priced.self, from: Data(#"{"price": "1.2.3"}"#.utf8))
        }
        #expect(bad?.field == "price")
        let large = #expect(throws: BileanError.self) {
            try JSONDecoder().decode(Priced.self, from: Data(#"{"price": 1e16}"#.utf8))
        }
        #expect(large?.field == "price")
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(Priced.self, from: Data(#"{"price": true}"#.utf8))
        }
        #expect(throws: (any Error).self) {
            try JSONDecoder().decode(Priced.self, from: Data(#"{"price": null}"#.utf8))
        }
    }

    @Test func encodesAsString() throws {
        let data = try JSONEncoder().encode(Priced(price: Money(parsing: "1.1")))
        #expect(String(decoding: data, as: UTF8.self) == #"{"price":"1.1"}"#)
        let single = try JSONEncoder().encode(Money(units: -1))
        #expect(String(decoding: single, as: UTF8.self) == #""-0.000000000001""#)
        let back = try JSONDecoder().decode(Money.self, from: single)
        #expect(back == Money(units: -1))
    }
}
