import BileanCore
import Testing

@testable import BileanClient

@Suite("JSONWriter")
struct JSONWriterTests {
    @Test func compactSortsKeysAndKeepsNumbers() {
        let value = JSONValue.object([
            "rule": .object([
                "spec": .object(["version": .number("1.0"), "type": .string("os.nova.server")]),
                "name": .string("n"), "metadata": .object([:]),
            ])
        ])
        #expect(
            JSONWriter.compact(value)
                == #"{"rule":{"metadata":{},"name":"n","spec":{"type":"os.nova.server","version":1.0}}}"#
        )
    }

    @Test func escapesStrings() {
        #expect(
            JSONWriter.quoted("a\"b\\c/d\n\r\t\u{08}\u{0C}\u{00}\u{1F}\u{7F}é\u{2028}")
                == #""a\"b\\c/d\n\r\t\b\f\u0000\u001f\u007fé\u2028""#
        )
    }

    @Test func prettyOfScalarsAndEmptyContainers() {
        #expect(JSONWriter.pretty(.null) == "null")
        #expect(JSONWriter.pretty(.array([])) == "[]")
        #expect(JSONWriter.pretty(.object(["a": .object([:])])) == "{\n  \"a\": {}\n}")
    }

    @Test func roundTripsThroughTheReader() throws {
        let value = JSONValue.object([
            "x": .array([.number("-0.000000000001"), .string("\u{1F600}\"\n"), .bool(false), .null]),
            "y": .object(["z": .number("1E+2")]),
        ])
        #expect(try JSONReader.parse(JSONWriter.compact(value)) == value)
        #expect(try JSONReader.parse(JSONWriter.pretty(value)) == value)
    }
}
