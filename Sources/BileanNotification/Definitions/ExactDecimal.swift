/// A decimal number read from its text, exactly: sign, digits and a power of ten. Never a `Double`.
///
/// It reads JSON numbers and numbers sent as strings (`"40"`, `"1.5"`, `"1e3"`, `"+2"`, `"007"`, `".5"`), and writes
/// them back in one canonical plain form: no exponent, no leading zeros, no trailing fraction zeros, `0` for zero.
struct ExactDecimal: Sendable, Hashable {
    /// The longest canonical text produced; longer numbers are refused as out of range.
    static let maximumLength = 100

    /// Whether the number is below zero.
    var isNegative: Bool
    /// The significant digits, without leading or trailing zeros; empty for zero.
    var digits: [UInt8]
    /// The power of ten of the last digit: the value is `digits × 10^exponent`.
    var exponent: Int

    /// Reads a decimal number: `[+-][digits][.digits][(e|E)[+-]digits]`, with at least one digit in all.
    /// - Parameter text: The text, with no surrounding whitespace.
    /// - Returns: `nil` when the text is not such a number, or when its plain form would exceed ``maximumLength``.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        func isDigit(_ position: Int) -> Bool {
            position < bytes.count && bytes[position] >= UInt8(ascii: "0") && bytes[position] <= UInt8(ascii: "9")
        }
        var all: [UInt8] = []
        var fractionCount = 0
        while isDigit(index) {
            all.append(bytes[index] - UInt8(ascii: "0"))
            index += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard isDigit(index) else { return nil }
            while isDigit(index) {
                all.append(bytes[index] - UInt8(ascii: "0"))
                fractionCount += 1
                index += 1
            }
        }
        guard !all.isEmpty else { return nil }
        var exponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            guard isDigit(index) else { return nil }
            while isDigit(index) {
                exponent = exponent * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                guard exponent <= 10 * Self.maximumLength else { return nil }
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        guard index == bytes.count else { return nil }
        exponent -= fractionCount
        // Normalise: drop leading zeros, and trailing zeros into the exponent.
        var significant = ArraySlice(all.drop { $0 == 0 })
        while let last = significant.last, last == 0 {
            significant.removeLast()
            exponent += 1
        }
        self.isNegative = negative && !significant.isEmpty
        self.digits = Array(significant)
        self.exponent = significant.isEmpty ? 0 : exponent
        guard self.plainText.utf8.count <= Self.maximumLength else { return nil }
    }

    /// Whether the number is a whole number.
    var isWholeNumber: Bool { self.exponent >= 0 }

    /// The canonical plain text: `-12.5`, `0.001`, `1200`, `0`.
    var plainText: String {
        guard !self.digits.isEmpty else { return "0" }
        let characters = self.digits.map { Character(Unicode.Scalar($0 + UInt8(ascii: "0"))) }
        var text = self.isNegative ? "-" : ""
        if self.exponent >= 0 {
            text += String(characters) + String(repeating: "0", count: self.exponent)
        } else {
            let fraction = -self.exponent
            if characters.count > fraction {
                text += String(characters.dropLast(fraction)) + "." + String(characters.suffix(fraction))
            } else {
                text += "0." + String(repeating: "0", count: fraction - characters.count) + String(characters)
            }
        }
        return text
    }
}
