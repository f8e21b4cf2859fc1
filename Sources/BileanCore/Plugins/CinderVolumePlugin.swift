/// Prices Cinder volumes by size tier: `price_mapping: [{start, end, price}]` in GB, `unit: per_hour | per_sec`.
///
/// As in the original Bilean, `price` is the price of a whole volume whose size falls in the tier. **Both bounds
/// are inclusive**: a tier matches when `start ≤ size ≤ end`; `end` may be omitted in one tier, which is then
/// open-ended (`start ≤ size`). Tiers may not overlap. A size in no tier costs 0 and yields a warning.
package struct CinderVolumePlugin: ResourcePlugin {
    package let resourceType = "os.cinder.volume"
    package let specVersions: Set<String> = ["1.0"]

    /// Creates the plugin.
    package init() {}

    package func makePricer(properties: JSONValue) throws(BileanError) -> any ResourcePricer {
        let (tiers, unit) = try Self.parseTiers(properties)
        return TierPricer(tiers: tiers, unit: unit, property: "size", noun: "volume")
    }

    /// Validates a size-tier price mapping; shared by every plugin priced by tiers of a size in GB.
    /// - Parameter properties: The spec's `properties`.
    /// - Returns: The tiers sorted by `start`, and the unit.
    /// - Throws: ``BileanError`` naming every invalid field.
    package static func parseTiers(_ properties: JSONValue) throws(BileanError) -> ([SizeTier], PriceUnit) {
        var validator = SpecValidator()
        let base = "spec.properties"
        guard let object = properties.objectValue else {
            throw BileanError.invalid(base, "Invalid rule spec: \(base) must be an object")
        }
        validator.rejectUnknownKeys(object, allowed: ["price_mapping", "unit"], at: base)
        let unit = validator.unit(object["unit"], at: "\(base).unit")
        var tiers: [SizeTier] = []
        if let mapping = object["price_mapping"]?.arrayValue {
            tiers = SizeTier.parse(mapping, at: "\(base).price_mapping", validator: &validator)
        } else {
            validator.fail("\(base).price_mapping", "is required and must be a list")
        }
        try validator.check()
        return (tiers, unit)
    }
}

/// One size tier: `start ≤ size ≤ end` (both inclusive; no `end` means no upper bound).
package struct SizeTier: Sendable, Hashable {
    /// The smallest size in the tier, in GB (inclusive).
    package var start: Int64
    /// The largest size in the tier, in GB (inclusive), or `nil` for an open last tier.
    package var end: Int64?
    /// The price of a whole object whose size is in the tier, per unit of time.
    package var price: Money
    /// The tier's position in the spec, for error messages.
    package var index: Int

    /// Whether `size` is in the tier (both bounds inclusive).
    /// - Parameter size: A size in GB.
    /// - Returns: `start ≤ size ≤ end`.
    package func contains(_ size: Int64) -> Bool {
        guard size >= self.start else { return false }
        guard let end = self.end else { return true }
        return size <= end
    }
}

/// Prices an object by the tier its size property falls in.
package struct TierPricer: ResourcePricer {
    /// The tiers, sorted by start.
    package let tiers: [SizeTier]
    /// The unit the prices are in.
    package let unit: PriceUnit
    /// The resource property that holds the size in GB.
    package let property: String
    /// What the object is called in warnings ("volume", "image").
    package let noun: String

    package func price(of properties: [String: JSONValue]) -> PriceQuote {
        guard let text = properties[self.property]?.scalarText, let size = SpecValidator.wholeNumber(text) else {
            return PriceQuote(rate: .zero, warning: "the \(self.noun) has no valid \(self.property); billed at 0")
        }
        guard let tier = self.tiers.first(where: { $0.contains(size) }) else {
            return PriceQuote(rate: .zero, warning: "\(self.property) \(size) GB is in no price tier; billed at 0")
        }
        return PriceQuote(rate: self.unit.rate(tier.price))
    }
}
