/// Prices a resource per unit of a whole-number property, at the price of the tier the value falls in
/// (`os.generic`'s `per_unit`): `price × value`, exactly.
///
/// The tier is chosen by the value, not graduated: 150 GB with tiers 0–100 at 0.001 and 101+ at 0.0008 costs
/// 150 × 0.0008. Both bounds are inclusive (``SizeTier/contains(_:)``).
package struct PerUnitPricer: ResourcePricer {
    /// The resource property that holds the number of units.
    package let property: String
    /// The tiers, sorted by start.
    package let tiers: [SizeTier]
    /// The unit of time the prices are in.
    package let unit: PriceUnit

    package func price(of properties: [String: JSONValue]) -> PriceQuote {
        guard let text = properties[self.property]?.scalarText, let value = SpecValidator.wholeNumber(text),
            value >= 0
        else {
            return PriceQuote(rate: .zero, warning: "the resource has no valid \(self.property); billed at 0")
        }
        guard let tier = self.tiers.first(where: { $0.contains(value) }) else {
            return PriceQuote(rate: .zero, warning: "\(self.property) \(value) is in no price tier; billed at 0")
        }
        guard let rate = SizePricer.rate(self.unit.rate(tier.price), size: value, sizeUnitsPerGB: 1) else {
            return PriceQuote(
                rate: .zero,
                warning: "\(self.property) \(value) prices the resource above the maximum rate; billed at 0"
            )
        }
        return PriceQuote(rate: rate)
    }
}
