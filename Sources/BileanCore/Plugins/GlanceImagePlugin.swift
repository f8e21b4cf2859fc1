/// Prices Glance images by size: `price` per GB, `unit: per_hour | per_sec`.
///
/// Glance reports an image's `size` in **bytes**; a GB here is a GiB, 2³⁰ bytes. An image costs
/// `price × size / 2³⁰` per unit of time, computed exactly and rounded once, half to even, to the 10⁻¹² unit per
/// hour that a ``Rate`` resolves (so 1.5 GiB at 0.1 per hour is exactly 0.15 per hour). An image with no valid size
/// (Glance sends `null` before the upload; anything but a whole number ≥ 0) costs 0 and yields a warning.
package struct GlanceImagePlugin: ResourcePlugin {
    package let resourceType = "os.glance.image"
    package let specVersions: Set<String> = ["1.0"]

    /// The bytes in one priced GB: 2³⁰ (a GiB).
    package static let bytesPerGB: Int128 = 1 << 30

    /// Creates the plugin.
    package init() {}

    package func makePricer(properties: JSONValue) throws(BileanError) -> any ResourcePricer {
        let (price, unit) = try NeutronFloatingIPPlugin.parsePrice(properties)
        return SizePricer(
            ratePerGB: unit.rate(price),
            sizeUnitsPerGB: Self.bytesPerGB,
            property: "size",
            sizeUnit: "bytes",
            noun: "image"
        )
    }
}

/// Prices an object in proportion to its size: `ratePerGB × size / sizeUnitsPerGB`, rounded once.
package struct SizePricer: ResourcePricer {
    /// The highest rate a size-priced object may have: the highest price a rule can set, per second.
    ///
    /// No flat or tier-priced resource can cost more, and the engine's Int128 accruals (rate × microseconds) are
    /// sized for that; an object whose size would price it higher costs 0 and yields a warning.
    package static let maximumRate = Rate.perSecond(SpecValidator.maximumPrice)

    /// The rate of one GB.
    package let ratePerGB: Rate
    /// How many units of the size property make one GB: 2³⁰ for a size in bytes, 1 for a size in GB.
    package let sizeUnitsPerGB: Int128
    /// The resource property that holds the size.
    package let property: String
    /// The unit of the size property, for warnings ("bytes", "GB").
    package let sizeUnit: String
    /// What the object is called in warnings ("image", "snapshot").
    package let noun: String

    package func price(of properties: [String: JSONValue]) -> PriceQuote {
        guard let text = properties[self.property]?.scalarText, let size = SpecValidator.wholeNumber(text), size >= 0
        else {
            return PriceQuote(rate: .zero, warning: "the \(self.noun) has no valid \(self.property); billed at 0")
        }
        guard let rate = Self.rate(self.ratePerGB, size: size, sizeUnitsPerGB: self.sizeUnitsPerGB) else {
            return PriceQuote(
                rate: .zero,
                warning: "\(self.property) \(size) \(self.sizeUnit) prices the \(self.noun) above the maximum rate; "
                    + "billed at 0"
            )
        }
        return PriceQuote(rate: rate)
    }

    /// The rate of an object: `ratePerGB.unitsPerHour × size / sizeUnitsPerGB` units per hour, the exact rational
    /// rounded once, half to even (``Money/roundedQuotient(_:_:)``).
    /// - Parameters:
    ///   - ratePerGB: The rate of one GB.
    ///   - size: The size, ≥ 0, in units of which `sizeUnitsPerGB` make one GB.
    ///   - sizeUnitsPerGB: The size units in one GB, > 0.
    /// - Returns: The rate, or `nil` when it would be above ``maximumRate``.
    package static func rate(_ ratePerGB: Rate, size: Int64, sizeUnitsPerGB: Int128) -> Rate? {
        let (product, overflow) = ratePerGB.unitsPerHour.multipliedReportingOverflow(by: Int128(size))
        // A product beyond Int128.max (~1.7 × 10³⁸) divided by at most 2³⁰ is far above the maximum rate (3.6 × 10²¹).
        guard !overflow else { return nil }
        let rate = Rate(unitsPerHour: Money.roundedQuotient(product, sizeUnitsPerGB))
        return rate <= Self.maximumRate ? rate : nil
    }
}
