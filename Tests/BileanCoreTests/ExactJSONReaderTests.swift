import Testing

@testable import BileanCore

@Suite("ExactJSONReader")
struct ExactJSONReaderTests {
    static func parse(
        _ text: String,
        numbers: JSONNumber.Form = .asWritten
    ) throws(ExactJSONReader.Failure) -> JSONValue {
        try ExactJSONReader.parse(Array(text.utf8), maximumDepth: 20, numbers: numbers)
    }

    /// A text whose object repeats a key, the key the error names, and the byte offset of the second copy.
    @Test(arguments: [
        (#"{"a": 1, "a": 2}"#, "a", 9),
        (#"{"a": 1, "a": 1}"#, "a", 9),
        (#"{"x": {"b": null, "c": [], "b": {}}}"#, "b", 27),
        (#"[{"k": 1}, {"k": 1, "k": 2}]"#, "k", 20),
        (#"{"a": 1, "\u0061": 2}"#, "a", 9),
        (#"{"\n": 1, "\n": 2}"#, "\\u000a", 10),
        ("{\"\u{E9}\": 1, \"e\u{301}\": 2}", "e\u{301}", 10),
    ])
    func refusesARepeatedKey(text: String, key: String, offset: Int) {
        let failure = #expect(throws: ExactJSONReader.Failure.self) { try Self.parse(text) }
        #expect(failure?.problem == "duplicate key '\(key)'")
        #expect(failure?.offset == offset)
        #expect(throws: ExactJSONReader.Failure.self) { try JSONValue(jsonText: text) }
    }

    @Test func aRepeatedKeyIsShownShort() {
        let key = String(repeating: "k", count: 150)
        let failure = #expect(throws: ExactJSONReader.Failure.self) {
            try Self.parse(#"{"\#(key)": 1, "\#(key)": 2}"#)
        }
        #expect(failure?.problem == "duplicate key '\(String(repeating: "k", count: 100))…'")
    }

    @Test func keysThatOnlyLookAlikeAreDifferent() throws {
        #expect(
            try Self.parse(#"{"a": 1, "A": 2, "a ": 3, "e": 4, "\u00e9": 5, "e\u0300": 6}"#).objectValue?.count == 6
        )
    }

    @Test(arguments: [
        ("1.0", "1.0", "1"), ("1e3", "1e3", "1000"), ("-0", "-0", "0"), ("1.50E-1", "1.50E-1", "0.15"),
        (
            "123456789012345678901234567890123456789012", "123456789012345678901234567890123456789012",
            "123456789012345678901234567890123456789012"
        ),
        ("1e400", "1e400", "1e400"),
    ])
    func readsNumbersAsWrittenOrCanonical(text: String, asWritten: String, canonical: String) throws {
        #expect(try Self.parse("[\(text)]") == .array([.number(asWritten)]))
        #expect(try Self.parse("[\(text)]", numbers: .canonical) == .array([.number(canonical)]))
    }
}
