/// Prices a resource by the value of one of its properties (`os.generic`'s `price_mapping`).
package struct ValuePricer: ResourcePricer {
    /// The resource property that chooses the price.
    package let property: String
    /// The price per unit of time of each value, by the value's text (``key(_:)``).
    package let prices: [String: Money]
    /// The unit the prices are in.
    package let unit: PriceUnit

    /// The text a value is matched by: a string's or number's text, `true` or `false`; `nil` for anything else.
    /// - Parameter value: A value in the spec or a resource property.
    /// - Returns: The text, so that `2` and `"2"` match, or `nil` when the value cannot be matched.
    package static func key(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text), .number(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }

    package func price(of properties: [String: JSONValue]) -> PriceQuote {
        guard let key = properties[self.property].flatMap(Self.key) else {
            return PriceQuote(rate: .zero, warning: "the resource has no \(self.property); billed at 0")
        }
        guard let price = self.prices[key] else {
            return PriceQuote(rate: .zero, warning: "\(self.property) '\(key)' has no price; billed at 0")
        }
        return PriceQuote(rate: self.unit.rate(price))
    }
}
