import BileanCore
import Testing

@testable import BileanClient

@Suite("JSONReader")
struct JSONReaderTests {
    @Test(arguments: [
        "1.0", "0.1", "0.30000000000000004", "-0", "1e3", "1.5E-3", "12345678901234567890.123456789", "0",
    ])
    func keepsNumbersAsWritten(text: String) throws {
        #expect(try JSONReader.parse(text) == .number(text))
        #expect(try JSONReader.parse(#"{"n": \#(text)}"#) == .object(["n": .number(text)]))
    }

    @Test func readsEveryKind() throws {
        let value = try JSONReader.parse(
            #" {"a": null, "b": true, "c": false, "d": "t\"x\\t\/\n\u00e9\ud83d\ude00", "e": [1, "1", [], {}]} "#
        )
        #expect(
            value
                == .object([
                    "a": .null, "b": .bool(true), "c": .bool(false), "d": .string("t\"x\\t/\né😀"),
                    "e": .array([.number("1"), .string("1"), .array([]), .object([:])]),
                ])
        )
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", ".5", "+1", "NaN", "tru", "\"unterminated", "\"a\u{01}\"",
        "\"\\x\"", "\"\\ud800\"", "1 2", "{\"a\":1,}", "{\"a\":1,\"a\":1}", "[{\"b\":{},\"b\":[]}]",
    ])
    func rejectsMalformedText(text: String) {
        #expect(throws: BileanClientError.self) { try JSONReader.parse(text) }
    }

    @Test func rejectsDeepNesting() throws {
        let deep =
            String(repeating: "[", count: JSONReader.maximumDepth + 1)
            + String(repeating: "]", count: JSONReader.maximumDepth + 1)
        #expect(throws: BileanClientError.self) { try JSONReader.parse(deep) }
        let fine =
            String(repeating: "[", count: JSONReader.maximumDepth)
            + String(repeating: "]", count: JSONReader.maximumDepth)
        #expect(try JSONReader.parse(fine).arrayValue?.count == 1)
    }

    @Test func errorsNameTheOffset() throws {
        let error = try #require(throws: BileanClientError.self) { try JSONReader.parse("[1, x]") }
        #expect(error.code == .invalidInput)
        #expect(error.message == "invalid JSON at byte 4: unexpected byte 0x78")
    }
}
