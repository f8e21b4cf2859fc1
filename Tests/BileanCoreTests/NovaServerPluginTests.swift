import Testing

@testable import BileanCore

/// `{"flavor": name, "price": price}`.
private func entry(_ flavor: String, _ price: JSONValue) -> JSONValue {
    .object(["flavor": .string(flavor), "price": price])
}

/// `{"price_mapping": [entries…], "unit": unit}` (no `unit` key when `unit` is nil).
private func properties(_ entries: [JSONValue], unit: JSONValue? = nil) -> JSONValue {
    var object: [String: JSONValue] = ["price_mapping": .array(entries)]
    if let unit { object["unit"] = unit }
    return .object(object)
}

/// One money unit is 10⁻¹²; one whole currency unit is 10¹² units.
private let one: Int128 = 1_000_000_000_000

@Suite("NovaServerPlugin")
struct NovaServerPluginTests {
    let plugin = NovaServerPlugin()

    private func quote(_ properties: JSONValue, flavor: String) throws -> PriceQuote {
        try self.plugin.makePricer(properties: properties).price(of: ["flavor": .string(flavor)])
    }

    private func invalid(_ properties: JSONValue) -> BileanError? {
        #expect(throws: BileanError.self) { try self.plugin.makePricer(properties: properties) }
    }

    // MARK: Valid specs

    @Test func identifiesItself() {
        #expect(self.plugin.resourceType == "os.nova.server")
        #expect(self.plugin.specVersions == ["1.0"])
    }

    @Test func pricesEachListedFlavorPerHourByDefault() throws {
        let spec = properties([
            entry("m1.tiny", .number("0.5")),
            entry("m1.large", .string("2.25")),
            entry("m1.xlarge", .number("2")),
        ])
        let pricer = try self.plugin.makePricer(properties: spec)
        // 0.5 per hour = 0.5 × 10¹² units per hour.
        let tiny = pricer.price(of: ["flavor": .string("m1.tiny")])
        #expect(tiny.rate.unitsPerHour == 500_000_000_000)
        #expect(tiny.warning == nil)
        // "2.25" (a string) per hour = 2_250_000_000_000 units per hour.
        let large = pricer.price(of: ["flavor": .string("m1.large")])
        #expect(large.rate.unitsPerHour == 2_250_000_000_000)
        #expect(large.warning == nil)
        // An integer price, 2 per hour.
        let xlarge = pricer.price(of: ["flavor": .string("m1.xlarge")])
        #expect(xlarge.rate == Rate.perHour(Money(integer: 2)))
        #expect(xlarge.rate.unitsPerHour == 2 * one)
        #expect(xlarge.warning == nil)
    }

    @Test(arguments: [
        // per_hour: the rate is the price itself: 0.5 × 10¹² = 5 × 10¹¹ units per hour.
        (JSONValue.string("per_hour"), Int128(500_000_000_000)),
        // per_sec: 3600 × 0.5 × 10¹² = 1.8 × 10¹⁵ units per hour.
        (JSONValue.string("per_sec"), Int128(1_800_000_000_000_000)),
        // unit: null is the default, per_hour.
        (JSONValue.null, Int128(500_000_000_000)),
    ])
    func unitScalesTheRate(unit: JSONValue, unitsPerHour: Int128) throws {
        let quote = try self.quote(properties([entry("m1.small", .number("0.5"))], unit: unit), flavor: "m1.small")
        #expect(quote.rate.unitsPerHour == unitsPerHour)
        #expect(quote.warning == nil)
    }

    @Test func perSecondRateIs3600TimesPerHourRate() throws {
        let hourly = try self.quote(properties([entry("f", .number("0.000123"))]), flavor: "f").rate
        let secondly = try self.quote(
            properties([entry("f", .number("0.000123"))], unit: .string("per_sec")),
            flavor: "f"
        ).rate
        // 0.000123 = 123_000_000 units; per second that is 3600 × 123_000_000 = 442_800_000_000 units per hour.
        #expect(hourly.unitsPerHour == 123_000_000)
        #expect(secondly.unitsPerHour == 442_800_000_000)
        #expect(secondly.unitsPerHour == 3600 * hourly.unitsPerHour)
    }

    @Test(arguments: [
        JSONValue.number("0.5"),
        JSONValue.string("0.5"),
        JSONValue.number("5e-1"),
        JSONValue.string("0.500000000000"),
    ])
    func priceAsNumberOrStringIsTheSame(price: JSONValue) throws {
        let quote = try self.quote(properties([entry("m1.small", price)]), flavor: "m1.small")
        #expect(quote.rate.unitsPerHour == 500_000_000_000)
    }

    @Test func priceBoundsAreInclusive() throws {
        let spec = properties([
            entry("free", .number("0")),
            entry("max", .string("1000000")),
            entry("tiny", .string("0.000000000001")),
        ])
        let pricer = try self.plugin.makePricer(properties: spec)
        #expect(pricer.price(of: ["flavor": .string("free")]).rate == .zero)
        #expect(pricer.price(of: ["flavor": .string("free")]).warning == nil)
        #expect(pricer.price(of: ["flavor": .string("max")]).rate.unitsPerHour == 1_000_000 * one)
        #expect(pricer.price(of: ["flavor": .string("tiny")]).rate.unitsPerHour == 1)
    }

    @Test func unknownFlavorCostsZeroWithAWarning() throws {
        let quote = try self.quote(properties([entry("m1.tiny", .number("1"))]), flavor: "m1.huge")
        #expect(quote.rate == .zero)
        let warning = try #require(quote.warning)
        #expect(warning.contains("m1.huge"))
    }

    @Test func flavorNamesAreMatchedExactly() throws {
        let pricer = try self.plugin.makePricer(properties: properties([entry("m1.tiny", .number("1"))]))
        #expect(pricer.price(of: ["flavor": .string("M1.TINY")]).rate == .zero)
        #expect(pricer.price(of: ["flavor": .string("M1.TINY")]).warning != nil)
        #expect(pricer.price(of: ["flavor": .string("m1.tiny ")]).rate == .zero)
    }

    @Test func missingFlavorPropertyCostsZeroWithAWarning() throws {
        let pricer = try self.plugin.makePricer(properties: properties([entry("m1.tiny", .number("1"))]))
        let missing = pricer.price(of: [:])
        #expect(missing.rate == .zero)
        #expect(missing.warning != nil)
        let null = pricer.price(of: ["flavor": .null, "size": .number("1")])
        #expect(null.rate == .zero)
        #expect(null.warning != nil)
    }

    @Test func flavorOf255CharactersIsAccepted() throws {
        let name = String(repeating: "f", count: 255)
        #expect(try self.quote(properties([entry(name, .number("1"))]), flavor: name).rate.unitsPerHour == one)
    }

    // MARK: Invalid specs

    @Test(arguments: [
        JSONValue.array([]),
        JSONValue.string("price_mapping"),
        JSONValue.null,
        JSONValue.number("1"),
    ])
    func propertiesMustBeAnObject(value: JSONValue) {
        let error = self.invalid(value)
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "spec.properties")
    }

    @Test(arguments: [
        (JSONValue.object([:]), "spec.properties.price_mapping"),
        (JSONValue.object(["price_mapping": .object([:])]), "spec.properties.price_mapping"),
        (JSONValue.object(["price_mapping": .string("m1.tiny=1")]), "spec.properties.price_mapping"),
        (JSONValue.object(["price_mapping": .null]), "spec.properties.price_mapping"),
        (JSONValue.object(["price_mapping": .array([])]), "spec.properties.price_mapping"),
        (JSONValue.object(["unit": .string("per_hour")]), "spec.properties.price_mapping"),
    ])
    func priceMappingMustBeANonEmptyList(value: JSONValue, field: String) {
        let error = self.invalid(value)
        #expect(error?.code == .invalidInput)
        #expect(error?.field == field)
    }

    @Test(arguments: [
        // An entry that is not an object.
        ([JSONValue.string("m1.tiny")], "spec.properties.price_mapping[0]"),
        ([entry("a", .number("1")), .array([])], "spec.properties.price_mapping[1]"),
        // Missing, empty, non-string or too long flavor.
        ([JSONValue.object(["price": .number("1")])], "spec.properties.price_mapping[0].flavor"),
        ([entry("", .number("1"))], "spec.properties.price_mapping[0].flavor"),
        (
            [JSONValue.object(["flavor": .number("1"), "price": .number("1")])],
            "spec.properties.price_mapping[0].flavor"
        ),
        ([entry(String(repeating: "f", count: 256), .number("1"))], "spec.properties.price_mapping[0].flavor"),
        // The same flavor twice: the second one is named.
        ([entry("m1.tiny", .number("1")), entry("m1.tiny", .number("2"))], "spec.properties.price_mapping[1].flavor"),
        // Missing, negative, too high or non-numeric price.
        ([JSONValue.object(["flavor": .string("a")])], "spec.properties.price_mapping[0].price"),
        ([entry("a", .number("1")), entry("b", .number("-0.01"))], "spec.properties.price_mapping[1].price"),
        ([entry("a", .string("-1"))], "spec.properties.price_mapping[0].price"),
        ([entry("a", .string("1000000.000000000001"))], "spec.properties.price_mapping[0].price"),
        ([entry("a", .number("1000001"))], "spec.properties.price_mapping[0].price"),
        ([entry("a", .string("abc"))], "spec.properties.price_mapping[0].price"),
        ([entry("a", .string(""))], "spec.properties.price_mapping[0].price"),
        ([entry("a", .string(" 1"))], "spec.properties.price_mapping[0].price"),
        ([entry("a", .string("NaN"))], "spec.properties.price_mapping[0].price"),
        ([entry("a", .string("1,5"))], "spec.properties.price_mapping[0].price"),
        ([entry("a", .bool(true))], "spec.properties.price_mapping[0].price"),
        ([entry("a", .null)], "spec.properties.price_mapping[0].price"),
        ([entry("a", .object([:]))], "spec.properties.price_mapping[0].price"),
        // An unknown key in an entry.
        (
            [JSONValue.object(["flavor": .string("a"), "price": .number("1"), "currency": .string("EUR")])],
            "spec.properties.price_mapping[0].currency"
        ),
    ])
    func invalidEntryNamesItsField(entries: [JSONValue], field: String) {
        let error = self.invalid(properties(entries))
        #expect(error?.code == .invalidInput)
        #expect(error?.field == field)
        #expect(error?.message.contains(field) == true)
    }

    @Test(arguments: [JSONValue.string("per_min"), .string("PER_HOUR"), .string(""), .number("3600"), .bool(true)])
    func badUnitIsRejected(unit: JSONValue) {
        let error = self.invalid(properties([entry("a", .number("1"))], unit: unit))
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "spec.properties.unit")
    }

    @Test func unknownPropertyIsRejected() {
        let spec = JSONValue.object([
            "price_mapping": .array([entry("a", .number("1"))]),
            "currency": .string("EUR"),
        ])
        let error = self.invalid(spec)
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "spec.properties.currency")
    }

    @Test func everyProblemIsListedInTheMessage() throws {
        let spec = JSONValue.object([
            "extra": .bool(true),
            "unit": .string("per_day"),
            "price_mapping": .array([
                entry("ok", .number("1")),
                entry("negative", .string("-1")),
                entry("", .string("x")),
                .number("3"),
                entry("ok", .number("2")),
            ]),
        ])
        let error = try #require(self.invalid(spec))
        #expect(error.code == .invalidInput)
        // The first problem found names the field: unknown keys are checked first.
        #expect(error.field == "spec.properties.extra")
        for path in [
            "spec.properties.extra ",
            "spec.properties.unit ",
            "spec.properties.price_mapping[1].price ",
            "spec.properties.price_mapping[2].price ",
            "spec.properties.price_mapping[2].flavor ",
            "spec.properties.price_mapping[3] ",
            "spec.properties.price_mapping[4].flavor ",
        ] {
            #expect(error.message.contains(path), "missing \(path) in \(error.message)")
        }
        // A valid entry is not reported.
        #expect(!error.message.contains("price_mapping[0]"))
    }
}
