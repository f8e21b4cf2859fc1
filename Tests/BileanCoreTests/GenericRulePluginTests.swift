import Testing

@testable import BileanCore

/// An `os.generic` spec with these properties.
private func spec(_ properties: [String: JSONValue]) -> JSONValue {
    .object(["type": .string("os.generic"), "version": .number("1.0"), "properties": .object(properties)])
}

/// A `price_mapping` of `(value, price)` pairs on `property`.
private func mapping(_ property: String, _ prices: [(JSONValue, JSONValue)]) -> JSONValue {
    .object([
        "property": .string(property),
        "prices": .array(prices.map { .object(["value": $0.0, "price": $0.1]) }),
    ])
}

/// A tier; `end` is left out when nil.
private func tier(_ start: Int, _ end: Int?, _ price: String) -> JSONValue {
    var object: [String: JSONValue] = ["start": .number(String(start)), "price": .string(price)]
    if let end { object["end"] = .number(String(end)) }
    return .object(object)
}

/// A `per_unit` of tiers on `property`.
private func perUnit(_ property: String, _ tiers: [JSONValue]) -> JSONValue {
    .object(["property": .string(property), "tiers": .array(tiers)])
}

/// Load balancers by flavor: small 0.02, large 0.1 per hour.
private let loadBalancers: [String: JSONValue] = [
    "resource_type": .string("os.octavia.loadbalancer"),
    "unit": .string("per_hour"),
    "price_mapping": mapping("flavor", [(.string("small"), .number("0.02")), (.string("large"), .string("0.1"))]),
]

/// Shares by size: 0–100 GB at 0.001, 101 GB and more at 0.0008, per GB per hour.
private let shares: [String: JSONValue] = [
    "resource_type": .string("os.manila.share"),
    "per_unit": perUnit("size", [tier(101, nil, "0.0008"), tier(0, 100, "0.001")]),
]

/// 10⁻¹² currency units in one unit.
private let one: Int128 = 1_000_000_000_000

@Suite("GenericRulePlugin")
struct GenericRulePluginTests {
    let registry = PluginRegistry.standard

    /// The error a spec is refused with.
    private func invalid(_ properties: [String: JSONValue]) -> BileanError? {
        #expect(throws: BileanError.self) { try self.registry.validate(spec: spec(properties)) }
    }

    // MARK: Valid specs

    @Test func aMappingRulePricesItsResourceType() throws {
        let (parsed, pricer) = try self.registry.validate(spec: spec(loadBalancers))
        #expect(parsed.pluginType == "os.generic")
        #expect(parsed.resourceType == "os.octavia.loadbalancer")
        #expect(parsed.ruleType == "os.octavia.loadbalancer-1.0")
        #expect(pricer.price(of: ["flavor": .string("small")]) == PriceQuote(rate: .perHour(Money(units: one / 50))))
        #expect(pricer.price(of: ["flavor": .string("large")]) == PriceQuote(rate: Rate(unitsPerHour: one / 10)))
    }

    @Test func anUnknownOrMissingValueCostsZeroWithAWarning() throws {
        let (_, pricer) = try self.registry.validate(spec: spec(loadBalancers))
        for properties: [String: JSONValue] in [["flavor": .string("medium")], [:], ["flavor": .null]] {
            let quote = pricer.price(of: properties)
            #expect(quote.rate == .zero)
            #expect(quote.warning != nil)
        }
    }

    @Test func valuesMatchByTheirText() throws {
        var properties = loadBalancers
        properties["price_mapping"] = mapping(
            "replicas",
            [(.number("2"), .string("1")), (.string("3"), .string("2")), (.bool(true), .string("5"))]
        )
        properties["unit"] = .string("per_sec")
        let (_, pricer) = try self.registry.validate(spec: spec(properties))
        #expect(pricer.price(of: ["replicas": .string("2")]).rate == .perSecond(Money(integer: 1)))
        #expect(pricer.price(of: ["replicas": .number("3")]).rate == Rate(unitsPerHour: 2 * 3600 * one))
        #expect(pricer.price(of: ["replicas": .bool(true)]).rate == .perSecond(Money(integer: 5)))
        #expect(pricer.price(of: ["replicas": .number("4")]).rate == .zero)
    }

    @Test(
        arguments: [
            (Int64(0), Int128(0)),  // the first tier's start: 0 × 0.001
            (1, one / 1000),
            (100, one / 10),  // the first tier's end (inclusive): 100 × 0.001 = 0.1
            (101, 80_800_000_000),  // the second tier's start (inclusive): 101 × 0.0008 = 0.0808, not graduated
            (150, 120_000_000_000),  // 150 × 0.0008 = 0.12
            (1_000_000, 800 * one),  // the open last tier
        ] as [(Int64, Int128)]
    )
    func perUnitPricesTheValueAtItsTiersPrice(value: Int64, unitsPerHour: Int128) throws {
        let (parsed, pricer) = try self.registry.validate(spec: spec(shares))
        #expect(parsed.ruleType == "os.manila.share-1.0")
        #expect(
            pricer.price(of: ["size": .number(String(value))]) == PriceQuote(rate: Rate(unitsPerHour: unitsPerHour))
        )
    }

    @Test func perUnitIsExactPerSecond() throws {
        var properties = shares
        properties["unit"] = .string("per_sec")
        properties["per_unit"] = perUnit("size", [tier(1, 10, "0.000000000001")])
        let (_, pricer) = try self.registry.validate(spec: spec(properties))
        // 7 × 10⁻¹² per second = 7 × 3600 units per hour.
        #expect(pricer.price(of: ["size": .number("7")]).rate == Rate(unitsPerHour: 7 * 3600))
    }

    @Test func aValueInNoTierOrNotAWholeNumberCostsZeroWithAWarning() throws {
        var properties = shares
        properties["per_unit"] = perUnit("size", [tier(1, 10, "1"), tier(20, 30, "2")])
        let (_, pricer) = try self.registry.validate(spec: spec(properties))
        for size: JSONValue in [.number("0"), .number("15"), .number("31"), .number("1.5"), .string("x"), .null] {
            let quote = pricer.price(of: ["size": size])
            #expect(quote.rate == .zero, "\(size)")
            #expect(quote.warning != nil, "\(size)")
        }
        #expect(pricer.price(of: ["size": .number("10.0")]).rate == .perHour(Money(integer: 10)))
    }

    @Test func aValueThatWouldPriceAboveTheMaximumRateCostsZero() throws {
        var properties = shares
        properties["per_unit"] = perUnit("size", [tier(0, nil, "1000000")])
        properties["unit"] = .string("per_sec")
        let (_, pricer) = try self.registry.validate(spec: spec(properties))
        #expect(pricer.price(of: ["size": .number("1")]).warning == nil)
        #expect(pricer.price(of: ["size": .number("2")]).rate == .zero)
        #expect(pricer.price(of: ["size": .number("2")]).warning != nil)
    }

    // MARK: Invalid specs: each names its field

    @Test(
        arguments: [
            // resource_type
            ([:], "spec.properties.resource_type"),
            (["resource_type": .number("1")], "spec.properties.resource_type"),
            (["resource_type": .string("")], "spec.properties.resource_type"),
            (["resource_type": .string("os octavia")], "spec.properties.resource_type"),
            (["resource_type": .string(String(repeating: "a", count: 201))], "spec.properties.resource_type"),
            // a type with its own plugin, and os.generic itself
            (["resource_type": .string("os.nova.server")], "spec.properties.resource_type"),
            (["resource_type": .string("os.cinder.volume")], "spec.properties.resource_type"),
            (["resource_type": .string("os.generic")], "spec.properties.resource_type"),
            // unit
            (["unit": .string("per_day")], "spec.properties.unit"),
            // exactly one of price_mapping / per_unit
            (["price_mapping": .null], "spec.properties.price_mapping"),
            (["flavor": .string("x")], "spec.properties.flavor"),
            // price_mapping
            (["price_mapping": .array([])], "spec.properties.price_mapping"),
            (["price_mapping": .object(["prices": .array([])])], "spec.properties.price_mapping.property"),
            (["price_mapping": .object(["property": .string("flavor")])], "spec.properties.price_mapping.prices"),
            (["price_mapping": mapping("flavor", [])], "spec.properties.price_mapping.prices"),
            (
                ["price_mapping": mapping("flavor", [(.null, .number("1"))])],
                "spec.properties.price_mapping.prices[0].value"
            ),
            (
                ["price_mapping": mapping("flavor", [(.string("a"), .number("-1"))])],
                "spec.properties.price_mapping.prices[0].price"
            ),
            (
                ["price_mapping": mapping("flavor", [(.string("a"), .number("0.0000000000001"))])],
                "spec.properties.price_mapping.prices[0].price"
            ),
            (
                ["price_mapping": mapping("flavor", [(.string("a"), .number("1")), (.string("a"), .number("2"))])],
                "spec.properties.price_mapping.prices[1].value"
            ),
            (
                ["price_mapping": .object(["property": .string("f"), "prices": .array([]), "x": .null])],
                "spec.properties.price_mapping.x"
            ),
            // per_unit
            (["per_unit": .array([])], "spec.properties.per_unit"),
            (["per_unit": .object(["tiers": .array([tier(0, nil, "1")])])], "spec.properties.per_unit.property"),
            (["per_unit": .object(["property": .string("size")])], "spec.properties.per_unit.tiers"),
            (["per_unit": perUnit("size", [])], "spec.properties.per_unit.tiers"),
            (["per_unit": perUnit("size", [tier(10, 5, "1")])], "spec.properties.per_unit.tiers[0].end"),
            (
                ["per_unit": perUnit("size", [tier(0, 10, "1"), tier(10, nil, "2")])],
                "spec.properties.per_unit.tiers[1].start"
            ),
            (
                ["per_unit": perUnit("size", [tier(0, nil, "1"), tier(10, 20, "2")])],
                "spec.properties.per_unit.tiers[0].end"
            ),
            (["per_unit": perUnit("size", [tier(0, 1, "x")])], "spec.properties.per_unit.tiers[0].price"),
        ] as [([String: JSONValue], String)]
    )
    func anInvalidSpecNamesItsField(_ change: [String: JSONValue], _ field: String) throws {
        var properties = loadBalancers
        for (key, value) in change {
            if key == "per_unit" { properties["price_mapping"] = nil }
            properties[key] = value
        }
        if change.isEmpty { properties["resource_type"] = nil }
        let error = try #require(self.invalid(properties))
        #expect(error.code == .invalidInput)
        #expect(error.field == field)
    }

    @Test func bothShapesAtOnceAreRefused() throws {
        var properties = loadBalancers
        properties["per_unit"] = shares["per_unit"]
        let error = try #require(self.invalid(properties))
        #expect(error.field == "spec.properties.per_unit")
    }

    @Test func neitherShapeIsRefused() throws {
        var properties = loadBalancers
        properties["price_mapping"] = nil
        let error = try #require(self.invalid(properties))
        #expect(error.field == "spec.properties.price_mapping")
    }

    @Test func propertiesMustBeAnObject() throws {
        let error = try #require(
            #expect(throws: BileanError.self) { try GenericRulePlugin().makePricer(properties: .array([])) }
        )
        #expect(error.field == "spec.properties")
    }

    @Test func onlyVersion1IsKnown() throws {
        let value = JSONValue.object([
            "type": .string("os.generic"), "version": .string("2.0"), "properties": .object(loadBalancers),
        ])
        let error = try #require(#expect(throws: BileanError.self) { try self.registry.validate(spec: value) })
        #expect(error.field == "spec.version")
    }
}
