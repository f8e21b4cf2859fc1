/// A chargeable resource type: its rule schema and its price function.
///
/// A plugin validates the `properties` of a rule spec into a ``ResourcePricer`` and names the resource type it
/// prices. Adding a resource type is one file: a type conforming to this protocol, listed in
/// ``PluginRegistry/standard``.
package protocol ResourcePlugin: Sendable {
    /// The resource type, e.g. `os.nova.server`.
    var resourceType: String { get }

    /// The rule spec versions this plugin understands, e.g. `["1.0"]`.
    var specVersions: Set<String> { get }

    /// Validates a rule spec's `properties` and returns the pricer it describes.
    /// - Parameter properties: The `properties` object of the spec.
    /// - Returns: A pricer for resources of this type.
    /// - Throws: ``BileanError`` (invalid input) naming every invalid field under `spec.properties`.
    func makePricer(properties: JSONValue) throws(BileanError) -> any ResourcePricer

    /// The resource type a rule with these (valid) properties prices: ``resourceType``, except for a plugin that
    /// prices a type named in its properties (`os.generic`).
    /// - Parameter properties: The `properties` object of a spec that ``makePricer(properties:)`` accepted.
    /// - Returns: The priced resource type.
    func pricedResourceType(properties: JSONValue) -> String
}

extension ResourcePlugin {
    /// The plugin's own ``resourceType``: a plugin prices one type.
    /// - Parameter properties: The spec's properties (unused).
    /// - Returns: ``resourceType``.
    package func pricedResourceType(properties: JSONValue) -> String { self.resourceType }
}

/// Prices one resource from its properties under one validated rule.
package protocol ResourcePricer: Sendable {
    /// The price of a resource with these properties.
    /// - Parameter properties: The resource's properties (flavor, size, …).
    /// - Returns: The rate, and a warning when the resource could not be priced (it then costs 0).
    func price(of properties: [String: JSONValue]) -> PriceQuote
}

/// The price of a resource: its rate and, when it could not be priced, why.
package struct PriceQuote: Sendable, Hashable {
    /// The rate; zero when the resource could not be priced.
    package var rate: Rate
    /// Why the resource costs 0 (unknown flavor, size in no tier), for a warning event.
    package var warning: String?

    /// Creates a quote.
    /// - Parameters:
    ///   - rate: The rate.
    ///   - warning: A warning for the admin, if the resource could not be priced.
    package init(rate: Rate, warning: String? = nil) {
        self.rate = rate
        self.warning = warning
    }
}

/// The time unit a rule's prices are given in.
package enum PriceUnit: String, Sendable, Hashable, CaseIterable {
    /// Prices are per hour, billed per second as price × seconds / 3600.
    case perHour = "per_hour"
    /// Prices are per second.
    case perSecond = "per_sec"

    /// The exact rate of a price in this unit.
    /// - Parameter price: The price per unit.
    /// - Returns: The rate.
    package func rate(_ price: Money) -> Rate {
        switch self {
        case .perHour: return .perHour(price)
        case .perSecond: return .perSecond(price)
        }
    }
}
