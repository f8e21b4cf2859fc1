import Foundation

/// An exact amount of money: a signed count of 10^-12 units in an Int128.
///
/// Amounts are never held in floating point. Text is parsed with integer arithmetic only, so `"1.1"` is exactly
/// `1_100_000_000_000` units, and ``description`` prints the canonical decimal text back, so that
/// `Money(parsing: m.description) == m` for every amount within ``maxMagnitude``.
///
/// Amounts that enter Bilean through ``init(parsing:field:)`` or `Decodable` are bounded by ``maxMagnitude``
/// (10^27 units). `Int128.max` is about 1.7 × 10^38 units, so the plain operators (`+`, `-`, `+=`, `-=`) cannot
/// overflow for any realistic sum of such amounts; code that combines amounts from untrusted input and must stay
/// within range uses the throwing ``adding(_:)`` and ``subtracting(_:)``.
package struct Money: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// The number of decimal fraction digits a unit resolves: one unit is 10^-12.
    package static let scale = 12

    /// The number of units in one whole currency unit: 10^12.
    package static let unitsPerOne: Int128 = 1_000_000_000_000

    /// The largest magnitude Bilean accepts: 10^15 whole currency units, that is 10^27 units.
    ///
    /// Parsing and the throwing arithmetic reject anything whose absolute value is larger.
    package static let maxMagnitude = Money(units: 1_000_000_000_000_000_000_000_000_000)

    /// Zero.
    package static let zero = Money(units: 0)

    /// The most significant digits ``init(parsing:field:)`` accepts (leading and trailing zeros do not count).
    static let maxSignificantDigits = 60

    /// The largest absolute decimal exponent ``init(parsing:field:)`` accepts, as in `1e40`.
    static let maxExponent = 40

    /// The signed number of 10^-12 units.
    package var units: Int128

    /// Creates an amount from a count of 10^-12 units. The value is not range-checked.
    /// - Parameter units: The signed number of units.
    package init(units: Int128) {
        self.units = units
    }

    /// Creates an amount of whole currency units, e.g. `Money(integer: 5)` is 5.
    /// - Parameter integer: The number of whole units.
    package init(integer: Int) {
        self.units = Int128(integer) * Self.unitsPerOne
    }

    /// Parses a decimal number: an optional `-` or `+`, one or more digits, an optional `.` followed by one or
    /// more digits, and an optional exponent (`e` or `E`, an optional sign, one or more digits), e.g. `100`,
    /// `-0.5`, `1e2`, `1.5E-3`.
    ///
    /// More than 12 fraction digits are rounded once, half to even, to 12. Leading zeros are allowed (`007`).
    /// The parse is exact and uses integer arithmetic only.
    ///
    /// - Parameters:
    ///   - text: The text, with no surrounding whitespace.
    ///   - field: The input field named by the error.
    /// - Throws: ``BileanError/invalid(_:_:)`` for empty text, whitespace, `NaN`, `Infinity`, hexadecimal, a
    ///   missing digit on either side of `.` (`1.`, `.5`), more than one `.`, separators, more than 60 significant
    ///   digits, an exponent beyond ±40, or a (rounded) magnitude above ``maxMagnitude``.
    package init(parsing text: String, field: String = "value") throws(BileanError) {
        func failure(_ reason: String) -> BileanError {
            BileanError.invalid(field, "'\(field)' is not a valid amount: \(Money.quoted(text)): \(reason)")
        }

        let bytes = Array(text.utf8)
        var index = 0

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        // Sign.
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }

        // Integer digits.
        let integerStart = index
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        let integerDigits = bytes[integerStart..<index]
        guard !integerDigits.isEmpty else {
            throw failure(bytes.isEmpty ? "empty" : "expected a digit")
        }

        // Fraction digits.
        var fractionDigits = bytes[index..<index]
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            fractionDigits = bytes[fractionStart..<index]
            guard !fractionDigits.isEmpty else { throw failure("expected a digit after the decimal point") }
        }

        // Exponent.
        var exponent = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            let exponentStart = index
            while index < bytes.count, isDigit(bytes[index]) {
                // Saturate just above the limit so that a long run of digits cannot overflow.
                exponent = min(exponent * 10 + Int(bytes[index] - UInt8(ascii: "0")), Self.maxExponent + 1)
                index += 1
            }
            guard index > exponentStart else { throw failure("expected a digit in the exponent") }
            guard exponent <= Self.maxExponent else {
                throw failure("exponent beyond ±\(Self.maxExponent)")
            }
            if exponentNegative { exponent = -exponent }
        }

        guard index == bytes.count else { throw failure("unexpected character") }

        // The value is mantissa × 10^decimalExponent, the mantissa being the integer and fraction digits.
        let mantissa = Array(integerDigits) + Array(fractionDigits)
        var decimalExponent = exponent - fractionDigits.count
        guard let first = mantissa.firstIndex(where: { $0 != UInt8(ascii: "0") }),
            let last = mantissa.lastIndex(where: { $0 != UInt8(ascii: "0") })
        else {
            self.units = 0
            return
        }
        decimalExponent += mantissa.count - 1 - last
        let significant = mantissa[first...last]
        guard significant.count <= Self.maxSignificantDigits else {
            throw failure("more than \(Self.maxSignificantDigits) significant digits")
        }

        // Units = significant × 10^(decimalExponent + scale). 10^27 has 28 digits, so an integer part of more
        // than 28 digits is out of range before any arithmetic (and 28 digits always fit in an Int128).
        let maxDigits = 28
        let shift = decimalExponent + Self.scale
        func outOfRange() -> BileanError { failure("magnitude exceeds \(Self.maxMagnitude)") }
        var magnitude: Int128 = 0
        if shift >= 0 {
            guard significant.count + shift <= maxDigits else { throw outOfRange() }
            for digit in significant { magnitude = magnitude * 10 + Int128(digit - UInt8(ascii: "0")) }
            magnitude *= Self.powerOfTen(shift)
        } else {
            // Keep the first `kept` digits; round half to even on the dropped ones. The last significant digit is
            // not zero, so any dropped digit after the first one makes the remainder more than that digit alone.
            let kept = significant.count + shift
            guard kept <= maxDigits else { throw outOfRange() }
            let roundUp: Bool
            if kept < 0 {
                roundUp = false  // below 0.1 unit
            } else {
                let digits = Array(significant)
                for digit in digits[0..<kept] { magnitude = magnitude * 10 + Int128(digit - UInt8(ascii: "0")) }
                let firstDropped = digits[kept]
                let moreDropped = kept + 1 < digits.count
                if firstDropped > UInt8(ascii: "5") {
                    roundUp = true
                } else if firstDropped < UInt8(ascii: "5") {
                    roundUp = false
                } else {
                    roundUp = moreDropped || magnitude % 2 == 1
                }
            }
            if roundUp { magnitude += 1 }
        }
        guard magnitude <= Self.maxMagnitude.units else { throw outOfRange() }
        self.units = negative ? -magnitude : magnitude
    }

    /// The canonical decimal text: no exponent, trailing fraction zeros trimmed, no trailing `.`, never `-0`,
    /// e.g. `100`, `-0.5`, `99.99972222`, `0.000000000001`, `0`.
    package var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        self.appendDescription(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of ``description`` to `bytes`, without building a `String` (a JSON body or a
    /// stored value writes them straight out: every amount of every row of a page of users goes through here).
    /// - Parameter bytes: Where to append.
    package func appendDescription(to bytes: inout [UInt8]) {
        let (whole, fraction) = self.units.magnitude.quotientAndRemainder(dividingBy: UInt128(Self.unitsPerOne))
        if self.units < 0 { bytes.append(UInt8(ascii: "-")) }
        Self.appendDigits(of: whole, to: &bytes)
        guard fraction != 0 else { return }
        // Below 10^12: fits 64 bits. Its trailing zeros are trimmed, its leading ones kept.
        var digits = UInt64(truncatingIfNeeded: fraction)
        var count = Self.scale
        while digits % 10 == 0 {
            digits /= 10
            count -= 1
        }
        bytes.append(UInt8(ascii: "."))
        Self.appendDigits(of: digits, minimumCount: count, to: &bytes)
    }

    /// Appends the decimal digits of a whole part (past 64 bits, about 1.8e19, through the standard library).
    private static func appendDigits(of value: UInt128, to bytes: inout [UInt8]) {
        if let small = UInt64(exactly: value) {
            Self.appendDigits(of: small, minimumCount: 1, to: &bytes)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
    }

    /// Appends the decimal digits of `value`, padded with leading zeros to at least `minimumCount` digits.
    private static func appendDigits(of value: UInt64, minimumCount: Int, to bytes: inout [UInt8]) {
        // At most 20 digits for a 64-bit value; the padding asks for at most ``scale``.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var rest = value
            var start = 20
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            } while rest != 0
            while 20 - start < minimumCount {
                start -= 1
                buffer[start] = UInt8(ascii: "0")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<20]))
        }
    }

    /// The amount for display, rounded half to even to `fractionDigits` digits and always showing exactly that
    /// many, e.g. `"1.50"` for 1.5 with 2 digits, `"2"` for 2.5 with 0 digits. Never shows `-0`.
    /// - Parameter fractionDigits: The number of fraction digits, clamped to `0...12`.
    package func formatted(fractionDigits: Int) -> String {
        let digits = min(max(fractionDigits, 0), Self.scale)
        let rounded = Self.roundedQuotient(self.units, Self.powerOfTen(Self.scale - digits))
        let (whole, fraction) = rounded.magnitude.quotientAndRemainder(dividingBy: UInt128(Self.powerOfTen(digits)))
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        if rounded < 0 { bytes.append(UInt8(ascii: "-")) }
        Self.appendDigits(of: whole, to: &bytes)
        if digits > 0 {
            bytes.append(UInt8(ascii: "."))
            Self.appendDigits(of: UInt64(truncatingIfNeeded: fraction), minimumCount: digits, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Arithmetic

    /// Whether the amount is below zero.
    package var isNegative: Bool { self.units < 0 }

    /// Whether the amount is zero.
    package var isZero: Bool { self.units == 0 }

    /// Whether the amount is above zero.
    package var isPositive: Bool { self.units > 0 }

    /// The sum, range-checked.
    /// - Parameter other: The amount to add.
    /// - Throws: ``BileanError/invalid(_:_:)`` (field `value`, `amount out of range`) when the sum's magnitude
    ///   exceeds ``maxMagnitude``.
    package func adding(_ other: Money) throws(BileanError) -> Money {
        try Self.checked(self.units.addingReportingOverflow(other.units))
    }

    /// The difference, range-checked.
    /// - Parameter other: The amount to subtract.
    /// - Throws: ``BileanError/invalid(_:_:)`` (field `value`, `amount out of range`) when the difference's
    ///   magnitude exceeds ``maxMagnitude``.
    package func subtracting(_ other: Money) throws(BileanError) -> Money {
        try Self.checked(self.units.subtractingReportingOverflow(other.units))
    }

    private static func checked(_ result: (partialValue: Int128, overflow: Bool)) throws(BileanError) -> Money {
        guard !result.overflow, result.partialValue.magnitude <= Self.maxMagnitude.units.magnitude else {
            throw BileanError.invalid("value", "amount out of range")
        }
        return Money(units: result.partialValue)
    }

    /// The sum, in plain Int128 arithmetic (see the type's discussion for why it cannot overflow in practice).
    package static func + (lhs: Money, rhs: Money) -> Money {
        Money(units: lhs.units + rhs.units)
    }

    /// The difference, in plain Int128 arithmetic (see the type's discussion for why it cannot overflow in practice).
    package static func - (lhs: Money, rhs: Money) -> Money {
        Money(units: lhs.units - rhs.units)
    }

    /// The negated amount.
    package static prefix func - (operand: Money) -> Money {
        Money(units: -operand.units)
    }

    /// Adds `rhs` to `lhs` in plain Int128 arithmetic.
    package static func += (lhs: inout Money, rhs: Money) {
        lhs = lhs + rhs
    }

    /// Subtracts `rhs` from `lhs` in plain Int128 arithmetic.
    package static func -= (lhs: inout Money, rhs: Money) {
        lhs = lhs - rhs
    }

    /// Orders amounts by value.
    package static func < (lhs: Money, rhs: Money) -> Bool {
        lhs.units < rhs.units
    }

    // MARK: Codable

    /// Decodes an amount from a JSON string (`"1.1"`) or a JSON number (`1.1`), exactly.
    ///
    /// A number is decoded as `Decimal` (exact for up to 38 significant digits) and its text parsed with
    /// ``init(parsing:field:)``.
    /// - Throws: ``BileanError/invalid(_:_:)`` naming the coding path for a malformed or out-of-range amount,
    ///   or the decoder's error when the value is neither a string nor a number.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let field = Self.fieldName(decoder.codingPath, default: "value")
        let text: String
        do {
            text = try container.decode(String.self)
        } catch DecodingError.typeMismatch {
            text = try container.decode(Decimal.self).description
        }
        try self.init(parsing: text, field: field)
    }

    /// Encodes the amount as its ``description`` string, e.g. `"1.1"`.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }

    // MARK: Helpers

    /// 10^exponent, for `0...38`.
    static func powerOfTen(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    /// The text, quoted and shortened for an error message.
    private static func quoted(_ text: String) -> String {
        let limit = 64
        return text.count <= limit ? "'\(text)'" : "'\(text.prefix(limit))…'"
    }

    /// A field name for an error from a coding path, e.g. `rate` or `items.2.price`.
    private static func fieldName(_ path: [any CodingKey], default defaultName: String) -> String {
        guard !path.isEmpty else { return defaultName }
        return path.map { key in key.intValue.map(String.init) ?? key.stringValue }.joined(separator: ".")
    }
}
