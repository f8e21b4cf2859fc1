import BileanTestSupport

@testable import BileanCore

/// Random JSON values and number texts for the codec's tests.
struct RandomJSON {
    /// A random number: its JSON text, and the value it stands for.
    struct Number {
        /// The text as written, in one of JSON's many forms of the value (`1.50`, `15e-1`, `0.0150E2`, …).
        var text: String
        /// The significant digits, without leading or trailing zeros; empty for zero.
        var digits: String
        /// The power of ten of the last significant digit.
        var exponent: Int
        var isNegative: Bool
        /// Whether `text` has no exponent part.
        var isPlain: Bool

        /// The canonical text, worked out from the digits and the exponent rather than from `text`.
        var expectedCanonical: String {
            guard !self.digits.isEmpty else { return "0" }
            let sign = self.isNegative ? "-" : ""
            let zeros = { (count: Int) in String(repeating: "0", count: count) }
            guard JSONNumber.plainExponents.contains(self.exponent) else {
                let rest = self.digits.dropFirst()
                let exponent = self.exponent + self.digits.count - 1
                let fraction = rest.isEmpty ? "" : "." + String(rest)
                return sign + String(self.digits.prefix(1)) + fraction + "e" + String(exponent)
            }
            if self.exponent >= 0 { return sign + self.digits + zeros(self.exponent) }
            let fraction = -self.exponent
            if self.digits.count > fraction {
                return sign + String(self.digits.dropLast(fraction)) + "." + String(self.digits.suffix(fraction))
            }
            return sign + "0." + zeros(fraction - self.digits.count) + self.digits
        }
    }

    var generator: SeededRandomNumberGenerator

    init(seed: UInt64) {
        self.generator = SeededRandomNumberGenerator(seed: seed)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        Int.random(in: range, using: &self.generator)
    }

    mutating func chance(_ percent: Int) -> Bool {
        self.int(0...99) < percent
    }

    mutating func pick<T>(_ choices: [T]) -> T {
        choices[self.int(0...(choices.count - 1))]
    }

    // MARK: Numbers

    /// A random number with `1...maximumDigits` significant digits (or zero) whose last digit's power of ten lies
    /// in `exponents`, written in a random JSON form.
    mutating func number(maximumDigits: Int = 38, exponents: ClosedRange<Int> = -128...127) -> Number {
        let isNegative = self.chance(30)
        if self.chance(5) {
            let text = self.pick(["0", "-0", "0.0", "-0.000", "0e7", "0E-3", "0.00e+12", "-0e0"])
            return Number(text: text, digits: "", exponent: 0, isNegative: false, isPlain: !text.contains("e"))
        }
        // Mostly short numbers, as in real documents; sometimes up to the limit.
        let count = self.chance(70) ? self.int(1...6) : self.int(1...maximumDigits)
        var digits = String(self.int(1...9))
        if count > 1 {
            for _ in 0..<(count - 2) { digits += String(self.int(0...9)) }
            digits += String(self.int(1...9))
        }
        let exponent = self.chance(60) ? self.int(-8...8) : self.int(exponents)
        // value = digits × 10^exponent = (mantissa / 10^point) × 10^written, mantissa = digits + zeros.
        let trailingZeros = self.chance(25) ? self.int(1...4) : 0
        let mantissa = digits + String(repeating: "0", count: trailingZeros)
        var text = isNegative ? "-" : ""
        let isPlain = self.chance(60)
        let point: Int
        if isPlain {
            // No exponent: the point goes where the value puts it (with any trailing zeros after it).
            point = trailingZeros - exponent
        } else {
            point = self.int(0...(mantissa.count + 3))
        }
        if point <= 0 {
            text += mantissa + String(repeating: "0", count: -point)
        } else if point < mantissa.count {
            text += String(mantissa.dropLast(point)) + "." + String(mantissa.suffix(point))
        } else {
            text += "0." + String(repeating: "0", count: point - mantissa.count) + mantissa
        }
        if !isPlain {
            let written = exponent - trailingZeros + point
            text += self.pick(["e", "E"])
            if written < 0 {
                text += "-"
            } else if self.chance(30) {
                text += "+"
            }
            text += (self.chance(10) ? "0" : "") + String(abs(written))
        }
        return Number(text: text, digits: digits, exponent: exponent, isNegative: isNegative, isPlain: isPlain)
    }

    // MARK: Strings

    /// Characters that test escaping and key order: controls, quotes, `/`, DEL, Latin, combining marks, the line
    /// separators, CJK, the private use area, U+FFFF, astral characters.
    static let palette: [Unicode.Scalar] = {
        var values: [UInt32] = Array(0x00...0x1F) + Array(0x7E...0x81)
        values += [0xA0, 0xC5, 0xDF, 0xE9, 0x0301, 0x0323, 0x212B, 0x2028, 0x2029, 0x4E2D, 0xD7FF, 0xE000, 0xFEFF]
        values += [0xFFFD, 0xFFFF, 0x1_0000, 0x1_F600, 0x10_FFFF]
        var scalars = values.compactMap { Unicode.Scalar($0) }
        scalars += Array("\"\\/ !#$%&'()*+,-.:;<=>?@[]^_`{|}~09azAZ".unicodeScalars)
        return scalars
    }()

    mutating func string(maximumLength: Int = 12) -> String {
        var text = ""
        let length = self.int(0...maximumLength)
        for _ in 0..<length {
            if self.chance(50) {
                text.unicodeScalars.append(Unicode.Scalar(UInt8(self.int(0x61...0x7A))))
            } else {
                text.unicodeScalars.append(self.pick(Self.palette))
            }
        }
        return text
    }

    // MARK: Values

    /// A random value whose numbers have at most 38 significant digits within `Decimal`'s range (and at most 128
    /// digits after the point, as `Decimal(string:)` reads them).
    mutating func value(depth: Int = 4) -> JSONValue {
        let kind = depth == 0 ? self.int(0...3) : self.int(0...5)
        switch kind {
        case 0: return .null
        case 1: return .bool(self.chance(50))
        case 2: return .number(self.number(exponents: -120...127).text)
        case 3: return .string(self.string())
        case 4: return .array((0..<self.int(0...5)).map { _ in self.value(depth: depth - 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<self.int(0...6) {
                members[self.string(maximumLength: 6)] = self.value(depth: depth - 1)
            }
            return .object(members)
        }
    }
}

extension JSONValue {
    /// The value with every number in its canonical text, as ``ExactJSONWriter`` writes it.
    var canonicalised: JSONValue {
        switch self {
        case .null, .bool, .string: return self
        case .number(let text): return .number(JSONNumber.canonical(text) ?? text)
        case .array(let elements): return .array(elements.map(\.canonicalised))
        case .object(let members): return .object(members.mapValues(\.canonicalised))
        }
    }
}
