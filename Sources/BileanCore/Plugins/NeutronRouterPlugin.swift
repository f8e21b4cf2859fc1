/// Prices Neutron routers at a flat rate: `price`, `unit: per_hour | per_sec`.
///
/// Every router costs `price` per unit of time, whatever its properties (gateway, interfaces). The schema is the
/// one of ``NeutronFloatingIPPlugin``.
package struct NeutronRouterPlugin: ResourcePlugin {
    package let resourceType = "os.neutron.router"
    package let specVersions: Set<String> = ["1.0"]

    /// Creates the plugin.
    package init() {}

    package func makePricer(properties: JSONValue) throws(BileanError) -> any ResourcePricer {
        let (price, unit) = try NeutronFloatingIPPlugin.parsePrice(properties)
        return FlatPricer(rate: unit.rate(price))
    }
}
