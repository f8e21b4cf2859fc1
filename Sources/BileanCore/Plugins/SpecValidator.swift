/// Collects the per-field errors of a rule spec so that a client sees all of them at once.
package struct SpecValidator: Sendable {
    /// One invalid field.
    package struct Problem: Sendable, Hashable {
        /// The field's path, e.g. `spec.properties.price_mapping[1].price`.
        package var path: String
        /// What is wrong with it.
        package var message: String
    }

    /// The highest price a rule may set, per unit of time.
    package static let maximumPrice = Money(units: 1_000_000 * Money.unitsPerOne)

    /// The problems found so far.
    package private(set) var problems: [Problem] = []

    /// Creates an empty validator.
    package init() {}

    /// Records a problem.
    /// - Parameters:
    ///   - path: The field's path.
    ///   - message: What is wrong.
    package mutating func fail(_ path: String, _ message: String) {
        self.problems.append(Problem(path: path, message: message))
    }

    /// Reads a price: a number or decimal string, 0 ≤ price ≤ ``maximumPrice``, with at most 12 decimal places.
    /// - Parameters:
    ///   - value: The JSON value, if present.
    ///   - path: The field's path.
    /// - Returns: The price, or `nil` after recording a problem.
    package mutating func price(_ value: JSONValue?, at path: String) -> Money? {
        guard let value else {
            self.fail(path, "is required")
            return nil
        }
        guard let text = value.scalarText else {
            self.fail(path, "must be a decimal number, not \(value.typeName)")
            return nil
        }
        let price: Money
        do {
            price = try Money(parsing: text, field: path)
        } catch {
            self.fail(path, "must be a decimal number: \(error.message)")
            return nil
        }
        if price.isNegative || price > Self.maximumPrice {
            self.fail(path, "must be between 0 and \(Self.maximumPrice)")
            return nil
        }
        if Self.decimalPlaces(text) > Money.scale {
            self.fail(path, "must have at most \(Money.scale) decimal places")
            return nil
        }
        return price
    }

    /// The number of decimal places needed to write a decimal number exactly, e.g. 2 for `0.150`, 13 for `1e-13`,
    /// 0 for `100e-2` or `0.000`.
    /// - Parameter text: A number accepted by ``Money/init(parsing:field:)``.
    /// - Returns: The count of fraction digits of the number's shortest exact decimal form.
    static func decimalPlaces(_ text: String) -> Int {
        let parts = text.split(maxSplits: 1, omittingEmptySubsequences: false) { $0 == "e" || $0 == "E" }
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0]
        let fractionCount = mantissa.firstIndex(of: ".").map { mantissa.distance(from: $0, to: mantissa.endIndex) - 1 }
        let digits = mantissa.filter { $0 >= "0" && $0 <= "9" }
        let trailingZeros = digits.reversed().prefix { $0 == "0" }.count
        guard trailingZeros < digits.count else { return 0 }  // the number is zero
        // The value is digits × 10^(exponent − fractionCount); its trailing zeros give back decimal places.
        return max(0, (fractionCount ?? 0) - exponent - trailingZeros)
    }

    /// Reads a whole number ≥ 0 (a size in GB).
    /// - Parameters:
    ///   - value: The JSON value, if present.
    ///   - path: The field's path.
    /// - Returns: The number, or `nil` after recording a problem.
    package mutating func size(_ value: JSONValue, at path: String) -> Int64? {
        guard let text = value.scalarText, let size = Self.wholeNumber(text), size >= 0 else {
            self.fail(path, "must be a whole number ≥ 0")
            return nil
        }
        return size
    }

    /// Reads the optional `unit` (default per_hour).
    /// - Parameters:
    ///   - value: The JSON value, if present.
    ///   - path: The field's path.
    /// - Returns: The unit (per_hour when absent or invalid; invalid values record a problem).
    package mutating func unit(_ value: JSONValue?, at path: String) -> PriceUnit {
        guard let value, value != .null else { return .perHour }
        guard let text = value.stringValue, let unit = PriceUnit(rawValue: text) else {
            let allowed = PriceUnit.allCases.map(\.rawValue).joined(separator: ", ")
            self.fail(path, "must be one of \(allowed)")
            return .perHour
        }
        return unit
    }

    /// Rejects keys other than `allowed` in an object.
    /// - Parameters:
    ///   - object: The object.
    ///   - allowed: The keys the schema knows.
    ///   - path: The object's path.
    package mutating func rejectUnknownKeys(_ object: [String: JSONValue], allowed: Set<String>, at path: String) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            self.fail("\(path).\(key)", "is not a known property")
        }
    }

    /// Throws one invalid-input error listing every problem, if there are any.
    /// - Throws: ``BileanError`` naming the first problem's field and listing all of them in its message.
    package func check() throws(BileanError) {
        guard let first = self.problems.first else { return }
        let text = self.problems.map { "\($0.path) \($0.message)" }.joined(separator: "; ")
        throw BileanError.invalid(first.path, "Invalid rule spec: \(text)")
    }

    /// Parses an integer written as `12`, `12.0` or `"12"` (JSON numbers may carry a `.0`).
    /// - Parameter text: The number's text.
    /// - Returns: The integer, or `nil` if the text is not a whole number.
    package static func wholeNumber(_ text: String) -> Int64? {
        if let value = Int64(text) { return value }
        guard let money = try? Money(parsing: text), money.units % Money.unitsPerOne == 0 else { return nil }
        return Int64(exactly: money.units / Money.unitsPerOne)
    }
}
