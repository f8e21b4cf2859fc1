/// Writes a ``JSONValue`` as JSON text, byte by byte: numbers from their decimal text, never through `Double`,
/// `Decimal` or Foundation.
///
/// With the default options (``Options/storage``) the bytes are those Bilean wrote through Foundation's
/// `JSONEncoder` (`[.sortedKeys, .withoutEscapingSlashes]`, numbers as `Decimal`), so that stored JSON keeps its
/// bytes; the tests compare both over every notification fixture and over random values:
/// - no whitespace;
/// - object keys in the order of their UTF-8 bytes, which is the order of their Unicode scalars (not of UTF-16,
///   and without normalisation): `"1" < "A" < "_" < "a" < "a1" < "b" < "é" < "\u{E000}" < "😀"`;
/// - strings escape `"` and `\`, write `\b`, `\t`, `\n`, `\f`, `\r` for those controls and `\u00xx` (lower-case
///   hexadecimal) for the other characters below U+0020; everything else, `/`, U+007F and U+2028 included, is
///   its own UTF-8 bytes;
/// - numbers in ``JSONNumber``'s canonical text (`1.0` as `1`), exact however many digits they have, where
///   `Decimal` kept 38.
package struct ExactJSONWriter {
    /// How to write.
    package struct Options: Sendable, Hashable {
        /// Canonical numbers (storage, the API, messages), or numbers as written (the client).
        package var numbers: JSONNumber.Form
        /// The spaces per level of pretty-printed output, or `nil` for compact output.
        ///
        /// Pretty output puts each element and member on a line of its own, `": "` after keys; empty arrays
        /// and objects stay `[]` and `{}`; there is no final newline.
        package var indentation: Int?
        /// Whether to escape U+007F (delete), U+2028 and U+2029 (line and paragraph separators) too, as
        /// `\u007f`, `\u2028`, `\u2029`: for text shown on a terminal or embedded in JavaScript.
        package var escapesDeleteAndSeparators: Bool

        /// Options.
        /// - Parameters:
        ///   - numbers: Canonical numbers, or numbers as written.
        ///   - indentation: The spaces per level of pretty output, `nil` for compact output.
        ///   - escapesDeleteAndSeparators: Whether to escape U+007F, U+2028 and U+2029.
        package init(
            numbers: JSONNumber.Form = .canonical,
            indentation: Int? = nil,
            escapesDeleteAndSeparators: Bool = false
        ) {
            self.numbers = numbers
            self.indentation = indentation
            self.escapesDeleteAndSeparators = escapesDeleteAndSeparators
        }

        /// Compact, canonical numbers: the bytes Bilean stores, sends and answers.
        package static let storage = Options()
    }

    /// A number whose text is not a JSON number, so that it has no canonical form.
    package struct Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// The number's text (its first 100 characters).
        package var number: String

        /// `'abc' is not a JSON number`.
        package var description: String { "'\(self.number)' is not a JSON number" }
    }

    private let options: Options
    /// The bytes written so far (``JSONStreamWriter`` appends to them too).
    var output: [UInt8] = []

    init(options: Options) {
        self.options = options
    }

    /// Writes a value as UTF-8 bytes.
    /// - Parameters:
    ///   - value: The value.
    ///   - options: How to write (by default as stored).
    /// - Returns: The UTF-8 bytes of the JSON text.
    /// - Throws: ``Failure`` for a number whose text is not a JSON number, with canonical numbers. Numbers as
    ///   written are not checked: that form is for values read by ``ExactJSONReader``.
    package static func bytes(_ value: JSONValue, options: Options = .storage) throws(Failure) -> [UInt8] {
        var writer = ExactJSONWriter(options: options)
        writer.output.reserveCapacity(128)
        try writer.write(value, level: 0)
        return writer.output
    }

    /// Writes a value as text.
    /// - Parameters:
    ///   - value: The value.
    ///   - options: How to write (by default as stored).
    /// - Returns: The JSON text.
    /// - Throws: ``Failure`` for a number whose text is not a JSON number, with canonical numbers.
    package static func text(_ value: JSONValue, options: Options = .storage) throws(Failure) -> String {
        String(decoding: try Self.bytes(value, options: options), as: UTF8.self)
    }

    // MARK: Values

    mutating func write(_ value: JSONValue, level: Int) throws(Failure) {
        switch value {
        case .null: self.output.append(contentsOf: "null".utf8)
        case .bool(let flag): self.output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let text): try self.writeNumber(text)
        case .string(let text): self.writeString(text)
        case .array(let elements):
            guard !elements.isEmpty else {
                self.output.append(contentsOf: "[]".utf8)
                return
            }
            self.output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { self.output.append(UInt8(ascii: ",")) }
                self.newline(level: level + 1)
                try self.write(element, level: level + 1)
            }
            self.newline(level: level)
            self.output.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else {
                self.output.append(contentsOf: "{}".utf8)
                return
            }
            self.output.append(UInt8(ascii: "{"))
            let sorted = members.count == 1 ? Array(members) : members.sorted { Self.precedes($0.key, $1.key) }
            for (position, member) in sorted.enumerated() {
                if position > 0 { self.output.append(UInt8(ascii: ",")) }
                self.newline(level: level + 1)
                self.writeString(member.key)
                self.output.append(UInt8(ascii: ":"))
                if self.options.indentation != nil { self.output.append(UInt8(ascii: " ")) }
                try self.write(member.value, level: level + 1)
            }
            self.newline(level: level)
            self.output.append(UInt8(ascii: "}"))
        }
    }

    /// The order of object keys: by UTF-8 bytes.
    /// - Parameters:
    ///   - first: A key.
    ///   - second: Another key.
    /// - Returns: Whether `first` is written before `second`.
    package static func precedes(_ first: String, _ second: String) -> Bool {
        // Over the contiguous UTF-8 of each, when the strings have it (native ones do): several times faster than
        // comparing the two `UTF8View`s generically, and without copying either string.
        let ordered = first.utf8.withContiguousStorageIfAvailable { left in
            second.utf8.withContiguousStorageIfAvailable { right -> Bool in
                for index in 0..<Swift.min(left.count, right.count) where left[index] != right[index] {
                    return left[index] < right[index]
                }
                return left.count < right.count
            }
        }
        return (ordered ?? nil) ?? first.utf8.lexicographicallyPrecedes(second.utf8)
    }

    private mutating func newline(level: Int) {
        guard let indentation = self.options.indentation else { return }
        self.output.append(UInt8(ascii: "\n"))
        self.output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * indentation))
    }

    private mutating func writeNumber(_ text: String) throws(Failure) {
        switch self.options.numbers {
        case .asWritten:
            self.output.append(contentsOf: text.utf8)
        case .canonical:
            let valid = JSONNumber.withUTF8(text) { JSONNumber.appendCanonical($0, to: &self.output) }
            guard valid else { throw Failure(number: String(text.prefix(100))) }
        }
    }

    // MARK: Strings

    private static let hexDigits = Array("0123456789abcdef".utf8)

    mutating func writeString(_ text: String) {
        self.output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            let escapesMore = self.options.escapesDeleteAndSeparators
            var run = 0
            var index = 0
            while index < utf8.count {
                let byte = utf8[index]
                let length: Int
                if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") {
                    guard escapesMore else {
                        index += 1
                        continue
                    }
                    if byte == 0x7F {
                        length = 1
                    } else if byte == 0xE2, index + 2 < utf8.count, utf8[index + 1] == 0x80,
                        utf8[index + 2] == 0xA8 || utf8[index + 2] == 0xA9
                    {
                        length = 3
                    } else {
                        index += 1
                        continue
                    }
                } else {
                    length = 1
                }
                self.output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<index]))
                self.appendEscape(length == 3 ? (utf8[index + 2] == 0xA8 ? 0x2028 : 0x2029) : UInt16(byte))
                index += length
                run = index
            }
            self.output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<utf8.count]))
        }
        self.output.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscape(_ scalar: UInt16) {
        self.output.append(UInt8(ascii: "\\"))
        switch scalar {
        case 0x22: self.output.append(UInt8(ascii: "\""))
        case 0x5C: self.output.append(UInt8(ascii: "\\"))
        case 0x08: self.output.append(UInt8(ascii: "b"))
        case 0x09: self.output.append(UInt8(ascii: "t"))
        case 0x0A: self.output.append(UInt8(ascii: "n"))
        case 0x0C: self.output.append(UInt8(ascii: "f"))
        case 0x0D: self.output.append(UInt8(ascii: "r"))
        default:
            self.output.append(UInt8(ascii: "u"))
            for shift in stride(from: 12, through: 0, by: -4) {
                self.output.append(Self.hexDigits[Int((scalar >> UInt16(shift)) & 0xF)])
            }
        }
    }
}
