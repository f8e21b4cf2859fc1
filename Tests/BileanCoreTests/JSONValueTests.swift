import Testing

@testable import BileanCore

@Suite("JSONValue")
struct JSONValueTests {
    @Test(arguments: [
        ("1.1", "1.1"),
        ("0.1", "0.1"),
        ("0.30000000000000004", "0.30000000000000004"),
        // Decimal drops trailing fraction zeros: 100.0 is the number 100.
        ("100.0", "100"),
        ("100", "100"),
        ("12345678901234567890.123", "12345678901234567890.123"),
        ("-0.000000000001", "-0.000000000001"),
        ("1e2", "100"),
        ("1.5E-3", "0.0015"),
        ("0", "0"),
    ])
    func decodesNumbersExactly(json: String, text: String) throws {
        #expect(try JSONValue(jsonText: json) == .number(text))
    }

    @Test func numbersFeedMoneyExactly() throws {
        // 27 significant digits: beyond a Double, within a Decimal and within Money's 10¹⁵ bound.
        let value = try JSONValue(jsonText: #"{"price": 0.1, "big": 123456789012345.123456789012}"#)
        let price = try #require(value["price"]?.scalarText)
        #expect(try Money(parsing: price).units == 100_000_000_000)
        let big = try #require(value["big"]?.scalarText)
        #expect(big == "123456789012345.123456789012")
        #expect(try Money(parsing: big).units == 123_456_789_012_345_123_456_789_012)
    }

    @Test func decodesEveryKind() throws {
        let value = try JSONValue(
            jsonText:
                #"{"a": null, "b": true, "c": false, "d": "text", "e": [1, "1", true, null], "f": {"g": {"h": []}}}"#
        )
        #expect(
            value
                == .object([
                    "a": .null,
                    "b": .bool(true),
                    "c": .bool(false),
                    "d": .string("text"),
                    "e": .array([.number("1"), .string("1"), .bool(true), .null]),
                    "f": .object(["g": .object(["h": .array([])])]),
                ])
        )
    }

    @Test func numbersAreNotBooleansAndStringsAreNotNumbers() throws {
        #expect(
            try JSONValue(jsonText: "[1, 0, \"1.0\", \"true\"]")
                == .array([.number("1"), .number("0"), .string("1.0"), .string("true")])
        )
    }

    @Test func jsonTextSortsKeysAndIsCompact() throws {
        let value = JSONValue.object([
            "zeta": .number("1.5"),
            "alpha": .object(["y": .null, "b": .array([.number("2"), .string("x/y")])]),
            "mid": .bool(false),
        ])
        #expect(try value.jsonText() == #"{"alpha":{"b":[2,"x/y"],"y":null},"mid":false,"zeta":1.5}"#)
    }

    @Test(arguments: [
        JSONValue.null,
        .bool(true),
        .number("1.1"),
        .number("12345678901234567890.123"),
        .number("-42"),
        .string("héllo \"world\" \n ✓"),
        .array([]),
        .object([:]),
        .object([
            "price_mapping": .array([
                .object(["flavor": .string("m1.tiny"), "price": .number("0.000001")]),
                .object(["flavor": .string("m1.large"), "price": .string("2.5")]),
            ]),
            "unit": .string("per_sec"),
            "nested": .object(["deeper": .object(["deepest": .array([.null, .bool(false), .number("0")])])]),
        ]),
    ])
    func roundTripsThroughJSONText(value: JSONValue) throws {
        let text = try value.jsonText()
        #expect(try JSONValue(jsonText: text) == value)
        // The text is canonical: encoding again gives the same bytes.
        #expect(try JSONValue(jsonText: text).jsonText() == text)
    }

    @Test func numberTextIsCanonicalisedByARoundTrip() throws {
        // 100.0 is stored as 100: the same number, the canonical text.
        #expect(try JSONValue(jsonText: JSONValue.number("100.0").jsonText()) == .number("100"))
    }

    @Test func numbersBeyond38DigitsStayExact() throws {
        // Decimal kept 38 digits and powers of ten from -128 to 127; the exact codec keeps every digit.
        let long = "-1234567890123456789012345678901234567890.1234567890123456789"
        #expect(try JSONValue(jsonText: "[\(long)]") == .array([.number(long)]))
        #expect(try JSONValue.number(long).jsonText() == long)
        #expect(try JSONValue(jsonText: "[1e400, 1.50e-300]") == .array([.number("1e400"), .number("1.5e-300")]))
    }

    @Test func aRepeatedKeyIsRefused() {
        let failure = #expect(throws: ExactJSONReader.Failure.self) {
            try JSONValue(jsonText: #"{"price": 1, "nested": {"a": 1}, "price": 2}"#)
        }
        #expect(failure?.problem == "duplicate key 'price'")
    }

    @Test func badNumberTextFailsToEncode() {
        #expect(throws: (any Error).self) { try JSONValue.number("abc").jsonText() }
    }

    @Test func invalidJSONFailsToDecode() {
        #expect(throws: (any Error).self) { try JSONValue(jsonText: "{\"a\": }") }
        #expect(throws: (any Error).self) { try JSONValue(jsonText: "") }
    }

    @Test func scalarText() {
        #expect(JSONValue.number("10.5").scalarText == "10.5")
        #expect(JSONValue.string("10.5").scalarText == "10.5")
        #expect(JSONValue.string("").scalarText == "")
        #expect(JSONValue.null.scalarText == nil)
        #expect(JSONValue.bool(true).scalarText == nil)
        #expect(JSONValue.array([.number("1")]).scalarText == nil)
        #expect(JSONValue.object(["a": .number("1")]).scalarText == nil)
    }

    @Test func accessors() {
        let value = JSONValue.object(["a": .array([.string("x")]), "b": .string("y")])
        #expect(value["a"] == .array([.string("x")]))
        #expect(value["a"]?.arrayValue == [.string("x")])
        #expect(value["b"]?.stringValue == "y")
        #expect(value["missing"] == nil)
        #expect(value.objectValue?.count == 2)
        #expect(JSONValue.array([])["a"] == nil)
        #expect(JSONValue.number("1").stringValue == nil)
        #expect(JSONValue.string("1").arrayValue == nil)
        #expect(JSONValue.array([]).objectValue == nil)
    }

    @Test func typeNames() {
        #expect(JSONValue.null.typeName == "null")
        #expect(JSONValue.bool(false).typeName == "boolean")
        #expect(JSONValue.number("1").typeName == "number")
        #expect(JSONValue.string("1").typeName == "string")
        #expect(JSONValue.array([]).typeName == "array")
        #expect(JSONValue.object([:]).typeName == "object")
    }
}
