import Testing

@testable import BileanCore

/// `{"price": price, "unit": unit}` (no `unit` key when `unit` is nil).
private func properties(_ price: String, unit: String? = nil) -> JSONValue {
    var object: [String: JSONValue] = ["price": .string(price)]
    if let unit { object["unit"] = .string(unit) }
    return .object(object)
}

/// One money unit is 10⁻¹²; one whole currency unit is 10¹² units.
private let one: Int128 = 1_000_000_000_000

@Suite("CinderSnapshotPlugin")
struct CinderSnapshotPluginTests {
    let plugin = CinderSnapshotPlugin()

    private func quote(_ properties: JSONValue, size: JSONValue) throws -> PriceQuote {
        try self.plugin.makePricer(properties: properties).price(of: ["size": size])
    }

    private func invalid(_ properties: JSONValue) -> BileanError? {
        #expect(throws: BileanError.self) { try self.plugin.makePricer(properties: properties) }
    }

    @Test func identifiesItself() {
        #expect(self.plugin.resourceType == "os.cinder.snapshot")
        #expect(self.plugin.specVersions == ["1.0"])
    }

    // MARK: Pricing: price × size in GB, exactly

    @Test(arguments: [
        ("0.05", Int64(10), Int128(500_000_000_000)),
        ("0.05", 1, 50_000_000_000),
        ("0.05", 0, 0),
        ("1", 1, one),
        ("0.000000000001", 3, 3),
        ("0.333333333333", 3, 999_999_999_999),
        ("1000000", 1, 1_000_000 * one),
        ("0", 500, 0),
    ])
    func pricesBySizeInGB(price: String, size: Int64, unitsPerHour: Int128) throws {
        let quote = try self.quote(properties(price), size: .number(String(size)))
        #expect(quote.rate.unitsPerHour == unitsPerHour)
        #expect(quote.warning == nil)
    }

    @Test func perSecondPrice() throws {
        // 0.0001 per GB per second × 20 GB = 0.002 per second = 7.2 per hour.
        let quote = try self.quote(properties("0.0001", unit: "per_sec"), size: .number("20"))
        #expect(quote.rate.unitsPerHour == 7_200_000_000_000)
    }

    @Test func theLargestSizeIsPricedExactlyWithoutOverflow() throws {
        // Int64.max GB at 10⁻¹² per GB per hour is Int64.max units per hour, within the maximum rate.
        let quote = try self.quote(properties("0.000000000001"), size: .number(String(Int64.max)))
        #expect(quote.rate.unitsPerHour == Int128(Int64.max))
        #expect(quote.warning == nil)
    }

    @Test func aRateUpToTheMaximumIsPriced() throws {
        // 1000 GB at 1000 per GB per second is 10⁶ per second: exactly the maximum rate.
        let quote = try self.quote(properties("1000", unit: "per_sec"), size: .number("1000"))
        #expect(quote.rate == SizePricer.maximumRate)
        #expect(quote.warning == nil)
    }

    @Test(arguments: [
        ("1000", "per_sec", "1001"),
        ("0.1", "per_hour", String(Int64.max)),
        // 3.6 × 10²¹ × (2⁶³ − 1) overflows an Int128: detected, not trapped.
        ("1000000", "per_sec", String(Int64.max)),
    ])
    func aRateAboveTheMaximumCostsZeroWithAWarning(price: String, unit: String, size: String) throws {
        let quote = try self.quote(properties(price, unit: unit), size: .number(size))
        #expect(quote.rate == .zero)
        let warning = try #require(quote.warning)
        #expect(warning.contains(size))
    }

    @Test(arguments: [
        (JSONValue.number("10"), true),
        (.string("10"), true),
        (.number("10.0"), true),
        (.number("1e1"), true),
        (.null, false),
        (.number("-10"), false),
        (.number("10.5"), false),
        (.string("ten"), false),
        (.bool(true), false),
        (.array([.number("10")]), false),
    ])
    func sizeMustBeAWholeNumberOfGB(size: JSONValue, priced: Bool) throws {
        let quote = try self.quote(properties("0.5"), size: size)
        if priced {
            #expect(quote.rate.unitsPerHour == 5 * one)
            #expect(quote.warning == nil)
        } else {
            #expect(quote.rate == .zero)
            #expect(quote.warning != nil)
        }
    }

    @Test func missingSizeCostsZeroWithAWarning() throws {
        let pricer = try self.plugin.makePricer(properties: properties("1"))
        // `volume_size` must have been mapped to `size`; the plugin does not read Cinder's field name.
        let quote = pricer.price(of: ["volume_size": .number("10"), "volume_id": .string("v1")])
        #expect(quote.rate == .zero)
        let warning = try #require(quote.warning)
        #expect(warning.contains("snapshot"))
    }

    // MARK: Invalid specs (the shared schema is tested in full in NeutronFloatingIPPluginTests)

    @Test(arguments: [
        (properties("-1"), "spec.properties.price"),
        (properties("0.1234567890123"), "spec.properties.price"),
        (properties("1000000.000000000001"), "spec.properties.price"),
        (.object([:]), "spec.properties.price"),
        (properties("1", unit: "per_month"), "spec.properties.unit"),
        (.object(["price": .number("1"), "size": .number("10")]), "spec.properties.size"),
        (.string("price"), "spec.properties"),
    ])
    func invalidSpecNamesItsField(value: JSONValue, field: String) {
        let error = self.invalid(value)
        #expect(error?.code == .invalidInput)
        #expect(error?.field == field)
    }
}
