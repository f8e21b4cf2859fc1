/// Prices Nova servers by flavor name: `price_mapping: [{flavor, price}]`, `unit: per_hour | per_sec`.
///
/// The flavor is the name `openstack flavor list` shows, found in the resource property `flavor`. A flavor
/// that the rule does not list costs 0 and yields a warning, so that the admin can price it.
package struct NovaServerPlugin: ResourcePlugin {
    package let resourceType = "os.nova.server"
    package let specVersions: Set<String> = ["1.0"]

    /// Creates the plugin.
    package init() {}

    package func makePricer(properties: JSONValue) throws(BileanError) -> any ResourcePricer {
        var validator = SpecValidator()
        let base = "spec.properties"
        guard let object = properties.objectValue else {
            throw BileanError.invalid(base, "Invalid rule spec: \(base) must be an object")
        }
        validator.rejectUnknownKeys(object, allowed: ["price_mapping", "unit"], at: base)
        let unit = validator.unit(object["unit"], at: "\(base).unit")
        var prices: [String: Money] = [:]
        if let mapping = object["price_mapping"]?.arrayValue {
            if mapping.isEmpty { validator.fail("\(base).price_mapping", "must list at least one flavor") }
            for (index, entry) in mapping.enumerated() {
                let path = "\(base).price_mapping[\(index)]"
                guard let item = entry.objectValue else {
                    validator.fail(path, "must be an object with flavor and price")
                    continue
                }
                validator.rejectUnknownKeys(item, allowed: ["flavor", "price"], at: path)
                let price = validator.price(item["price"], at: "\(path).price")
                guard let flavor = item["flavor"]?.stringValue, !flavor.isEmpty, flavor.count <= 255 else {
                    validator.fail("\(path).flavor", "must be a non-empty string of at most 255 characters")
                    continue
                }
                if prices[flavor] != nil {
                    validator.fail("\(path).flavor", "lists flavor '\(flavor)' twice")
                }
                if let price { prices[flavor] = price }
            }
        } else {
            validator.fail("\(base).price_mapping", "is required and must be a list")
        }
        try validator.check()
        return Pricer(prices: prices, unit: unit)
    }

    struct Pricer: ResourcePricer {
        let prices: [String: Money]
        let unit: PriceUnit

        func price(of properties: [String: JSONValue]) -> PriceQuote {
            guard let flavor = properties["flavor"]?.scalarText else {
                return PriceQuote(rate: .zero, warning: "the server has no flavor; it is billed at 0")
            }
            guard let price = self.prices[flavor] else {
                return PriceQuote(rate: .zero, warning: "flavor '\(flavor)' has no price in the rule; billed at 0")
            }
            return PriceQuote(rate: self.unit.rate(price))
        }
    }
}
