import Testing

@testable import BileanCore

/// `{"price": price, "unit": unit}` (no `unit` key when `unit` is nil).
private func properties(_ price: JSONValue, unit: JSONValue? = nil) -> JSONValue {
    var object: [String: JSONValue] = ["price": price]
    if let unit { object["unit"] = unit }
    return .object(object)
}

/// The router plugin; its schema is the floating IP one, tested in full in ``NeutronFloatingIPPluginTests``.
@Suite("NeutronRouterPlugin")
struct NeutronRouterPluginTests {
    let plugin = NeutronRouterPlugin()

    private func invalid(_ properties: JSONValue) -> BileanError? {
        #expect(throws: BileanError.self) { try self.plugin.makePricer(properties: properties) }
    }

    @Test func identifiesItself() {
        #expect(self.plugin.resourceType == "os.neutron.router")
        #expect(self.plugin.specVersions == ["1.0"])
    }

    @Test func everyRouterCostsThePrice() throws {
        let pricer = try self.plugin.makePricer(properties: properties(.number("0.02")))
        for resource: [String: JSONValue] in [
            [:],
            ["external_gateway_info": .null],
            ["external_gateway_info": .object(["network_id": .string("n1")]), "admin_state_up": .bool(true)],
        ] {
            let quote = pricer.price(of: resource)
            #expect(quote.rate.unitsPerHour == 20_000_000_000)
            #expect(quote.warning == nil)
        }
    }

    @Test func perSecondPrice() throws {
        // 0.02 per second = 3600 × 2 × 10¹⁰ units per hour.
        let pricer = try self.plugin.makePricer(properties: properties(.string("0.02"), unit: .string("per_sec")))
        #expect(pricer.price(of: [:]).rate.unitsPerHour == 72_000_000_000_000)
    }

    @Test(arguments: [
        (properties(.string("-1")), "spec.properties.price"),
        (properties(.string("0.0000000000001")), "spec.properties.price"),
        (properties(.string("2000000")), "spec.properties.price"),
        (.object([:]), "spec.properties.price"),
        (properties(.number("1"), unit: .string("per_day")), "spec.properties.unit"),
        (.object(["price": .number("1"), "gateway": .number("1")]), "spec.properties.gateway"),
        (.array([]), "spec.properties"),
    ])
    func invalidSpecNamesItsField(value: JSONValue, field: String) {
        let error = self.invalid(value)
        #expect(error?.code == .invalidInput)
        #expect(error?.field == field)
    }
}
