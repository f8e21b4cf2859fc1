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

/// One GiB, 2³⁰ bytes.
private let gib: Int64 = 1_073_741_824

@Suite("GlanceImagePlugin")
struct GlanceImagePluginTests {
    let plugin = GlanceImagePlugin()

    private func quote(_ properties: JSONValue, size: JSONValue) throws -> PriceQuote {
        try self.plugin.makePricer(properties: properties).price(of: ["size": size])
    }

    private func invalid(_ properties: JSONValue) -> BileanError? {
        #expect(throws: BileanError.self) { try self.plugin.makePricer(properties: properties) }
    }

    @Test func identifiesItself() {
        #expect(self.plugin.resourceType == "os.glance.image")
        #expect(self.plugin.specVersions == ["1.0"])
        #expect(GlanceImagePlugin.bytesPerGB == 1 << 30)
    }

    // MARK: Pricing: price × bytes / 2³⁰, rounded once, half to even

    @Test func oneAndAHalfGiBAtATenthPerHourIsExactlyFifteenHundredths() throws {
        let quote = try self.quote(properties("0.1"), size: .number("1610612736"))
        #expect(quote.rate.unitsPerHour == 150_000_000_000)
        #expect(quote.rate.perHourAmount == Money(units: 150_000_000_000))
        #expect(quote.rate.perHourAmount.description == "0.15")
        #expect(quote.warning == nil)
    }

    @Test func perSecondPriceIsMultipliedBeforeTheSingleRounding() throws {
        // 0.1 per GiB per second × 1.5 GiB = 0.15 per second = 540 per hour.
        let quote = try self.quote(properties("0.1", unit: "per_sec"), size: .number("1610612736"))
        #expect(quote.rate.unitsPerHour == 540 * one)
        // 1 byte at 1 per GiB per second: 3600 × 10¹² / 2³⁰ = 3_352_761.268… units per hour, rounded once to
        // 3_352_761 (rounding the per-second price first would give 931 × 3600 = 3_351_600).
        let byte = try self.quote(properties("1", unit: "per_sec"), size: .number("1"))
        #expect(byte.rate.unitsPerHour == 3_352_761)
    }

    @Test(arguments: [
        // Whole GiB.
        ("1", Int64(0), Int128(0)),
        ("1", gib, one),
        ("0.1", gib, 100_000_000_000),
        ("2.5", 4 * gib, 10 * one),
        ("0.1", 1_610_612_736, 150_000_000_000),
        // 1 byte: 0.1 × 10¹² / 2³⁰ = 93.13… → 93; 1 × 10¹² / 2³⁰ = 931.32… → 931; 10⁻¹² / 2³⁰ → 0.
        ("0.1", 1, 93),
        ("1", 1, 931),
        ("0.000000000001", 1, 0),
        // A decimal GB (10⁹ bytes) is less than a GiB: 10²¹ / 2³⁰ = 931_322_574_615.478… → 931_322_574_615.
        ("1", 1_000_000_000, 931_322_574_615),
        // A free rule prices every image at 0, without a warning.
        ("0", 5 * gib, 0),
    ])
    func pricesBySizeInBytes(price: String, bytes: Int64, unitsPerHour: Int128) throws {
        let quote = try self.quote(properties(price), size: .number(String(bytes)))
        #expect(quote.rate.unitsPerHour == unitsPerHour)
        #expect(quote.warning == nil)
    }

    @Test(arguments: [
        // At 10⁻¹² per GiB per hour the rate is bytes / 2³⁰ units: ties go to the even unit.
        (Int64(536_870_912), Int128(0)),  // 0.5 → 0
        (536_870_913, 1),  // just above 0.5 → 1
        (536_870_911, 0),  // just below 0.5 → 0
        (1_610_612_736, 2),  // 1.5 → 2
        (2_684_354_560, 2),  // 2.5 → 2
        (3_758_096_384, 4),  // 3.5 → 4
    ])
    func roundingIsHalfToEven(bytes: Int64, unitsPerHour: Int128) throws {
        let quote = try self.quote(properties("0.000000000001"), size: .number(String(bytes)))
        #expect(quote.rate.unitsPerHour == unitsPerHour)
    }

    @Test func theLargestSizeIsPricedExactlyWithoutOverflow() throws {
        // Int64.max bytes at 0.1 per GiB per hour: 10¹¹ × (2⁶³ − 1) / 2³⁰ = 858_993_459_199_999_999_906.87… units.
        let quote = try self.quote(properties("0.1"), size: .number(String(Int64.max)))
        #expect(quote.rate.unitsPerHour == 858_993_459_199_999_999_907)
        #expect(quote.warning == nil)
    }

    @Test func maximumRateIsTheMaximumPricePerSecond() {
        #expect(SizePricer.maximumRate == Rate.perSecond(SpecValidator.maximumPrice))
        // 10⁶ per second = 3.6 × 10⁹ per hour.
        #expect(SizePricer.maximumRate.unitsPerHour == 3_600_000_000 * one)
    }

    @Test func aRateUpToTheMaximumIsPriced() throws {
        // 1 GiB at the highest price per second is exactly the maximum rate.
        let quote = try self.quote(properties("1000000", unit: "per_sec"), size: .number(String(gib)))
        #expect(quote.rate == SizePricer.maximumRate)
        #expect(quote.warning == nil)
    }

    @Test(arguments: [
        // One byte more than the maximum rate allows.
        ("1000000", "per_sec", String(gib + 1)),
        // 10¹⁸ × (2⁶³ − 1) fits an Int128, but the rate is far above the maximum.
        ("1000000", "per_hour", String(Int64.max)),
        // 3.6 × 10²¹ × (2⁶³ − 1) overflows an Int128: detected, not trapped.
        ("1000000", "per_sec", String(Int64.max)),
    ])
    func aRateAboveTheMaximumCostsZeroWithAWarning(price: String, unit: String, bytes: String) throws {
        let quote = try self.quote(properties(price, unit: unit), size: .number(bytes))
        #expect(quote.rate == .zero)
        let warning = try #require(quote.warning)
        #expect(warning.contains(bytes))
    }

    @Test(arguments: [
        (JSONValue.number("1073741824"), true),
        (.string("1073741824"), true),
        (.number("1073741824.0"), true),  // a JSON number with a .0 is a whole number
        (.number("1.073741824e9"), true),
        (.null, false),  // Glance sends null before the image is uploaded
        (.number("-1"), false),
        (.number("1073741824.5"), false),  // not a whole number of bytes
        (.string("1 GB"), false),
        (.string(""), false),
        (.number("9223372036854775808"), false),  // beyond Int64
        (.bool(true), false),
        (.array([.number("1")]), false),
        (.object([:]), false),
    ])
    func sizeMustBeAWholeNumberOfBytes(size: JSONValue, priced: Bool) throws {
        let quote = try self.quote(properties("2"), size: size)
        if priced {
            #expect(quote.rate.unitsPerHour == 2 * one)
            #expect(quote.warning == nil)
        } else {
            #expect(quote.rate == .zero)
            #expect(quote.warning != nil)
        }
    }

    @Test func missingSizeCostsZeroWithAWarning() throws {
        let pricer = try self.plugin.makePricer(properties: properties("1"))
        let quote = pricer.price(of: ["disk_format": .string("qcow2"), "virtual_size": .number("1073741824")])
        #expect(quote.rate == .zero)
        let warning = try #require(quote.warning)
        #expect(warning.contains("image"))
        #expect(warning.contains("size"))
    }

    // MARK: Invalid specs (the shared schema is tested in full in NeutronFloatingIPPluginTests)

    @Test(arguments: [
        (properties("-0.1"), "spec.properties.price"),
        (properties("0.0000000000001"), "spec.properties.price"),
        (properties("1000000.1"), "spec.properties.price"),
        (.object([:]), "spec.properties.price"),
        (properties("1", unit: "per_gb"), "spec.properties.unit"),
        (
            .object(["price_mapping": .array([.object(["start": .number("0"), "price": .number("1")])])]),
            "spec.properties.price_mapping"
        ),
        (.null, "spec.properties"),
    ])
    func invalidSpecNamesItsField(value: JSONValue, field: String) {
        let error = self.invalid(value)
        #expect(error?.code == .invalidInput)
        #expect(error?.field == field)
    }
}
