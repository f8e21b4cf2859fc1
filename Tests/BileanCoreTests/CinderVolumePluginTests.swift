import Testing

@testable import BileanCore

/// A tier `{start, end, price}`; `end` is left out when nil.
private func tier(_ start: JSONValue?, _ end: JSONValue?, _ price: JSONValue) -> JSONValue {
    var object: [String: JSONValue] = ["price": price]
    if let start { object["start"] = start }
    if let end { object["end"] = end }
    return .object(object)
}

/// A tier of whole numbers.
private func tier(_ start: Int, _ end: Int?, _ price: String) -> JSONValue {
    tier(.number(String(start)), end.map { .number(String($0)) }, .string(price))
}

private func properties(_ tiers: [JSONValue], unit: JSONValue? = nil) -> JSONValue {
    var object: [String: JSONValue] = ["price_mapping": .array(tiers)]
    if let unit { object["unit"] = unit }
    return .object(object)
}

/// One whole currency unit in money units.
private let one: Int128 = 1_000_000_000_000

@Suite("CinderVolumePlugin")
struct CinderVolumePluginTests {
    let plugin = CinderVolumePlugin()

    /// Tiers [1, 10] → 1, [11, 20] → 2, [30, 40] → 3: a gap from 21 to 29, nothing below 1 or above 40.
    let closedTiers = properties([tier(11, 20, "2"), tier(1, 10, "1"), tier(30, 40, "3")])

    private func invalid(_ properties: JSONValue) -> BileanError? {
        #expect(throws: BileanError.self) { try self.plugin.makePricer(properties: properties) }
    }

    @Test func identifiesItself() {
        #expect(self.plugin.resourceType == "os.cinder.volume")
        #expect(self.plugin.specVersions == ["1.0"])
    }

    // MARK: Pricing: both bounds inclusive

    @Test(arguments: [
        (Int64(1), Int128(1)),  // exactly at the first tier's start
        (5, 1),
        (10, 1),  // exactly at the first tier's end (inclusive)
        (11, 2),  // end + 1: the next tier
        (20, 2),  // the second tier's end
        (30, 3),  // the third tier's start, after the gap
        (40, 3),  // the closed last tier's end
    ])
    func sizeInATierCostsItsPrice(size: Int64, wholeUnitsPerHour: Int128) throws {
        let pricer = try self.plugin.makePricer(properties: self.closedTiers)
        let quote = pricer.price(of: ["size": .number(String(size))])
        #expect(quote.rate.unitsPerHour == wholeUnitsPerHour * one)
        #expect(quote.warning == nil)
    }

    @Test(arguments: [
        Int64(21),  // just after the second tier: in the gap
        25,  // in the gap
        29,  // just before the third tier: in the gap
        0,  // below the first tier
        41,  // above the closed last tier
        1_000_000,
        -1,  // negative: in no tier
    ])
    func sizeInNoTierCostsZeroWithAWarning(size: Int64) throws {
        let pricer = try self.plugin.makePricer(properties: self.closedTiers)
        let quote = pricer.price(of: ["size": .number(String(size))])
        #expect(quote.rate == .zero)
        let warning = try #require(quote.warning)
        #expect(warning.contains("\(size)"))
    }

    @Test(arguments: [Int64(11), 12, 1_000_000, 9_223_372_036_854_775_807])
    func openLastTierHasNoUpperBound(size: Int64) throws {
        // [0, 10] → 1, [11, ∞) → 5.
        let pricer = try self.plugin.makePricer(properties: properties([tier(0, 10, "1"), tier(11, nil, "5")]))
        let quote = pricer.price(of: ["size": .string(String(size))])
        #expect(quote.rate.unitsPerHour == 5 * one)
        #expect(quote.warning == nil)
        #expect(pricer.price(of: ["size": .number("10")]).rate.unitsPerHour == one)
    }

    @Test func nullEndMakesAnOpenTier() throws {
        let pricer = try self.plugin.makePricer(properties: properties([tier(.number("5"), .null, .number("2"))]))
        #expect(pricer.price(of: ["size": .number("5")]).rate.unitsPerHour == 2 * one)
        #expect(pricer.price(of: ["size": .number("500000")]).rate.unitsPerHour == 2 * one)
        #expect(pricer.price(of: ["size": .number("4")]).rate == .zero)
    }

    @Test func missingStartDefaultsToZero() throws {
        let pricer = try self.plugin.makePricer(properties: properties([tier(nil, .number("10"), .number("1"))]))
        #expect(pricer.price(of: ["size": .number("0")]).rate.unitsPerHour == one)
        #expect(pricer.price(of: ["size": .number("10")]).rate.unitsPerHour == one)
        #expect(pricer.price(of: ["size": .number("11")]).rate == .zero)
    }

    @Test func singleSizeTierIsAllowed() throws {
        // start == end: only size 5 matches.
        let pricer = try self.plugin.makePricer(properties: properties([tier(5, 5, "3")]))
        #expect(pricer.price(of: ["size": .number("5")]).rate.unitsPerHour == 3 * one)
        #expect(pricer.price(of: ["size": .number("4")]).rate == .zero)
        #expect(pricer.price(of: ["size": .number("6")]).rate == .zero)
    }

    @Test func adjacentTiersDoNotOverlap() throws {
        // [0, 10] and [11, 20] touch without overlapping (sizes are whole GB).
        _ = try self.plugin.makePricer(properties: properties([tier(0, 10, "1"), tier(11, 20, "2")]))
    }

    @Test(arguments: [
        (JSONValue.number("10.0"), true),  // a JSON number with a .0 is the whole number 10
        (.number("10"), true),
        (.string("10"), true),
        (.number("1e1"), true),
        (.number("10.5"), false),  // not a whole number
        (.string("10.5"), false),
        (.string("ten"), false),
        (.bool(true), false),
        (.null, false),
        (.array([.number("10")]), false),
    ])
    func sizeMustBeAWholeNumber(size: JSONValue, priced: Bool) throws {
        let pricer = try self.plugin.makePricer(properties: properties([tier(1, 10, "1"), tier(11, 20, "2")]))
        let quote = pricer.price(of: ["size": size])
        if priced {
            // 10 is in [1, 10].
            #expect(quote.rate.unitsPerHour == one)
            #expect(quote.warning == nil)
        } else {
            #expect(quote.rate == .zero)
            #expect(quote.warning != nil)
        }
    }

    @Test func missingSizeCostsZeroWithAWarning() throws {
        let pricer = try self.plugin.makePricer(properties: self.closedTiers)
        let quote = pricer.price(of: ["flavor": .string("m1.tiny")])
        #expect(quote.rate == .zero)
        #expect(quote.warning != nil)
    }

    @Test func perSecondTierPrice() throws {
        // 0.001 per second = 10⁹ units per second = 3.6 × 10¹² units per hour.
        let pricer = try self.plugin.makePricer(
            properties: properties([tier(0, nil, "0.001")], unit: .string("per_sec"))
        )
        #expect(pricer.price(of: ["size": .number("7")]).rate.unitsPerHour == 3_600_000_000_000)
    }

    @Test func tiersAreSortedByStartAndKeepTheirIndex() throws {
        let (tiers, unit) = try CinderVolumePlugin.parseTiers(self.closedTiers)
        #expect(unit == .perHour)
        #expect(tiers.map(\.start) == [1, 11, 30])
        #expect(tiers.map(\.end) == [10, 20, 40])
        #expect(tiers.map(\.index) == [1, 0, 2])
        #expect(tiers.map(\.price) == [Money(integer: 1), Money(integer: 2), Money(integer: 3)])
    }

    @Test func sizeTierContainsIsInclusive() {
        let closed = SizeTier(start: 10, end: 20, price: .zero, index: 0)
        #expect(!closed.contains(9))
        #expect(closed.contains(10))
        #expect(closed.contains(20))
        #expect(!closed.contains(21))
        let open = SizeTier(start: 10, end: nil, price: .zero, index: 0)
        #expect(!open.contains(9))
        #expect(open.contains(10))
        #expect(open.contains(.max))
    }

    // MARK: Invalid specs

    @Test(arguments: [
        // [0, 10] and [10, 20] share size 10 (both bounds are inclusive).
        ([tier(0, 10, "1"), tier(10, 20, "2")], "spec.properties.price_mapping[1].start"),
        // Listed in reverse order: the tier that starts later is named.
        ([tier(10, 20, "2"), tier(0, 10, "1")], "spec.properties.price_mapping[0].start"),
        // A tier inside another.
        ([tier(0, 100, "1"), tier(20, 30, "2")], "spec.properties.price_mapping[1].start"),
    ])
    func overlappingTiersAreRejected(tiers: [JSONValue], field: String) {
        let error = self.invalid(properties(tiers))
        #expect(error?.code == .invalidInput)
        #expect(error?.field == field)
        #expect(error?.message.contains("overlaps") == true)
    }

    @Test func tiersWithTheSameStartOverlap() throws {
        // [5, 6] and [5, 9] share sizes 5 and 6; which of the two is named depends on the sort of equal starts.
        let error = try #require(self.invalid(properties([tier(5, 6, "1"), tier(5, 9, "2")])))
        #expect(error.code == .invalidInput)
        #expect(
            ["spec.properties.price_mapping[0].start", "spec.properties.price_mapping[1].start"].contains(error.field)
        )
        #expect(error.message.contains("overlaps"))
    }

    @Test func endBeforeStartIsRejected() {
        let error = self.invalid(properties([tier(10, 5, "1")]))
        #expect(error?.code == .invalidInput)
        #expect(error?.field == "spec.properties.price_mapping[0].end")
    }

    @Test(arguments: [
        // An open tier followed by a closed one.
        ([tier(0, nil, "1"), tier(10, 20, "2")], "spec.properties.price_mapping[0].end"),
        // Listed last but sorting puts it first.
        ([tier(10, 20, "2"), tier(0, nil, "1")], "spec.properties.price_mapping[1].end"),
        // Two open tiers.
        ([tier(0, 9, "1"), tier(10, nil, "2"), tier(20, nil, "3")], "spec.properties.price_mapping[1].end"),
    ])
    func openTierMustBeLast(tiers: [JSONValue], field: String) {
        let error = self.invalid(properties(tiers))
        #expect(error?.code == .invalidInput)
        #expect(error?.field == field)
        #expect(error?.message.contains("open tier must be the last") == true)
    }

    @Test(arguments: [
        ([tier(.number("-1"), .number("10"), .number("1"))], "spec.properties.price_mapping[0].start"),
        ([tier(.number("1.5"), .number("10"), .number("1"))], "spec.properties.price_mapping[0].start"),
        ([tier(.string("one"), .number("10"), .number("1"))], "spec.properties.price_mapping[0].start"),
        ([tier(.null, .number("10"), .number("1"))], "spec.properties.price_mapping[0].start"),
        ([tier(.number("0"), .number("-10"), .number("1"))], "spec.properties.price_mapping[0].end"),
        ([tier(.number("0"), .string("ten"), .number("1"))], "spec.properties.price_mapping[0].end"),
        ([tier(.number("0"), .number("10"), .string("-1"))], "spec.properties.price_mapping[0].price"),
        ([tier(.number("0"), .number("10"), .string("1000000.1"))], "spec.properties.price_mapping[0].price"),
        ([tier(.number("0"), .number("10"), .string("cheap"))], "spec.properties.price_mapping[0].price"),
        ([JSONValue.object(["start": .number("0"), "end": .number("10")])], "spec.properties.price_mapping[0].price"),
        ([JSONValue.number("10")], "spec.properties.price_mapping[0]"),
        (
            [
                JSONValue.object([
                    "start": .number("0"), "end": .number("10"), "price": .number("1"), "size": .number("5"),
                ])
            ],
            "spec.properties.price_mapping[0].size"
        ),
        ([], "spec.properties.price_mapping"),
    ])
    func invalidTierNamesItsField(tiers: [JSONValue], field: String) {
        let error = self.invalid(properties(tiers))
        #expect(error?.code == .invalidInput)
        #expect(error?.field == field)
    }

    @Test(arguments: [
        (JSONValue.array([]), "spec.properties"),
        (.object([:]), "spec.properties.price_mapping"),
        (.object(["price_mapping": .object([:])]), "spec.properties.price_mapping"),
        (properties([tier(0, nil, "1")], unit: .string("per_week")), "spec.properties.unit"),
        (.object(["price_mapping": .array([tier(0, nil, "1")]), "tiers": .array([])]), "spec.properties.tiers"),
    ])
    func invalidPropertiesNameTheirField(value: JSONValue, field: String) {
        let error = self.invalid(value)
        #expect(error?.code == .invalidInput)
        #expect(error?.field == field)
    }

    @Test func everyProblemIsListedInTheMessage() throws {
        let spec = properties(
            [
                tier(0, 10, "1"),
                tier(10, 20, "2"),  // overlaps tier 0
                tier(30, 25, "3"),  // end < start
                tier(.number("40"), .number("50"), .string("-3")),  // negative price
            ],
            unit: .string("monthly")
        )
        let error = try #require(self.invalid(spec))
        #expect(error.code == .invalidInput)
        #expect(error.field == "spec.properties.unit")
        for path in [
            "spec.properties.unit ",
            "spec.properties.price_mapping[1].start ",
            "spec.properties.price_mapping[2].end ",
            "spec.properties.price_mapping[3].price ",
        ] {
            #expect(error.message.contains(path), "missing \(path) in \(error.message)")
        }
    }
}
