/// A strict JSON parser over raw bytes: Bilean's one JSON reader (the API, the listener, the store, messages, the
/// client), the counterpart of ``ExactJSONWriter``.
///
/// Numbers follow the JSON grammar exactly (no `NaN`, no leading `+` or zeros) and stay text, never a `Double`
/// or a `Decimal`: as written (``JSONNumber/Form/asWritten``, by default) or in canonical form
/// (``JSONNumber/Form/canonical``: `1.0` becomes `1`, as `JSONValue(jsonText:)` and the API read them). Strings
/// must be valid UTF-8, and nesting is bounded (so a hostile body cannot exhaust the stack).
///
/// An object that repeats a key is refused (`duplicate key 'x'`, at the offset of the second copy): Python's
/// `json` keeps the last value and Foundation's `JSONDecoder` the first, so which the sender meant cannot be
/// known. Keys are compared as Swift strings, so two keys that are canonically equivalent Unicode (`é` as one
/// scalar, or as `e` and a combining accent) repeat too.
package struct ExactJSONReader {
    /// Why a text is not JSON, and where.
    package struct Failure: Error, Sendable, Hashable {
        /// The byte offset of the problem.
        package var offset: Int
        /// What is wrong, e.g. `expected ':'`.
        package var problem: String
    }

    /// The text, borrowed for one ``parse(_:maximumDepth:numbers:)`` (read through a pointer: no reference counting
    /// or copy per byte or per string, a fifth of a notification's parse, perf).
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maximumDepth: Int
    private let numbers: JSONNumber.Form
    private var index = 0
    private var depth = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int, numbers: JSONNumber.Form) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
        self.numbers = numbers
    }

    /// Parses one JSON value, with optional whitespace around it.
    /// - Parameters:
    ///   - bytes: The UTF-8 text.
    ///   - maximumDepth: The deepest nesting of arrays and objects accepted.
    ///   - numbers: Whether numbers keep their text as written (the default) or take their canonical form.
    /// - Returns: The value.
    /// - Throws: ``Failure`` naming the byte offset and the problem.
    package static func parse(
        _ bytes: [UInt8],
        maximumDepth: Int,
        numbers: JSONNumber.Form = .asWritten
    ) throws(Failure) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (buffer) throws(Failure) -> JSONValue in
            try Self.parse(buffer, maximumDepth: maximumDepth, numbers: numbers)
        }
    }

    /// Parses one JSON value from the bytes of a string (without copying them when the string is stored as UTF-8,
    /// as Swift's native strings are).
    /// - Parameters:
    ///   - text: The text.
    ///   - maximumDepth: The deepest nesting of arrays and objects accepted.
    ///   - numbers: Whether numbers keep their text as written (the default) or take their canonical form.
    /// - Returns: The value.
    /// - Throws: ``Failure`` naming the byte offset and the problem.
    package static func parse(
        utf8 text: String,
        maximumDepth: Int,
        numbers: JSONNumber.Form = .asWritten
    ) throws(Failure) -> JSONValue {
        var text = text
        let result = text.withUTF8 { buffer in
            Result { () throws(Failure) -> JSONValue in
                try Self.parse(buffer, maximumDepth: maximumDepth, numbers: numbers)
            }
        }
        return try result.get()
    }

    /// Parses one JSON value from bytes in memory, with optional whitespace around it.
    /// - Parameters:
    ///   - bytes: The UTF-8 text, read only during the call.
    ///   - maximumDepth: The deepest nesting of arrays and objects accepted.
    ///   - numbers: Whether numbers keep their text as written (the default) or take their canonical form.
    /// - Returns: The value.
    /// - Throws: ``Failure`` naming the byte offset and the problem.
    package static func parse(
        _ bytes: UnsafeBufferPointer<UInt8>,
        maximumDepth: Int,
        numbers: JSONNumber.Form = .asWritten
    ) throws(Failure) -> JSONValue {
        var reader = ExactJSONReader(bytes, maximumDepth: maximumDepth, numbers: numbers)
        reader.skipWhitespace()
        let value = try reader.readValue()
        reader.skipWhitespace()
        guard reader.index == reader.bytes.count else {
            throw reader.failure("unexpected text after the JSON value")
        }
        return value
    }

    private func failure(_ problem: String) -> Failure {
        Failure(offset: self.index, problem: problem)
    }

    private var current: UInt8? {
        self.index < self.bytes.count ? self.bytes[self.index] : nil
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.count {
            switch self.bytes[self.index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): self.index += 1
            default: return
            }
        }
    }

    private mutating func readValue() throws(Failure) -> JSONValue {
        guard let byte = self.current else { throw self.failure("unexpected end of text") }
        switch byte {
        case UInt8(ascii: "{"): return try self.readObject()
        case UInt8(ascii: "["): return try self.readArray()
        case UInt8(ascii: "\""): return .string(try self.readString())
        case UInt8(ascii: "t"):
            try self.readLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try self.readLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try self.readLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try self.readNumber())
        default:
            throw self.failure("unexpected byte 0x\(String(byte, radix: 16, uppercase: true))")
        }
    }

    private mutating func readLiteral(_ literal: String) throws(Failure) {
        let start = self.index
        for expected in literal.utf8 {
            guard self.current == expected else {
                self.index = start
                throw self.failure("unexpected text")
            }
            self.index += 1
        }
    }

    private mutating func enter() throws(Failure) {
        self.depth += 1
        guard self.depth <= self.maximumDepth else {
            throw self.failure("nested deeper than \(self.maximumDepth) levels")
        }
    }

    /// A member read, before its object is built.
    private struct Member {
        var key: String
        var offset: Int
        var value: JSONValue
    }

    private mutating func readObject() throws(Failure) -> JSONValue {
        try self.enter()
        self.index += 1  // {
        self.skipWhitespace()
        if self.current == UInt8(ascii: "}") {
            self.index += 1
            self.depth -= 1
            return .object([:])
        }
        // The members are read first, then the dictionary is made at its size: no rehashing as it grows.
        var members: [Member] = []
        while true {
            self.skipWhitespace()
            guard self.current == UInt8(ascii: "\"") else { throw self.failure("expected a string key") }
            let keyOffset = self.index
            let key = try self.readString()
            self.skipWhitespace()
            guard self.current == UInt8(ascii: ":") else { throw self.failure("expected ':'") }
            self.index += 1
            self.skipWhitespace()
            members.append(Member(key: key, offset: keyOffset, value: try self.readValue()))
            self.skipWhitespace()
            switch self.current {
            case UInt8(ascii: ","):
                self.index += 1
            case UInt8(ascii: "}"):
                self.index += 1
                self.depth -= 1
                var object = [String: JSONValue](minimumCapacity: members.count)
                for member in members {
                    guard object.updateValue(member.value, forKey: member.key) == nil else {
                        throw Failure(offset: member.offset, problem: "duplicate key '\(Self.shown(member.key))'")
                    }
                }
                return .object(object)
            default:
                throw self.failure("expected ',' or '}'")
            }
        }
    }

    private mutating func readArray() throws(Failure) -> JSONValue {
        try self.enter()
        self.index += 1  // [
        var elements: [JSONValue] = []
        self.skipWhitespace()
        if self.current == UInt8(ascii: "]") {
            self.index += 1
            self.depth -= 1
            return .array(elements)
        }
        while true {
            self.skipWhitespace()
            elements.append(try self.readValue())
            self.skipWhitespace()
            switch self.current {
            case UInt8(ascii: ","):
                self.index += 1
            case UInt8(ascii: "]"):
                self.index += 1
                self.depth -= 1
                return .array(elements)
            default:
                throw self.failure("expected ',' or ']'")
            }
        }
    }

    private static func isDigit(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func readNumber() throws(Failure) -> String {
        let start = self.index
        if self.current == UInt8(ascii: "-") { self.index += 1 }
        if self.current == UInt8(ascii: "0") {
            self.index += 1
        } else if Self.isDigit(self.current) {
            while Self.isDigit(self.current) { self.index += 1 }
        } else {
            throw self.failure("expected a digit")
        }
        if self.current == UInt8(ascii: ".") {
            self.index += 1
            guard Self.isDigit(self.current) else { throw self.failure("expected a digit after '.'") }
            while Self.isDigit(self.current) { self.index += 1 }
        }
        if self.current == UInt8(ascii: "e") || self.current == UInt8(ascii: "E") {
            self.index += 1
            if self.current == UInt8(ascii: "+") || self.current == UInt8(ascii: "-") { self.index += 1 }
            guard Self.isDigit(self.current) else { throw self.failure("expected a digit in the exponent") }
            while Self.isDigit(self.current) { self.index += 1 }
        }
        switch self.numbers {
        case .asWritten:
            return String(decoding: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]), as: UTF8.self)
        case .canonical:
            var canonical: [UInt8] = []
            let valid = JSONNumber.appendCanonical(
                UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]),
                to: &canonical
            )
            guard valid else {
                // The grammar was checked above; this cannot happen.
                throw Failure(offset: start, problem: "expected a number")
            }
            return String(decoding: canonical, as: UTF8.self)
        }
    }

    /// A key as an error message shows it: its first 100 characters, control characters as `\u00xx`.
    private static func shown(_ key: String) -> String {
        var shown = ""
        for (position, scalar) in key.unicodeScalars.enumerated() {
            guard position < 100 else {
                shown += "…"
                break
            }
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16)
                shown += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    private mutating func readString() throws(Failure) -> String {
        self.index += 1  // opening quote
        // Fast path: a string without escapes is one slice of the input.
        let start = self.index
        while self.index < self.bytes.count {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: self.bytes[start..<self.index])
                guard let text = String(validating: run, as: UTF8.self) else {
                    throw Failure(offset: start, problem: "a string is not valid UTF-8")
                }
                self.index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            self.index += 1
        }
        // Slow path: copy each run between escapes in one go (oslo's inner message escapes every quote), into a
        // buffer that the rest of the string cannot outgrow (an escape never reads shorter than it decodes).
        var utf8: [UInt8] = []
        utf8.reserveCapacity(self.remainingStringLength(from: self.index) + (self.index - start))
        utf8.append(contentsOf: UnsafeBufferPointer(rebasing: self.bytes[start..<self.index]))
        while true {
            let run = self.index
            while self.index < self.bytes.count {
                let byte = self.bytes[self.index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                self.index += 1
            }
            utf8.append(contentsOf: UnsafeBufferPointer(rebasing: self.bytes[run..<self.index]))
            guard let byte = self.current else { throw self.failure("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw Failure(offset: start, problem: "a string is not valid UTF-8")
                }
                self.index += 1
                return text
            case UInt8(ascii: "\\"):
                self.index += 1
                try self.readEscape(into: &utf8)
            default:
                throw self.failure("a control character in a string must be escaped")
            }
        }
    }

    /// How many bytes from `start` to the string's closing quote (or to the end of the text), escapes included.
    private func remainingStringLength(from start: Int) -> Int {
        var index = start
        while index < self.bytes.count {
            switch self.bytes[index] {
            case UInt8(ascii: "\""): return index - start
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return self.bytes.count - start
    }

    private mutating func readEscape(into utf8: inout [UInt8]) throws(Failure) {
        guard let byte = self.current else { throw self.failure("unterminated escape") }
        self.index += 1
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(byte)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try self.readHex4())
            if (0xD800...0xDBFF).contains(scalar) {
                guard self.current == UInt8(ascii: "\\") else { throw self.failure("unpaired surrogate") }
                self.index += 1
                guard self.current == UInt8(ascii: "u") else { throw self.failure("unpaired surrogate") }
                self.index += 1
                let low = UInt32(try self.readHex4())
                guard (0xDC00...0xDFFF).contains(low) else { throw self.failure("unpaired surrogate") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw self.failure("unpaired surrogate") }
            utf8.append(contentsOf: String(Character(unicode)).utf8)
        default:
            throw self.failure("unknown escape")
        }
    }

    private mutating func readHex4() throws(Failure) -> UInt16 {
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let byte = self.current else { throw self.failure("unterminated \\u escape") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw self.failure("expected a hexadecimal digit")
            }
            value = value << 4 | UInt16(digit)
            self.index += 1
        }
        return value
    }
}
