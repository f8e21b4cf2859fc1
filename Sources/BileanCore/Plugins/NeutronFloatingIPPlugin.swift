/// Prices Neutron floating IPs at a flat rate: `price`, `unit: per_hour | per_sec`.
///
/// Every floating IP costs `price` per unit of time, whatever its properties (associated with a port or not).
package struct NeutronFloatingIPPlugin: ResourcePlugin {
    package let resourceType = "os.neutron.floatingip"
    package let specVersions: Set<String> = ["1.0"]

    /// Creates the plugin.
    package init() {}

    package func makePricer(properties: JSONValue) throws(BileanError) -> any ResourcePricer {
        let (price, unit) = try Self.parsePrice(properties)
        return FlatPricer(rate: unit.rate(price))
    }

    /// Validates a single-price schema `{price, unit}`; shared by every plugin priced by one price, whether per
    /// object (flat) or per GB.
    ///
    /// `price` is a decimal number or string, 0 ≤ price ≤ ``SpecValidator/maximumPrice``, with at most 12 decimal
    /// places (a price that `Money` would have to round is refused rather than changed).
    /// - Parameter properties: The spec's `properties`.
    /// - Returns: The price and the unit.
    /// - Throws: ``BileanError`` naming every invalid field.
    package static func parsePrice(_ properties: JSONValue) throws(BileanError) -> (Money, PriceUnit) {
        var validator = SpecValidator()
        let base = "spec.properties"
        guard let object = properties.objectValue else {
            throw BileanError.invalid(base, "Invalid rule spec: \(base) must be an object")
        }
        validator.rejectUnknownKeys(object, allowed: ["price", "unit"], at: base)
        let unit = validator.unit(object["unit"], at: "\(base).unit")
        let price = validator.price(object["price"], at: "\(base).price")
        try validator.check()
        // check() throws unless every field is valid, so the price is set here.
        guard let price else {
            throw BileanError.invalid("\(base).price", "Invalid rule spec: \(base).price is required")
        }
        return (price, unit)
    }
}

/// Prices every resource at one rate, whatever its properties.
package struct FlatPricer: ResourcePricer {
    /// The rate of every resource.
    package let rate: Rate

    package func price(of properties: [String: JSONValue]) -> PriceQuote {
        PriceQuote(rate: self.rate)
    }
}
