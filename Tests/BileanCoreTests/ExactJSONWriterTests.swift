import Testing

@testable import BileanCore

@Suite("ExactJSONWriter")
struct ExactJSONWriterTests {
    static func object(_ keys: [String]) -> JSONValue {
        var members: [String: JSONValue] = [:]
        for key in keys { members[key] = .null }
        return .object(members)
    }

    /// Keys go in the order of their UTF-8 bytes, as Foundation's `JSONEncoder` sorted them: not Swift's
    /// `String` order (which compares canonical equivalents), not UTF-16's.
    @Test func sortsKeysByTheirUTF8Bytes() throws {
        let keys = [
            "b", "a1", "A", "_", "a", "2", "10", "1", "Z", "~", "a ", "a\u{0}", "\u{7F}", "é", "ß", "ä", "😀",
            "\u{FFFF}", "\u{E000}", "aB", "ab", "e\u{301}x", "ez", "f", "\u{212B}", "\u{C6}", "",
        ]
        let text = try Self.object(keys).jsonText()
        let expected =
            #"{"":null,"1":null,"10":null,"2":null,"A":null,"Z":null,"_":null,"a":null,"a\u0000":null,"#
            + #""a ":null,"a1":null,"aB":null,"ab":null,"b":null,"ez":null,"e\#u{301}x":null,"f":null,"~":null,"#
            + "\"\u{7F}\":null,\"\u{C6}\":null,\"ß\":null,\"ä\":null,\"é\":null,\"\u{212B}\":null,"
            + "\"\u{E000}\":null,\"\u{FFFF}\":null,\"😀\":null}"
        #expect(Array(text.utf8) == Array(expected.utf8))
        #expect(Array(text.utf8) == Array(try FoundationJSONOracle.text(Self.object(keys)).utf8))
    }

    @Test func escapesOnlyQuotesBackslashesAndControls() throws {
        var controls = ""
        for value in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(value))) }
        let string = controls + "\"\\/\u{7F}\u{80}\u{2028}\u{2029}\u{FEFF}é😀e\u{301}"
        let text = try JSONValue.string(string).jsonText()
        let expected =
            #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"#
            + #"\"\\/"# + "\u{7F}\u{80}\u{2028}\u{2029}\u{FEFF}é😀e\u{301}\""
        #expect(Array(text.utf8) == Array(expected.utf8))
        #expect(Array(text.utf8) == Array(try FoundationJSONOracle.text(.string(string)).utf8))
    }

    @Test func canEscapeDeleteAndTheSeparators() throws {
        let options = ExactJSONWriter.Options(escapesDeleteAndSeparators: true)
        #expect(
            try ExactJSONWriter.text(.string("a\u{7F}b\u{2028}c\u{2029}d\u{2027}\u{202A}\u{80}"), options: options)
                == #""a\u007fb\u2028c\u2029d"# + "\u{2027}\u{202A}\u{80}\""
        )
    }

    @Test func writesNumbersCanonically() throws {
        let value = JSONValue.array(
            ["1.0", "1e3", "-0", "0.000001", "1E-7", "100.00", "-1.5e+3", "1.10"].map(JSONValue.number)
        )
        #expect(try value.jsonText() == "[1,1000,0,0.000001,0.0000001,100,-1500,1.1]")
        #expect(try value.jsonText() == FoundationJSONOracle.text(value))
    }

    @Test func writesNumbersBeyond38DigitsExactly() throws {
        let long = "123456789012345678901234567890123456789012345.678901234567890"
        #expect(try JSONValue.number(long).jsonText() == "123456789012345678901234567890123456789012345.67890123456789")
        // Foundation kept 38 or 39 digits: it wrote another number.
        #expect(try FoundationJSONOracle.text(.number(long)) != JSONValue.number(long).jsonText())
        #expect(try JSONValue.number("1e400").jsonText() == "1e400")
        #expect(throws: (any Error).self) { try FoundationJSONOracle.text(.number("1e400")) }
    }

    @Test(arguments: ["abc", "+1", ".5", "5.", "01", "1e", "NaN", " 1", "", "0x10"])
    func refusesANumberOutsideTheJSONGrammar(text: String) {
        let failure = #expect(throws: ExactJSONWriter.Failure.self) { try JSONValue.array([.number(text)]).jsonText() }
        #expect(failure?.number == text)
    }

    @Test func writesNumbersAsWrittenWhenAsked() throws {
        let options = ExactJSONWriter.Options(numbers: .asWritten)
        let value = JSONValue.object(["a": .number("1.0"), "b": .number("1E+2"), "c": .number("-0")])
        #expect(try ExactJSONWriter.text(value, options: options) == #"{"a":1.0,"b":1E+2,"c":-0}"#)
    }

    @Test func prettyPrints() throws {
        let options = ExactJSONWriter.Options(numbers: .asWritten, indentation: 2)
        let value = JSONValue.object([
            "b": .array([.number("1.0"), .object([:]), .array([]), .object(["x": .null])]),
            "a": .string("t"),
        ])
        #expect(
            try ExactJSONWriter.text(value, options: options)
                == "{\n  \"a\": \"t\",\n  \"b\": [\n    1.0,\n    {},\n    [],\n    {\n      \"x\": null\n    }\n  ]\n}"
        )
        #expect(try ExactJSONWriter.text(.null, options: options) == "null")
        #expect(try ExactJSONWriter.text(.array([]), options: options) == "[]")
    }

    @Test func bytesAndTextAgree() throws {
        var random = RandomJSON(seed: 7)
        for _ in 0..<200 {
            let value = random.value()
            #expect(try ExactJSONWriter.bytes(value) == Array(value.jsonText().utf8))
        }
    }
}
