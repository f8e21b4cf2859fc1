import BileanTestSupport
import Foundation
import Testing

@testable import BileanCore

/// The exact codec against Foundation's path it replaced (``FoundationJSONOracle``): the same bytes written, and
/// the same values read, for every notification fixture and for random values whose numbers have at most 38
/// significant digits within `Decimal`'s range.
@Suite("ExactJSONWriter against Foundation")
struct ExactJSONWriterIdentityTests {
    // MARK: Fixtures

    /// Every `.json` file under the fixtures directory, as paths relative to it, sorted.
    static func fixtureFiles() -> [String] {
        let root = NotificationFixtures.directory.path
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            if relative.hasSuffix(".json") { files.append(relative) }
        }
        return files.sorted()
    }

    /// Checks one document: written and read as Foundation did.
    static func expectIdentity(_ text: String, _ what: String) throws {
        let value = try ExactJSONReader.parse(Array(text.utf8), maximumDepth: 100)
        let written = try value.jsonText()
        #expect(Array(written.utf8) == Array(try FoundationJSONOracle.text(value).utf8), "\(what)")
        #expect(try JSONValue(jsonText: text) == FoundationJSONOracle.read(text), "\(what)")
        #expect(try JSONValue(jsonText: written) == value.canonicalised, "\(what)")
    }

    @Test(.enabled(if: NotificationFixtures.isAvailable || NotificationFixtures.isCI))
    func everyNotificationFixture() throws {
        try #require(NotificationFixtures.isAvailable, "the fixtures are missing (BILEAN_FIXTURES_DIR)")
        let files = Self.fixtureFiles()
        #expect(files.count >= 300)
        var envelopes = 0
        for file in files {
            let url = NotificationFixtures.directory.appendingPathComponent(file)
            let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            try Self.expectIdentity(text, file)
            // The oslo 2.0 envelope's message is JSON text too: the notification itself.
            if case .string(let inner)? = try ExactJSONReader.parse(Array(text.utf8), maximumDepth: 100)["oslo.message"]
            {
                try Self.expectIdentity(inner, file + " (oslo.message)")
                envelopes += 1
            }
        }
        #expect(envelopes > 0)
    }

    // MARK: Random values

    @Test(arguments: [1, 2, 3])
    func randomValues(seed: UInt64) throws {
        var random = RandomJSON(seed: seed)
        for _ in 0..<1_000 {
            let value = random.value()
            let written = try value.jsonText()
            #expect(Array(written.utf8) == Array(try FoundationJSONOracle.text(value).utf8), "\(value)")
            // Read back: the same value, numbers in canonical form; the same as Foundation read.
            #expect(try JSONValue(jsonText: written) == value.canonicalised)
            #expect(try ExactJSONReader.parse(Array(written.utf8), maximumDepth: 512) == value.canonicalised)
            let asWritten = try ExactJSONWriter.text(value, options: .init(numbers: .asWritten, indentation: 1))
            #expect(try JSONValue(jsonText: asWritten) == FoundationJSONOracle.read(asWritten), "\(asWritten)")
        }
    }

    /// Random number texts of every form: wherever Foundation wrote a number, the bytes are the same, and it
    /// wrote every plain-notation number of `Decimal`'s range (the form Bilean stored).
    @Test func randomNumbers() throws {
        var random = RandomJSON(seed: 0x0DEC_1A1)
        var compared = 0
        let count = 20_000
        for _ in 0..<count {
            let number = random.number(exponents: -140...180)
            let ours = try JSONValue.number(number.text).jsonText()
            guard let theirs = try? FoundationJSONOracle.text(.number(number.text)) else {
                // Up to 4 trailing zeros after the point: at most 124 fraction digits, within Decimal's 128.
                #expect(
                    !number.isPlain || !(-120...127).contains(number.exponent),
                    "Foundation failed on \(number.text)"
                )
                continue
            }
            #expect(ours == theirs, "\(number.text)")
            #expect(ours == number.expectedCanonical, "\(number.text)")
            compared += 1
        }
        #expect(compared > count * 3 / 4)
    }

    /// Numbers of more than 38 digits: Foundation lost digits, the exact codec keeps them all.
    @Test func randomNumbersOfMoreDigitsStayExact() throws {
        var random = RandomJSON(seed: 0x0DEC_1A2)
        for _ in 0..<2_000 {
            let number = random.number(maximumDigits: 80, exponents: -400...400)
            let written = try JSONValue.number(number.text).jsonText()
            #expect(written == number.expectedCanonical, "\(number.text)")
            #expect(try JSONValue(jsonText: "[\(number.text)]") == .array([.number(written)]))
        }
    }
}
