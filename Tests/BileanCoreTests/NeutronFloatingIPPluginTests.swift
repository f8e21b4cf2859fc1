import Testing

@testable import BileanCore

/// `{"price": price, "unit": unit}` (no `unit` key when `unit` is nil).
private func properties(_ price: JSONValue, unit: JSONValue? = nil) -> JSONValue {
    var object: [String: JSONValue] = ["price": price]
    if let unit { object["unit"] = unit }
    return .object(object)
}

/// One money unit is 10⁻¹²; one whole currency unit is 10¹² units.
private let one: Int128 = 1_000_000_000_000

/// The floating IP plugin, and with it the `{price, unit}` schema (``NeutronFloatingIPPlugin/parsePrice(_:)``)
/// shared by the router, image and snapshot plugins.
@Suite("NeutronFloatingIPPlugin")
struct NeutronFloatingIPPluginTests {
    let plugin = NeutronFloatingIPPlugin()

    private func quote(_ properties: JSONValue, of resource: [String: JSONValue] = [:]) throws -> PriceQuote {
        try self.plugin.makePricer(properties: properties).price(of: resource)
    }

    private func invalid(_ properties: JSONValue) -> BileanError? {
        #expect(throws: BileanError.self) { try self.plugin.makePricer(properties: properties) }
    }

    // MARK: Valid specs

    @Test func identifiesItself() {
        #expect(self.plugin.resourceType == "os.neutron.floatingip")
        #expect(self.plugin.specVersions == ["1.0"])
    }

    @Test func everyFloatingIPCostsThePricePerHourByDefault() throws {
        let pricer = try self.plugin.makePricer(properties: properties(.string("0.01")))
        // 0.01 per hour = 10¹⁰ units per hour, whatever the floating IP's properties.
        for resource: [String: JSONValue] in [
            [:],
            ["port_id": .null],
            ["port_id": .string("p1"), "floating_ip_address": .string("172.24.4.3")],
            ["size": .number("10"), "flavor": .string("m1.tiny")],
        ] {
            let quote = pricer.price(of: resource)
            #expect(quote.rate.unitsPerHour == 10_000_000_000)
            #expect(quote.warning == nil)
        }
    }

    @Test func perSecondPrice() throws {
        let hourly = try self.quote(properties(.string("0.000123"), unit: .string("per_hour"))).rate
        let secondly = try self.quote(properties(.string("0.000123"), unit: .string("per_sec"))).rate
        // 0.000123 = 123_000_000 units; per second that is 3600 × 123_000_000 units per hour.
        #expect(hourly.unitsPerHour == 123_000_000)
        #expect(secondly.unitsPerHour == 442_800_000_000)
    }

    @Test func nullUnitIsPerHour() throws {
        #expect(try self.quote(properties(.number("2"), unit: .null)).rate.unitsPerHour == 2 * one)
    }

    @Test(arguments: [
        (JSONValue.number("0.5"), Int128(500_000_000_000)),
        (.string("0.5"), 500_000_000_000),
        (.number("5e-1"), 500_000_000_000),
        (.string("0.500000000000"), 500_000_000_000),
        // Trailing zeros beyond the 12th place change nothing: the price is exact.
        (.string("0.50000000000000000"), 500_000_000_000),
        (.string("100e-2"), one),
        (.number("0"), 0),
        (.string("0.000000000001"), 1),
        (.string("1e-12"), 1),
        (.string("1000000"), 1_000_000 * one),
        (.string("999999.999999999999"), 1_000_000 * one - 1),
    ])
    func acceptedPricesAreExact(price: JSONValue, unitsPerHour: Int128) throws {
        let quote = try self.quote(properties(price))
        #expect(quote.rate.unitsPerHour == unitsPerHour)
        #expect(quote.warning == nil)
    }

    @Test func parsePriceReturnsThePriceAndTheUnit() throws {
        let spec = properties(.string("1.25"), unit: .string("per_sec"))
        let (price, unit) = try NeutronFloatingIPPlugin.parsePrice(spec)
        #expect(price == Money(units: 1_250_000_000_000))
        #expect(unit == .perSecond)
        let (_, defaultUnit) = try NeutronFloatingIPPlugin.parsePrice(properties(.number("1")))
        #expect(defaultUnit == .perHour)
    }

    @Test(arguments: [
        ("0", 0),
        ("12", 0),
        ("0.000", 0),
        ("0.150", 2),
        ("-1.25", 2),
        ("100e-2", 0),
        ("1.5E+1", 0),
        ("1.25e1", 1),
        ("1e-12", 12),
        ("1e-13", 13),
        ("0.0000000000001", 13),
        ("1.000000000000000", 0),
        ("123.456e-10", 13),
    ])
    func decimalPlacesCountsTheExactFractionDigits(text: String, places: Int) {
        #expect(SpecValidator.decimalPlaces(text) == places)
    }

    // MARK: Invalid specs

    @Test(arguments: [JSONValue.array([]), .string("price"), .null, .number("1")])
    func propertiesMustBeAnObject(value: JSONValue) {
        let error = self.invalid(value)
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "spec.properties")
    }

    @Test(arguments: [
        // Missing or null.
        JSONValue.object([:]),
        .object(["unit": .string("per_hour")]),
        properties(.null),
        // Negative.
        properties(.string("-1")),
        properties(.number("-0.01")),
        properties(.string("-0.000000000001")),
        // Above the maximum.
        properties(.string("1000000.000000000001")),
        properties(.number("1000001")),
        properties(.string("1e7")),
        // More than 12 decimal places (Money would round them; the rule is refused instead).
        properties(.string("0.0000000000001")),
        properties(.number("0.0000000000005")),
        properties(.string("0.1234567890123")),
        properties(.string("1e-13")),
        properties(.string("1.5e-12")),
        properties(.string("999999.9999999999999")),
        // Not a decimal number.
        properties(.string("abc")),
        properties(.string("")),
        properties(.string(" 1")),
        properties(.string("NaN")),
        properties(.string("1,5")),
        properties(.string("0x10")),
        properties(.bool(true)),
        properties(.object([:])),
        properties(.array([.number("1")])),
    ])
    func invalidPriceNamesItsField(value: JSONValue) {
        let error = self.invalid(value)
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "spec.properties.price")
        #expect(error?.message.contains("spec.properties.price") == true)
    }

    @Test(arguments: [JSONValue.string("per_min"), .string("PER_HOUR"), .string(""), .number("3600"), .bool(true)])
    func badUnitIsRejected(unit: JSONValue) {
        let error = self.invalid(properties(.number("1"), unit: unit))
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "spec.properties.unit")
    }

    @Test(arguments: ["currency", "price_mapping", "size", "Price"])
    func unknownPropertyIsRejected(key: String) {
        let error = self.invalid(.object(["price": .number("1"), key: .string("x")]))
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "spec.properties.\(key)")
    }

    @Test func aNovaStyleMappingIsRejected() throws {
        let mapping = JSONValue.array([.object(["flavor": .string("m1.tiny"), "price": .number("1")])])
        let error = try #require(self.invalid(.object(["price_mapping": mapping])))
        #expect(error.code == .invalidInput)
        #expect(error.field == "spec.properties.price_mapping")
        #expect(error.message.contains("spec.properties.price "))
    }

    @Test func everyProblemIsListedInTheMessage() throws {
        let spec = JSONValue.object(["extra": .bool(true), "unit": .string("per_day"), "price": .string("-1")])
        let error = try #require(self.invalid(spec))
        #expect(error.code == .invalidInput)
        // The first problem found names the field: unknown keys are checked first.
        #expect(error.field == "spec.properties.extra")
        for path in ["spec.properties.extra ", "spec.properties.unit ", "spec.properties.price "] {
            #expect(error.message.contains(path), "missing \(path) in \(error.message)")
        }
    }
}
