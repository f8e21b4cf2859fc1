/// The canonical text of a JSON number, worked out on its decimal text alone: never a `Double` or a `Decimal`.
///
/// The canonical form is the one Foundation's `Decimal` printed when Bilean wrote JSON through `JSONEncoder`, so
/// that stored JSON keeps its bytes: plain notation (no exponent), no leading zeros, no trailing zeros after the
/// point (and no point when none remain), no `+`, and `0` for every zero (`-0`, `0.0`, `0e5`). For example `1.0`
/// gives `1`, `1e3` gives `1000`, `1.5E-3` gives `0.0015`, `-0.10` gives `-0.1`.
///
/// Unlike `Decimal`, which holds 38 digits and powers of ten from −128 to 127, every digit is kept, however many.
/// Plain notation is kept for every number `Decimal` could write, that is while the power of ten of the last
/// significant digit lies in ``plainExponents``. Beyond it, so that a short text such as `1e999999` cannot
/// become a megabyte of zeros, the number is written in scientific notation: the significant digits with a point
/// after the first, `e`, and the power of ten of the first digit (`1e400`, `-1.25e-200`).
package enum JSONNumber {
    /// How a reader or a writer treats the text of a number.
    package enum Form: Sendable, Hashable {
        /// The text as it was written: `1.0` stays `1.0`. The client shows and sends numbers this way.
        case asWritten
        /// The canonical text: `1.0` becomes `1`. Storage, the API and messages use this form.
        case canonical
    }

    /// The powers of ten of a number's last significant digit for which the canonical text is plain: from
    /// `Decimal`'s smallest, 10^−128, to its largest, 10^165 (38 digits times 10^127).
    package static let plainExponents = -128...165

    /// Whether a text is a number in the JSON grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    /// - Parameter text: The text.
    /// - Returns: Whether it is one.
    package static func isValid(_ text: String) -> Bool {
        Self.withUTF8(text) { Self.parse($0) != nil }
    }

    /// The canonical text of a JSON number.
    /// - Parameter text: The number's text.
    /// - Returns: The canonical text, or `nil` when `text` is not a number in the JSON grammar.
    package static func canonical(_ text: String) -> String? {
        var output: [UInt8] = []
        let valid = Self.withUTF8(text) { Self.appendCanonical($0, to: &output) }
        return valid ? String(decoding: output, as: UTF8.self) : nil
    }

    /// Appends the canonical text of the JSON number in `text` to `output`.
    /// - Parameters:
    ///   - text: The number's UTF-8 text.
    ///   - output: The bytes to append to.
    /// - Returns: `false`, having appended nothing, when `text` is not a number in the JSON grammar.
    static func appendCanonical(_ text: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) -> Bool {
        guard let parts = Self.parse(text) else { return false }
        parts.appendCanonical(text, to: &output)
        return true
    }

    /// Calls `body` with the UTF-8 bytes of `text`, copying them only when the string is not contiguous.
    static func withUTF8<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        return Array(text.utf8).withUnsafeBufferPointer(body)
    }

    // MARK: Parsing

    /// Where the pieces of a JSON number lie in its text.
    fileprivate struct Parts {
        var isNegative: Bool
        /// The digits before the point.
        var integer: Range<Int>
        /// The digits after the point (empty when there is no point).
        var fraction: Range<Int>
        /// The exponent's digits (empty when there is no exponent).
        var exponent: Range<Int>
        var exponentIsNegative: Bool
    }

    private static func isDigit(_ text: UnsafeBufferPointer<UInt8>, _ index: Int) -> Bool {
        index < text.count && text[index] >= UInt8(ascii: "0") && text[index] <= UInt8(ascii: "9")
    }

    private static func parse(_ text: UnsafeBufferPointer<UInt8>) -> Parts? {
        var index = 0
        let isNegative = index < text.count && text[index] == UInt8(ascii: "-")
        if isNegative { index += 1 }
        let integerStart = index
        guard Self.isDigit(text, index) else { return nil }
        if text[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while Self.isDigit(text, index) { index += 1 }
        }
        let integer = integerStart..<index
        var fraction = index..<index
        if index < text.count && text[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            guard Self.isDigit(text, index) else { return nil }
            while Self.isDigit(text, index) { index += 1 }
            fraction = start..<index
        }
        var exponent = index..<index
        var exponentIsNegative = false
        if index < text.count && (text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E")) {
            index += 1
            if index < text.count && (text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-")) {
                exponentIsNegative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            let start = index
            guard Self.isDigit(text, index) else { return nil }
            while Self.isDigit(text, index) { index += 1 }
            exponent = start..<index
        }
        guard index == text.count else { return nil }
        return Parts(
            isNegative: isNegative,
            integer: integer,
            fraction: fraction,
            exponent: exponent,
            exponentIsNegative: exponentIsNegative
        )
    }
}

extension JSONNumber.Parts {
    /// The digits of the integer part and the fraction, as one sequence: the `position`th of them.
    private func digit(_ text: UnsafeBufferPointer<UInt8>, _ position: Int) -> UInt8 {
        position < self.integer.count
            ? text[self.integer.lowerBound + position]
            : text[self.fraction.lowerBound + position - self.integer.count]
    }

    fileprivate func appendCanonical(_ text: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        // The significant digits: the integer and fraction digits without leading or trailing zeros.
        let count = self.integer.count + self.fraction.count
        var first = 0
        while first < count && self.digit(text, first) == UInt8(ascii: "0") { first += 1 }
        guard first < count else {
            output.append(UInt8(ascii: "0"))
            return
        }
        var last = count - 1
        while self.digit(text, last) == UInt8(ascii: "0") { last -= 1 }
        let significant = last - first + 1
        // The value is significant × 10^(written exponent + shift), where shift counts the trailing zeros dropped
        // less the fraction digits; |shift| is at most the length of the text.
        let shift = (count - 1 - last) - self.fraction.count
        if self.isNegative { output.append(UInt8(ascii: "-")) }
        if let written = self.smallExponent(text) {
            let exponent = written + shift
            if JSONNumber.plainExponents.contains(exponent) {
                self.appendPlain(text, first: first, significant: significant, exponent: exponent, to: &output)
                return
            }
            self.appendScientificDigits(text, first: first, significant: significant, to: &output)
            JSONNumber.appendInteger(exponent + significant - 1, to: &output)
            return
        }
        // An exponent of more than 17 digits: far beyond plain notation, and beyond `Int` arithmetic.
        self.appendScientificDigits(text, first: first, significant: significant, to: &output)
        JSONNumber.appendSum(
            text,
            digits: self.exponent,
            isNegative: self.exponentIsNegative,
            plus: shift + significant - 1,
            to: &output
        )
    }

    /// The written exponent, when it has at most 17 significant digits (0 when there is none).
    private func smallExponent(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        var value = 0
        var digits = 0
        for index in self.exponent {
            let digit = Int(text[index] - UInt8(ascii: "0"))
            if digits > 0 || digit != 0 { digits += 1 }
            guard digits <= 17 else { return nil }
            value = value * 10 + digit
        }
        return self.exponentIsNegative ? -value : value
    }

    private func appendDigits(
        _ text: UnsafeBufferPointer<UInt8>,
        _ positions: Range<Int>,
        to output: inout [UInt8]
    ) {
        for position in positions { output.append(self.digit(text, position)) }
    }

    private func appendPlain(
        _ text: UnsafeBufferPointer<UInt8>,
        first: Int,
        significant: Int,
        exponent: Int,
        to output: inout [UInt8]
    ) {
        let end = first + significant
        if exponent >= 0 {
            self.appendDigits(text, first..<end, to: &output)
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: exponent))
        } else if significant > -exponent {
            let point = end + exponent
            self.appendDigits(text, first..<point, to: &output)
            output.append(UInt8(ascii: "."))
            self.appendDigits(text, point..<end, to: &output)
        } else {
            output.append(UInt8(ascii: "0"))
            output.append(UInt8(ascii: "."))
            output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -exponent - significant))
            self.appendDigits(text, first..<end, to: &output)
        }
    }

    /// `d.ddde`: the significant digits with a point after the first, and the `e` (the exponent follows).
    private func appendScientificDigits(
        _ text: UnsafeBufferPointer<UInt8>,
        first: Int,
        significant: Int,
        to output: inout [UInt8]
    ) {
        output.append(self.digit(text, first))
        if significant > 1 {
            output.append(UInt8(ascii: "."))
            self.appendDigits(text, (first + 1)..<(first + significant), to: &output)
        }
        output.append(UInt8(ascii: "e"))
    }
}

extension JSONNumber {
    /// Appends an integer in decimal: `-12`, `0`, `400`.
    fileprivate static func appendInteger(_ value: Int, to output: inout [UInt8]) {
        output.append(contentsOf: String(value).utf8)
    }

    /// Appends `±digits + addend` in decimal, for an exponent of more than 17 digits whose magnitude (at least
    /// 10^17) is larger than `|addend|` (at most the length of a text), so that the sign is the exponent's.
    fileprivate static func appendSum(
        _ text: UnsafeBufferPointer<UInt8>,
        digits: Range<Int>,
        isNegative: Bool,
        plus addend: Int,
        to output: inout [UInt8]
    ) {
        // Work on the magnitude: adding to a negative exponent subtracts from its magnitude, and the reverse.
        // One leading zero takes a carry out of the top digit (99…9 + 1).
        var magnitude = [UInt8(ascii: "0")] + text[digits].drop { $0 == UInt8(ascii: "0") }
        var carry = isNegative ? -addend : addend  // what to add to the magnitude
        var index = magnitude.count - 1
        while carry != 0 {
            // Each step settles one digit, from the lowest; the magnitude is larger than |carry|, so that a borrow
            // never runs past the top digit.
            let digit = Int(magnitude[index] - UInt8(ascii: "0")) + carry % 10
            carry /= 10
            let settled = ((digit % 10) + 10) % 10
            carry += (digit - settled) / 10
            magnitude[index] = UInt8(ascii: "0") + UInt8(settled)
            index -= 1
        }
        let trimmed = magnitude.drop { $0 == UInt8(ascii: "0") }
        if isNegative { output.append(UInt8(ascii: "-")) }
        output.append(contentsOf: trimmed)
    }
}
