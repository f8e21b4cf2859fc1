import BileanCore
import Testing

@testable import BileanNotification

@Suite("TraitType")
struct TraitTypeTests {
    @Test(arguments: [
        (JSONValue.number("40"), "40"),
        (.string("40"), "40"),
        (.string("+40"), "40"),
        (.string("007"), "7"),
        (.number("1.0"), "1"),
        (.number("1e3"), "1000"),
        (.number("1.5E1"), "15"),
        (.number("-0"), "0"),
        (.number("-12"), "-12"),
        (.number("1048576"), "1048576"),
        (.number("123456789012345678901234567890123456789012"), "123456789012345678901234567890123456789012"),
    ])
    func intIsExact(_ value: JSONValue, _ expected: String) throws {
        #expect(try TraitType.int.convert(value) == .number(expected))
    }

    @Test(arguments: [
        JSONValue.number("1.5"), .string("40GB"), .string(" 40"), .string(""), .bool(true), .array([]),
        .object([:]), .number("1e-1"), .number("1e1000"), .string("0x1F"), .string("NaN"), .string("1."),
    ])
    func intRefusesWhatIsNotAWholeNumber(_ value: JSONValue) {
        #expect(throws: TraitType.ConversionError.self) { try TraitType.int.convert(value) }
    }

    @Test(arguments: [
        (JSONValue.number("0.1"), "0.1"),
        (.number("1.10"), "1.1"),
        (.string("1.50"), "1.5"),
        (.number("1e-3"), "0.001"),
        (.number("-2.5E-2"), "-0.025"),
        (.number("100"), "100"),
        (.number("0.000"), "0"),
        (.number("123456789012345678901234567890.123456789"), "123456789012345678901234567890.123456789"),
        (.string(".5"), "0.5"),
    ])
    func floatIsAnExactDecimalNeverADouble(_ value: JSONValue, _ expected: String) throws {
        #expect(try TraitType.float.convert(value) == .number(expected))
    }

    @Test func floatKeepsDigitsADoubleWouldLose() throws {
        // 0.1 + 0.2 style: a Double would print 0.30000000000000004 for the sum, or round 17+ digits.
        #expect(try TraitType.float.convert(.number("0.30000000000000000001")) == .number("0.30000000000000000001"))
        #expect(try TraitType.float.convert(.number("9007199254740993")) == .number("9007199254740993"))
    }

    @Test(arguments: [JSONValue.bool(false), .string("one"), .object([:]), .string("1e")])
    func floatRefusesWhatIsNotANumber(_ value: JSONValue) {
        #expect(throws: TraitType.ConversionError.self) { try TraitType.float.convert(value) }
    }

    @Test func stringKeepsStringsAndTheTextOfNumbers() throws {
        #expect(try TraitType.string.convert(.string("m1.tiny")) == .string("m1.tiny"))
        #expect(try TraitType.string.convert(.number("1.0")) == .string("1.0"))
        #expect(try TraitType.string.convert(.bool(true)) == .string("true"))
        #expect(throws: TraitType.ConversionError.self) { try TraitType.string.convert(.object([:])) }
        #expect(throws: TraitType.ConversionError.self) { try TraitType.string.convert(.array([])) }
    }

    @Test func datetimeIsRewrittenInUTC() throws {
        #expect(
            try TraitType.datetime.convert(.string("2017-04-20T13:28:32.521298+02:00"))
                == .string("2017-04-20T11:28:32.521298Z")
        )
        #expect(
            try TraitType.datetime.convert(.string("2012-05-08 20:23:41")) == .string("2012-05-08T20:23:41.000000Z")
        )
        #expect(throws: TraitType.ConversionError.self) { try TraitType.datetime.convert(.string("soon")) }
        #expect(throws: TraitType.ConversionError.self) { try TraitType.datetime.convert(.number("1795563231")) }
    }
}
