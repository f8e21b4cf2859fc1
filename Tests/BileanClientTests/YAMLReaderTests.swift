import BileanCore
import Testing

@testable import BileanClient

@Suite("YAMLReader")
struct YAMLReaderTests {
    @Test func novaSpecKeepsNumbersExact() throws {
        let spec = try YAMLReader.parse(
            """
            type: os.nova.server
            version: 1.0
            properties:
              price_mapping:
                - flavor: m1.small
                  price: 0.1
                - flavor: "m1.large"
                  price: 10
                - flavor: m1.xlarge
                  price: "10"
              unit: per_hour
            """
        )
        #expect(
            spec
                == .object([
                    "type": .string("os.nova.server"),
                    "version": .number("1.0"),
                    "properties": .object([
                        "price_mapping": .array([
                            .object(["flavor": .string("m1.small"), "price": .number("0.1")]),
                            .object(["flavor": .string("m1.large"), "price": .number("10")]),
                            .object(["flavor": .string("m1.xlarge"), "price": .string("10")]),
                        ]),
                        "unit": .string("per_hour"),
                    ]),
                ])
        )
        #expect(
            JSONWriter.compact(spec)
                == #"{"properties":{"price_mapping":[{"flavor":"m1.small","price":0.1},{"flavor":"m1.large","price":10},"#
                + #"{"flavor":"m1.xlarge","price":"10"}],"unit":"per_hour"},"type":"os.nova.server","version":1.0}"#
        )
    }

    @Test func readsJSONToo() throws {
        #expect(
            try YAMLReader.parse(#"{"version": 1.0, "a": [0.1, "x", null, true]}"#)
                == .object([
                    "version": .number("1.0"), "a": .array([.number("0.1"), .string("x"), .null, .bool(true)]),
                ])
        )
    }

    @Test func quotedScalarsStayStrings() throws {
        #expect(
            try YAMLReader.parse("a: '10'\nb: \"1.0\"\nc: 'true'\nd: 'null'\ne: ''")
                == .object([
                    "a": .string("10"), "b": .string("1.0"), "c": .string("true"), "d": .string("null"),
                    "e": .string(""),
                ])
        )
    }

    @Test func booleansNullsAndTimestamps() throws {
        #expect(
            try YAMLReader.parse("a: true\nb: no\nc: On\nd: ~\ne:\nf: null\ng: 2026-11-26\nh: plain text\ni: -.5")
                == .object([
                    "a": .bool(true), "b": .bool(false), "c": .bool(true), "d": .null, "e": .null, "f": .null,
                    "g": .string("2026-11-26"), "h": .string("plain text"),
                    // YAML 1.1 (and PyYAML) has no signed ".5" float: it is a string.
                    "i": .string("-.5"),
                ])
        )
    }

    @Test(arguments: [
        ("1.0", "1.0"), ("0.1", "0.1"), ("10", "10"), ("-5", "-5"), ("+5", "5"), ("1_000", "1000"),
        ("1.", "1.0"), (".5", "0.5"), ("01.5", "1.5"), ("1e3", "1e3"), ("1.5E-3", "1.5E-3"),
        ("0", "0"), ("123456789012345678901234567890.123456789", "123456789012345678901234567890.123456789"),
    ])
    func normalisesNumbersToJSON(yaml: String, json: String) throws {
        #expect(try YAMLReader.parse("n: \(yaml)") == .object(["n": .number(json)]))
    }

    @Test(arguments: ["0x1F", "0o17", "017", "0b101", "1:30", ".inf", "-.inf", ".nan"])
    func rejectsNumbersWithoutADecimalForm(yaml: String) {
        #expect(throws: BileanClientError.self) { try YAMLReader.parse("n: \(yaml)") }
    }

    @Test func appliesMergeKeys() throws {
        let value = try YAMLReader.parse(
            """
            base: &base
              unit: per_hour
              price: 1
            small:
              <<: *base
              price: 0.5
            """
        )
        #expect(value["small"] == .object(["unit": .string("per_hour"), "price": .number("0.5")]))
    }

    @Test(arguments: [
        "a: [1, 2",
        "a: b: c",
        "\tkey: value",
        "a: 1\na: 2",
        "",
        "# only a comment",
        "? [a, b]\n: c",
        "a: !custom x",
        "--- 1\n--- 2",
    ])
    func rejectsBadYAML(text: String) {
        #expect(throws: BileanClientError.self) { try YAMLReader.parse(text) }
    }

    @Test func errorsNameTheSource() throws {
        let error = try #require(throws: BileanClientError.self) {
            try YAMLReader.parse("a: 0x1F", source: "the file spec.yaml")
        }
        #expect(error.code == .invalidInput)
        #expect(error.message.hasPrefix("the file spec.yaml (line 1, column 4): the number '0x1F'"))
    }

    @Test func loadReportsAMissingFile() throws {
        let error = try #require(throws: BileanClientError.self) {
            try YAMLReader.load(path: "/nonexistent/bilean-spec.yaml")
        }
        #expect(error.code == .invalidInput)
        #expect(error.message.hasPrefix("cannot read the file /nonexistent/bilean-spec.yaml"))
    }
}
